import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../lib/cli/commands.js';
import { ENV_SPEC } from '../../lib/config.js';
import { ENV_DOCS } from '../../lib/configDocs.js';

const root = new URL('../../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');
const serverless = readFileSync(new URL('serverless.yml', root), 'utf8');

describe('Docs: README', () => {
  it('shows the two set-up commands', () => {
    // Assess
    expect(readme).toContain('npm ci && npm run demo');
    expect(readme).toContain('npm test');
  });

  it('documents every environment variable, each with a description', () => {
    // Assess
    for (const name of Object.keys(ENV_SPEC)) {
      expect(readme, name).toContain(`\`${name}\``);
      expect(ENV_DOCS[name as keyof typeof ENV_SPEC], name).toMatch(/\w{3,}/);
    }
  });

  it('documents every stage param of serverless.yml', () => {
    // Prepare
    const section = serverless.slice(serverless.indexOf('\nparams:'), serverless.indexOf('\nprovider:'));
    const params = new Set([...section.matchAll(/^ {4}(\w+):/gm)].map((m) => m[1]!));
    // Assess
    expect(params.size).toBeGreaterThan(20);
    for (const p of params) expect(readme, p).toContain(`\`${p}\``);
  });

  it('names every CLI command', () => {
    // Assess
    for (const c of COMMANDS) expect(readme, c.name).toContain(`warden ${c.name}`);
  });

  it('links only to files that exist', () => {
    // Prepare
    const links = [...readme.matchAll(/\]\(((?!https?:|#)[^)]+)\)/g)].map((m) => m[1]!);
    // Assess
    expect(links.length).toBeGreaterThan(5);
    for (const link of links) expect(existsSync(new URL(link, root)), link).toBe(true);
  });
});
