import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partsOf, workerFunctionName } from '../../../lib/automations/catalog.js';
import { extractBundles, runNode } from './bundleProcess.js';
import { packagedDir } from './packageTemplate.js';

/**
 * backupVerify's three packaged worker bundles (WORKER_PARTS), each answering selfcheck's probe as Lambda runs it,
 * against an AWS endpoint on loopback (AWS_ENDPOINT_URL) that answers each service in its own protocol: each
 * bundle's clients are made and parse their answers with the slimmed SDK (S3's event-stream codec and the
 * package.json files left out), and each worker calls exactly its own part's services.
 */
const HOME = '111111111111';
let work: string;
let server: Server;
let endpoint: string;
const seen: { service: string; host: string; path: string }[] = [];

const xml = (body: string) => ({ type: 'text/xml', body: `<?xml version="1.0" encoding="UTF-8"?>${body}` });
const query = (action: string, ns: string, result: string) =>
  xml(
    `<${action}Response xmlns="${ns}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></${action}Response>`,
  );

/** The signing service of a request: the credential scope of its SigV4 Authorization header. */
const serviceOf = (req: IncomingMessage) =>
  /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? 'unsigned';

function answer(service: string, body: string): { type: string; body: string } {
  const action = /Action=(\w+)/.exec(body)?.[1];
  if (service === 'rds' && action === 'DescribeDBInstances')
    return query(action, 'http://rds.amazonaws.com/doc/2014-10-31/', '<DBInstances/>');
  if (service === 'elasticache' && action === 'DescribeReplicationGroups')
    return query(action, 'http://elasticache.amazonaws.com/doc/2015-02-02/', '<ReplicationGroups/>');
  if (service === 'dynamodb') return { type: 'application/x-amz-json-1.0', body: '{"TableNames":[]}' };
  if (service === 'backup') return { type: 'application/json', body: '{"Results":[]}' };
  if (service === 's3')
    return xml(
      '<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>o</ID></Owner><Buckets/></ListAllMyBucketsResult>',
    );
  throw new Error(`unexpected ${service} ${action ?? ''}`);
}

/** Runs a bundle's handler once in a fresh Node process, as the Lambda runtime would, and returns what it answered. */
function invoke(name: string, event: unknown): Promise<Record<string, unknown>> {
  const script = `
    const m = await import(${JSON.stringify(pathToFileURL(join(work, `${name}.mjs`)).href)});
    const context = { functionName: 'warden-dev-${name}', awsRequestId: 'req-1',
      invokedFunctionArn: 'arn:aws:lambda:eu-west-1:${HOME}:function:warden-dev-${name}',
      memoryLimitInMB: '512', functionVersion: '$LATEST', getRemainingTimeInMillis: () => 30000 };
    try { console.log('RESULT ' + JSON.stringify(await m.handler(${JSON.stringify(event)}, context))); }
    catch (e) { console.log('RESULT ' + JSON.stringify({ error: e.name, message: e.message })); }`;
  // S3 Control puts the account in the host name (<account>.<endpoint host>, which an IP endpoint cannot take):
  // the child resolves <account>.localhost to loopback, as an emulator's wildcard DNS name would.
  const loopback = pathToFileURL(join(work, 'loopback.mjs')).href;
  return runNode(['--import', loopback, '--input-type=module', '-e', script], {
    WARDEN_STAGE: 'dev',
    WARDEN_HOME_ACCOUNT: HOME,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL: endpoint,
    WARDEN_AWS_MAX_ATTEMPTS: '1',
    WARDEN_FINDINGS_QUEUE_URL: `https://sqs.eu-west-1.amazonaws.com/${HOME}/warden-dev-findings`,
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_METRICS_DISABLED: 'true',
  }).then((out) => {
    const line = out.split('\n').find((l) => l.startsWith('RESULT '));
    return line ? (JSON.parse(line.slice(7)) as Record<string, unknown>) : { error: 'no result', out };
  });
}

describe('Bundles: backupVerify worker parts', () => {
  beforeAll(async () => {
    const dir = await packagedDir('dev');
    work = mkdtempSync(join(tmpdir(), 'warden-backup-workers-'));
    extractBundles(dir, work, (fn) => fn.startsWith('backupVerify'));
    writeFileSync(
      join(work, 'loopback.mjs'),
      `import dns from 'node:dns';
const lookup = dns.lookup;
dns.lookup = (host, options, callback) =>
  lookup.call(dns, host.endsWith('.localhost') ? '127.0.0.1' : host, options, callback);
`,
    );
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => {
        body += d;
      });
      req.on('end', () => {
        const service = serviceOf(req);
        seen.push({ service, host: req.headers.host ?? '', path: req.url ?? '' });
        if (service === 's3' && req.url?.startsWith('/v20180820/configuration/publicAccessBlock')) {
          // S3 Control signs as s3: told apart by its path.
          seen[seen.length - 1]!.service = 's3control';
          const reply = xml(
            '<PublicAccessBlockConfiguration xmlns="http://awss3control.amazonaws.com/doc/2018-08-20/"><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>',
          );
          res.writeHead(200, { 'content-type': reply.type });
          res.end(reply.body);
          return;
        }
        try {
          const reply = answer(service, body);
          res.writeHead(200, { 'content-type': reply.type });
          res.end(reply.body);
        } catch (err) {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(String(err));
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    endpoint = `http://localhost:${(server.address() as AddressInfo).port}`;
  }, 300_000);
  afterAll(() => {
    server?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it.each([
    [undefined, ['backup', 'dynamodb', 'rds']],
    ['s3', ['backup', 's3', 's3control']],
    ['caches', ['elasticache']],
  ])('the %s part answers the probe, calling its own services only', async (part, services) => {
    // Prepare
    const name = workerFunctionName('backupVerify', part);
    seen.length = 0;
    // Act
    const out = await invoke(name, { probe: {} });
    // Assess
    expect(out).toEqual({ automation: 'backupVerify', account: HOME, region: 'eu-west-1', ok: true });
    expect([...new Set(seen.map((s) => s.service))].sort()).toEqual(services);
    if (part === 's3')
      expect(seen.find((s) => s.service === 's3control')?.host).toMatch(/^111111111111\.localhost:/);
  });

  it('covers every part of backupVerify', () => {
    // Assess
    expect(partsOf('backupVerify')).toEqual([undefined, 's3', 'caches']);
  });
});
