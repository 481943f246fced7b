import { defineConfig } from 'vitest/config';
import project from '../../../vitest.config.js';

/** The project's configuration (global setup, reporters) on one failing file: `include` replaced, not merged. */
export default defineConfig({
  ...project,
  test: { ...project.test, include: ['test/integration/runner/fixtures/failing.check.ts'] },
});
