import { ConfigError, ExecutionError } from '../errors.js';
import type { Finding, Severity } from '../findings/finding.js';
import { severityRank } from '../findings/finding.js';
import { runbookFor } from './format.js';
import type { Channel } from './notify.js';

/** The Events API v2 endpoint (WARDEN_PAGERDUTY_URL overrides it). */
export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

export type HttpPost = (url: string, body: string) => Promise<{ status: number; text: string }>;

const defaultPost: HttpPost = async (url, body) => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    signal: AbortSignal.timeout(5000),
  });
  return { status: res.status, text: await res.text() };
};

const SEVERITY = {
  critical: 'critical',
  high: 'error',
  medium: 'warning',
  low: 'info',
  info: 'info',
} as const satisfies Record<Severity, string>;

/** The secret holds the Events API v2 integration key, raw or as JSON `{"routing_key": "..."}`. */
export function routingKeyFromSecret(value: string | undefined): string {
  const raw = value?.trim() ?? '';
  let key: unknown = raw;
  if (raw.startsWith('{')) {
    try {
      key = (JSON.parse(raw) as { routing_key?: unknown }).routing_key;
    } catch {
      key = undefined;
    }
  }
  if (typeof key !== 'string' || !/^[A-Za-z0-9]{32}$/.test(key)) {
    throw new ConfigError([
      {
        field: 'WARDEN_PAGERDUTY_SECRET_ARN',
        expected: 'a secret holding a 32-character Events API v2 routing key',
        found: 'another value (redacted)',
      },
    ]);
  }
  return key;
}

const cut = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 3)}...` : s);

/** The Events API v2 event for a finding: trigger while open, resolve once resolved; dedup_key is the finding id. */
export function pagerDutyEvent(f: Finding, routingKey: string, runbookUrl: string): Record<string, unknown> {
  if (f.status === 'resolved') return { routing_key: routingKey, event_action: 'resolve', dedup_key: f.id };
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: f.id,
    payload: {
      summary: cut(`[warden ${f.severity.toUpperCase()}] ${f.title}`, 1024),
      source: f.resourceArn,
      severity: SEVERITY[f.severity],
      timestamp: f.observedAt,
      component: f.resourceArn,
      group: f.automation,
      class: f.check,
      custom_details: {
        account: f.account,
        region: f.region,
        finding: f.id,
        dryRun: f.dryRun,
        ...f.detail,
        ...(f.action ? { action: `${f.action.type} ${f.action.result}` } : {}),
      },
    },
    links: [{ href: runbookFor(f.automation, runbookUrl), text: 'warden runbook' }],
    client: 'warden',
  };
}

export interface PagerDutyDeps {
  /** Read lazily (and cached) from Secrets Manager; never logged, never in an error. */
  routingKey: () => Promise<string>;
  url: string;
  /** Open findings below it are not paged; a resolve is always sent (PagerDuty ignores an unknown dedup_key). */
  minSeverity: Severity;
  runbookUrl: string;
  post?: HttpPost;
  sleep?: (ms: number) => Promise<void>;
  /** Attempts per event on 429, 5xx and network errors (400 is never retried). */
  attempts?: number;
}

const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** PagerDuty Events API v2 as a channel: trigger on open from `minSeverity` up, resolve when the finding resolves. */
export function pagerDutyChannel(deps: PagerDutyDeps): Channel {
  const post = deps.post ?? defaultPost;
  const sleep = deps.sleep ?? pause;
  const attempts = deps.attempts ?? 4;
  return {
    name: 'pagerduty',
    async send(_n, f) {
      if (f.status === 'open' && severityRank(f.severity) < severityRank(deps.minSeverity)) return;
      const key = await deps.routingKey();
      const body = JSON.stringify(pagerDutyEvent(f, key, deps.runbookUrl));
      let last = '';
      for (let attempt = 1; attempt <= attempts; attempt++) {
        if (attempt > 1) await sleep(2 ** (attempt - 2) * 500 + Math.floor(Math.random() * 250));
        let res: { status: number; text: string };
        try {
          res = await post(deps.url, body);
        } catch (err) {
          last = `unreachable (${err instanceof Error ? err.name : 'error'})`;
          continue;
        }
        if (res.status === 202 || (res.status >= 200 && res.status < 300)) return;
        // PagerDuty's own words, without anything that could echo the key.
        const said = cut(res.text.split(key).join('[redacted]').replace(/\s+/g, ' '), 300);
        last = `answered HTTP ${res.status}${said ? `: ${said}` : ''}`;
        if (res.status !== 429 && res.status < 500) break;
      }
      throw new ExecutionError(
        `PagerDuty ${f.status === 'resolved' ? 'resolve' : 'trigger'} of finding ${f.id} ${last}`,
      );
    },
  };
}
