import { accessSync, constants } from 'node:fs';

/**
 * Debian's chromium drives the HTML report test. It is optional on a developer's machine and required in CI,
 * which installs it (apt-get install -y chromium) and sets WARDEN_REQUIRE_CHROMIUM=1 (.ci/run, test workflow).
 */
export const REQUIRE_CHROMIUM = 'WARDEN_REQUIRE_CHROMIUM';

/** The browser binary: WARDEN_CHROMIUM, or Debian's. */
export function chromiumPath(env: NodeJS.ProcessEnv): string {
  return env.WARDEN_CHROMIUM ?? '/usr/bin/chromium';
}

/** The binary when it is there; a skip with a notice locally; a failure where CI requires it. */
export function chromiumOrSkip(ctx: { skip(note?: string): void }, env = process.env): string {
  const binary = chromiumPath(env);
  try {
    accessSync(binary, constants.X_OK);
    return binary;
  } catch {
    const missing = `chromium is not at ${binary}, so the HTML report was NOT opened in a browser (optional locally, required in CI: apt-get install -y chromium)`;
    if (env[REQUIRE_CHROMIUM] === '1') throw new Error(`${missing}; ${REQUIRE_CHROMIUM}=1 requires it`);
    console.warn(`NOTICE: ${missing}`);
    ctx.skip(missing);
    return binary;
  }
}

/** Headless flags for a closed network: no background connections, a fresh profile each time. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
