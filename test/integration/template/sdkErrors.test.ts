import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connect } from '../../../lib/secrets/database.js';

/**
 * build/esbuild-plugins.cjs as the Lambda bundles get it: modeled SDK errors that no code imports are left out of
 * the clients' registries, and pg skips its Cloudflare probe. Proves a call failing with a pruned error still
 * carries the error's name, message, fault and metadata, a kept error is still its own class, and the bundled pg
 * driver still talks to PostgreSQL.
 */
const root = join(import.meta.dirname, '..', '..', '..');
let dir: string;

interface SsmProbe {
  invoke: () => Promise<{
    seen: { path: string; headers: Record<string, string>; body: string }[];
    out: Record<string, unknown>;
  }>;
  call: (type: string, status: number) => Promise<Error & Record<string, unknown>>;
  ParameterNotFound: new (...a: never[]) => Error;
  SSMServiceException: new (...a: never[]) => Error;
}
let probe: SsmProbe;
let bundleText: string;
let connectPostgres: Connect;

const probeSource = `
import { GetParameterCommand, ParameterNotFound, SSMClient, SSMServiceException } from '@aws-sdk/client-ssm';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { Readable } from 'node:stream';
export { ParameterNotFound, SSMServiceException };
export { connectPostgres } from ${JSON.stringify(join(root, 'lib/secrets/driverPostgres.ts'))};
export async function invoke() {
  const seen = [];
  const lambda = new LambdaClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' },
    maxAttempts: 1,
    requestHandler: {
      handle: async (request) => {
        seen.push({ path: request.path, headers: request.headers, body: Buffer.from(request.body).toString() });
        return {
          response: {
            statusCode: 200,
            headers: { 'x-amz-function-error': 'Unhandled', 'x-amz-executed-version': '7' },
            body: Readable.from([Buffer.from('{"errorMessage":"boom"}')]),
          },
        };
      },
    },
  });
  const out = await lambda.send(
    new InvokeCommand({ FunctionName: 'warden-dev-drillValidatePostgres:live', InvocationType: 'RequestResponse', Payload: Buffer.from('{"a":1}') }),
  );
  return { seen, out: { FunctionError: out.FunctionError, ExecutedVersion: out.ExecutedVersion, StatusCode: out.StatusCode, Payload: Buffer.from(out.Payload).toString() } };
}
export async function call(type, status) {
  const respond = async () => ({
    response: {
      statusCode: status,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'req-42' },
      body: Readable.from([Buffer.from(JSON.stringify({ __type: type, message: 'it failed: ' + type }))]),
    },
  });
  const ssm = new SSMClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' },
    maxAttempts: 1,
    requestHandler: { handle: respond },
  });
  try {
    await ssm.send(new GetParameterCommand({ Name: '/warden/dev/flags/x' }));
  } catch (e) {
    return e;
  }
  throw new Error('the call did not fail');
}
`;

describe('Bundle: SDK errors and pg with the Lambda build plugins', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'warden-sdk-errors-'));
    writeFileSync(join(dir, 'probe.mjs'), probeSource);
    const plugins = createRequire(import.meta.url)(join(root, 'build/esbuild-plugins.cjs')) as Plugin[];
    await build({
      entryPoints: [join(dir, 'probe.mjs')],
      outfile: join(dir, 'bundle.mjs'),
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      mainFields: ['module', 'main'],
      nodePaths: [join(root, 'node_modules')],
      banner: {
        js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
      },
      plugins,
      logLevel: 'silent',
    });
    bundleText = readFileSync(join(dir, 'bundle.mjs'), 'utf8');
    const mod = (await import(pathToFileURL(join(dir, 'bundle.mjs')).href)) as SsmProbe & {
      connectPostgres: Connect;
    };
    probe = mod;
    connectPostgres = mod.connectPostgres;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves out the errors no code imports and keeps the imported ones', () => {
    // Assess: SSM models 141 errors; InvalidKeyId and HierarchyLevelLimitExceededException are imported nowhere.
    expect(bundleText).not.toContain('HierarchyLevelLimitExceededException');
    expect(bundleText).not.toContain('InvalidKeyId');
    expect(bundleText).toContain('ParameterNotFound');
  });

  it('throws the base exception with the name, message, fault and metadata of a pruned error', async () => {
    // Act
    const err = await probe.call('InvalidKeyId', 400);
    // Assess
    expect(err).toBeInstanceOf(probe.SSMServiceException);
    expect(err.name).toBe('InvalidKeyId');
    expect(err.message).toBe('it failed: InvalidKeyId');
    expect(err.$fault).toBe('client');
    expect(err.$metadata).toMatchObject({ httpStatusCode: 400, requestId: 'req-42' });
  });

  it('throws the modeled class of an error some code imports', async () => {
    // Act
    const err = await probe.call('ParameterNotFound', 400);
    // Assess
    expect(err).toBeInstanceOf(probe.ParameterNotFound);
    expect(err.name).toBe('ParameterNotFound');
    expect(err.message).toBe('it failed: ParameterNotFound');
  });

  it('keeps server faults server faults', async () => {
    // Act
    const err = await probe.call('InternalServerError', 500);
    // Assess
    expect(err.name).toBe('InternalServerError');
    expect(err.$fault).toBe('server');
  });

  it('serialises and parses a REST call whose members are bound to headers (schema traits written out)', async () => {
    // Act
    const { seen, out } = await probe.invoke();
    // Assess
    expect(seen).toHaveLength(1);
    expect(seen[0]?.path).toBe('/2015-03-31/functions/warden-dev-drillValidatePostgres%3Alive/invocations');
    expect(seen[0]?.headers['x-amz-invocation-type']).toBe('RequestResponse');
    expect(seen[0]?.body).toBe('{"a":1}');
    expect(out).toEqual({
      FunctionError: 'Unhandled',
      ExecutedVersion: '7',
      StatusCode: 200,
      Payload: '{"errorMessage":"boom"}',
    });
  });

  it('connects to PostgreSQL through the bundled pg without its Cloudflare probe', async () => {
    // Prepare
    const url = new URL(process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
    // Act
    const session = await connectPostgres({
      engine: 'postgres',
      host: url.hostname,
      port: Number(url.port || 5432),
      dbname: url.pathname.slice(1),
      username: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      tls: 'off',
    });
    const rows = await session.query('SELECT $1::text AS text', ['bundled ✓']);
    await session.close();
    // Assess
    expect(rows).toEqual([{ text: 'bundled ✓' }]);
    expect(bundleText).not.toContain('Cloudflare-Workers');
  });
});
