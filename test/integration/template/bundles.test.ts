import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractBundles } from './bundleProcess.js';
import { packagedDir } from './packageTemplate.js';

/**
 * Every packaged function bundle initialises in a fresh Node process with the environment Lambda gives it:
 * catches what only the bundle can break (a stubbed or external module, init-time config) before a deploy does.
 */
const env = {
  PATH: process.env.PATH,
  WARDEN_STAGE: 'dev',
  AWS_REGION: 'eu-west-1',
  WARDEN_HOME_ACCOUNT: '111111111111',
  WARDEN_FINDINGS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/111111111111/warden-dev-findings',
  WARDEN_ALERTS_TOPIC_ARN: 'arn:aws:sns:eu-west-1:111111111111:warden-dev-alerts',
  WARDEN_STATE_TABLE: 'warden-dev-state',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
};
let work: string;
const bundles: [string, string][] = [];

describe('Bundles: packaged dev functions', () => {
  beforeAll(async () => {
    const dir = await packagedDir('dev');
    work = mkdtempSync(join(tmpdir(), 'warden-bundle-smoke-'));
    bundles.push(...extractBundles(dir, work));
  }, 300_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('packages a bundle for every function', () => {
    // Assess
    expect(bundles.map(([n]) => n)).toEqual(
      expect.arrayContaining([
        'selfcheck',
        'dispatch',
        'notify',
        'backupVerifyWorker',
        'rotateSecret',
        'rotateSecretMysql',
        'autoRollback',
        'restoreDrill',
      ]),
    );
  });

  it('initialises each bundle and exports its handler', () => {
    // Act
    const results = bundles.map(([name, file]) => {
      const script = `const m = await import(${JSON.stringify(pathToFileURL(file).href)}); if (typeof m.handler !== 'function') throw new Error('no handler');`;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        env,
        encoding: 'utf8',
        timeout: 60_000,
      });
      return {
        name,
        status: r.status,
        stderr: r.stderr
          .split('\n')
          .filter((l) => l.includes('Error'))
          .slice(0, 3)
          .join(' | '),
      };
    });
    // Assess
    expect(results.filter((r) => r.status !== 0)).toEqual([]);
  });

  it('reaches Node built-ins through require, so no bundle builds an ESM facade or loads undici at init', () => {
    // Act: which internal modules each bundle's init loaded (an ES import of node:http reads its lazy WebSocket
    // getter, which loads all of undici).
    const loaded = bundles.map(([name, file]) => {
      const script = `await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(JSON.stringify(process.moduleLoadList.filter((m) => m.includes('undici'))));`;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env, encoding: 'utf8' });
      return { name, undici: JSON.parse(r.stdout.trim().split('\n').pop() ?? '[]') as string[] };
    });
    const esmBuiltinImports = bundles.filter(([, file]) =>
      /\bimport\s*[^;]*?from\s*"node:/.test(readFileSync(file, 'utf8')),
    );
    // Assess
    expect(loaded.filter((l) => l.undici.length > 0)).toEqual([]);
    expect(esmBuiltinImports.map(([name]) => name)).toEqual([]);
  });
});
