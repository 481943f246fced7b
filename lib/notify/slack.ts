import { ExecutionError } from '../errors.js';
import type { Channel } from './notify.js';

export type Post = (url: string, body: string) => Promise<{ status: number }>;

const defaultPost: Post = async (url, body) => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    signal: AbortSignal.timeout(5000),
  });
  return { status: res.status };
};

/**
 * A Slack incoming webhook. The URL is a secret (it grants posting): it is fetched lazily from Secrets
 * Manager by `webhookUrl` and never appears in errors or logs.
 */
export function slackChannel(webhookUrl: () => Promise<string>, post: Post = defaultPost): Channel {
  return {
    name: 'slack',
    async send(n) {
      const url = await webhookUrl();
      let status: number;
      try {
        ({ status } = await post(url, JSON.stringify({ text: `*${n.subject}*\n${n.text}` })));
      } catch (err) {
        throw new ExecutionError(`Slack webhook unreachable: ${err instanceof Error ? err.name : 'error'}`);
      }
      if (status < 200 || status >= 300) throw new ExecutionError(`Slack webhook answered HTTP ${status}`);
    },
  };
}
