import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractBundles, runNode } from './bundleProcess.js';
import { packagedDir } from './packageTemplate.js';

/**
 * What Lambda (and `sls invoke local`) report of a failed invocation of a packaged bundle: `errorType` is the
 * error's constructor name, so the minified bundles must keep class names; the error boundary's log line says
 * whether a retry can help.
 */
let work: string;
let server: Server;
let endpoint: string;

function bundle(name: string): string {
  return join(work, `${name}.mjs`);
}

interface Invocation {
  type?: string;
  name?: string;
  logs: Record<string, unknown>[];
}

/** Runs a bundle's handler once in a fresh Node process, as the Lambda runtime would, and reads what it reports. */
function invoke(name: string, event: unknown, env: Record<string, string>): Promise<Invocation> {
  const script = `
    const m = await import(${JSON.stringify(pathToFileURL(bundle(name)).href)});
    const context = { functionName: 'warden-dev-${name}', awsRequestId: 'req-1', invokedFunctionArn: 'arn:aws:lambda:eu-west-1:function:warden-dev-${name}',
      memoryLimitInMB: '512', functionVersion: '$LATEST', getRemainingTimeInMillis: () => 30000 };
    try { await m.handler(${JSON.stringify(event)}, context); console.log('RESULT {}'); }
    catch (e) { console.log('RESULT ' + JSON.stringify({ type: e.constructor.name, name: e.name })); }`;
  return runNode(['--input-type=module', '-e', script], {
    WARDEN_STAGE: 'dev',
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    WARDEN_FINDINGS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/111111111111/warden-dev-findings',
    WARDEN_ALERTS_TOPIC_ARN: 'arn:aws:sns:eu-west-1:111111111111:warden-dev-alerts',
    WARDEN_STATE_TABLE: 'warden-dev-state',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_METRICS_DISABLED: 'true',
    ...env,
  }).then((out) => {
    const lines = out.split('\n');
    const result = lines.find((l) => l.startsWith('RESULT '));
    const logs = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    return { ...(result ? (JSON.parse(result.slice(7)) as object) : {}), logs };
  });
}

describe('Bundles: errors as Lambda reports them', () => {
  beforeAll(async () => {
    const dir = await packagedDir('dev');
    work = mkdtempSync(join(tmpdir(), 'warden-bundle-errors-'));
    extractBundles(dir, work);
    // An AWS endpoint that answers every call with a modeled "not found" error of the JSON protocols.
    server = createServer((req, res) => {
      req.resume();
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(
        JSON.stringify({
          __type: 'ResourceNotFoundException',
          message: 'The specified resource does not exist.',
        }),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 300_000);
  afterAll(() => {
    server?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('reports a missing home account as a ConfigError, logged as not retryable (README selfcheck example)', async () => {
    // Act
    const r = await invoke('selfcheck', {}, {});
    // Assess
    expect(r.type).toBe('ConfigError');
    expect(r.name).toBe('ConfigError');
    const logged = r.logs.find((l) => l.level === 'ERROR');
    expect(logged).toMatchObject({ retryable: false, error: { name: 'ConfigError' } });
  });

  it('reports an AWS service error under its own class name, logged as retryable', async () => {
    // Act: dispatch looks up its work queue, which the endpoint says does not exist.
    const r = await invoke(
      'dispatch',
      { automation: 'backupVerify' },
      { AWS_ENDPOINT_URL: endpoint, WARDEN_HOME_ACCOUNT: '111111111111', WARDEN_AWS_MAX_ATTEMPTS: '1' },
    );
    // Assess
    expect(r.name).toBe('ResourceNotFoundException');
    // The modeled class, or (when the build prunes the model) the service's base exception: never a minified name.
    expect(r.type).toMatch(/^(ResourceNotFoundException|SQSServiceException)$/);
    expect(r.logs.find((l) => l.level === 'ERROR')).toMatchObject({ retryable: true });
  });
});
