import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lib/errors.js';
import { formatNotification } from '../../../lib/notify/format.js';
import { pagerDutyChannel, routingKeyFromSecret } from '../../../lib/notify/pagerDuty.js';
import { aFinding } from '../../support/findings.js';
import { everything } from '../../support/leaks.js';

const KEY = `R0${Math.random().toString(36).slice(2, 12).padEnd(10, 'x')}abcdefghijklmnopqrst`.slice(0, 32);

/** A local Events API v2: records each request, answers with the scripted statuses (then 202). */
interface Received {
  method: string;
  path: string;
  contentType: string | undefined;
  body: Record<string, unknown>;
}
let server: Server;
let url: string;
let received: Received[] = [];
let script: { status: number; body?: string }[] = [];

const read = (req: IncomingMessage) =>
  new Promise<string>((done) => {
    let s = '';
    req.on('data', (c: Buffer) => {
      s += c.toString();
    });
    req.on('end', () => done(s));
  });

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const raw = await read(req);
    received.push({
      method: req.method ?? '',
      path: req.url ?? '',
      contentType: req.headers['content-type'],
      body: JSON.parse(raw) as Record<string, unknown>,
    });
    const next = script.shift() ?? {
      status: 202,
      body: '{"status":"success","message":"Event processed","dedup_key":"x"}',
    };
    res.writeHead(next.status, { 'content-type': 'application/json' }).end(next.body ?? '');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2/enqueue`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

const sleeps: number[] = [];
function channel(over: Partial<Parameters<typeof pagerDutyChannel>[0]> = {}) {
  return pagerDutyChannel({
    routingKey: async () => KEY,
    url,
    minSeverity: 'high',
    runbookUrl: 'https://runbooks.example/ops',
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...over,
  });
}
const send = (c: ReturnType<typeof channel>, f = aFinding()) => c.send(formatNotification(f, 'open', 'x'), f);

describe('Function: pagerDutyChannel', () => {
  beforeEach(() => {
    received = [];
    script = [];
    sleeps.length = 0;
  });

  it('triggers an open finding with the documented Events API v2 body, dedup_key the finding id', async () => {
    // Prepare
    const f = aFinding({ severity: 'critical', action: { type: 'snapshot', result: 'planned' } });
    // Act
    await send(channel(), f);
    // Assess
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      method: 'POST',
      path: '/v2/enqueue',
      contentType: 'application/json',
    });
    expect(received[0]!.body).toEqual({
      routing_key: KEY,
      event_action: 'trigger',
      dedup_key: f.id,
      payload: {
        summary: `[warden CRITICAL] ${f.title}`,
        source: f.resourceArn,
        severity: 'critical',
        timestamp: '2026-11-26T08:00:00.000Z',
        component: f.resourceArn,
        group: 'backupVerify',
        class: 'rpo',
        custom_details: {
          account: '111111111111',
          region: 'eu-west-1',
          finding: f.id,
          dryRun: false,
          ageHours: 30,
          limitHours: 24,
          action: 'snapshot planned',
        },
      },
      links: [{ href: 'https://runbooks.example/ops/backup-restore.md', text: 'warden runbook' }],
      client: 'warden',
    });
  });

  it('maps high to error, and keeps the summary within 1024 characters', async () => {
    // Act
    await send(channel(), aFinding({ title: 'x'.repeat(300), severity: 'high' }));
    await send(channel({ minSeverity: 'info' }), aFinding({ severity: 'medium' }));
    await send(channel({ minSeverity: 'info' }), aFinding({ severity: 'low' }));
    // Assess
    const payloads = received.map((r) => r.body.payload as { severity: string; summary: string });
    expect(payloads.map((p) => p.severity)).toEqual(['error', 'warning', 'info']);
    expect(payloads[0]!.summary.length).toBeLessThanOrEqual(1024);
  });

  it('pages nothing below the configured severity', async () => {
    // Act
    await send(channel({ minSeverity: 'critical' }), aFinding({ severity: 'high' }));
    // Assess
    expect(received).toEqual([]);
  });

  it('resolves a resolved finding by its dedup_key, whatever its severity', async () => {
    // Prepare
    const f = aFinding({ status: 'resolved', severity: 'info' });
    // Act
    await send(channel({ minSeverity: 'critical' }), f);
    // Assess
    expect(received.map((r) => r.body)).toEqual([
      { routing_key: KEY, event_action: 'resolve', dedup_key: f.id },
    ]);
  });

  it('retries 429 and 5xx with growing backoff, then succeeds', async () => {
    // Prepare
    script = [{ status: 429 }, { status: 500 }, { status: 503 }];
    // Act
    await send(channel());
    // Assess
    expect(received).toHaveLength(4);
    expect(sleeps).toHaveLength(3);
    expect(sleeps[0]).toBeGreaterThanOrEqual(500);
    expect(sleeps[1]).toBeGreaterThanOrEqual(1000);
    expect(sleeps[2]).toBeGreaterThanOrEqual(2000);
  });

  it('gives up after the attempts and says what PagerDuty answered', async () => {
    // Prepare
    script = Array.from({ length: 4 }, () => ({ status: 502, body: 'bad gateway' }));
    // Act
    const err = await send(channel()).catch((e: unknown) => e);
    // Assess
    expect(received).toHaveLength(4);
    expect(String(err)).toMatch(/PagerDuty trigger of finding [a-f0-9]{32} answered HTTP 502: bad gateway/);
  });

  it('does not retry a 400 (invalid event), and reports PagerDuty own explanation', async () => {
    // Prepare
    script = [
      {
        status: 400,
        body: JSON.stringify({
          status: 'invalid event',
          message: 'Event object is invalid',
          errors: ['Length of routing_key is incorrect'],
        }),
      },
    ];
    // Act
    const err = await send(channel()).catch((e: unknown) => e);
    // Assess
    expect(received).toHaveLength(1);
    expect(String(err)).toContain('answered HTTP 400');
    expect(String(err)).toContain('Length of routing_key is incorrect');
  });

  it('keeps the routing key out of errors, even when PagerDuty or the network echoes it', async () => {
    // Prepare
    script = [{ status: 400, body: `{"message":"unknown routing_key ${KEY}"}` }];
    const failingPost = async () => {
      throw new TypeError(`fetch failed: ${KEY}`);
    };
    // Act
    const echoed = await send(channel()).catch((e: unknown) => e);
    const network = await send(channel({ post: failingPost, attempts: 2 })).catch((e: unknown) => e);
    // Assess
    expect(String(echoed)).toContain('[redacted]');
    expect(String(network)).toContain('unreachable (TypeError)');
    expect(everything([echoed, network])).not.toContain(KEY);
  });
});

describe('Function: routingKeyFromSecret', () => {
  it('reads a raw key or JSON {"routing_key"}, and refuses anything else without echoing it', () => {
    // Act
    const raw = routingKeyFromSecret(` ${KEY}\n`);
    const json = routingKeyFromSecret(JSON.stringify({ routing_key: KEY }));
    const bad = [`${KEY}x`, '{"routing_key": 1}', '{not json', undefined].map((v) => {
      try {
        routingKeyFromSecret(v);
        return undefined;
      } catch (e) {
        return e;
      }
    });
    // Assess
    expect([raw, json]).toEqual([KEY, KEY]);
    for (const e of bad) expect(e).toBeInstanceOf(ConfigError);
    expect(String(bad[0])).toContain('WARDEN_PAGERDUTY_SECRET_ARN');
    expect(everything(bad)).not.toContain(KEY);
  });
});
