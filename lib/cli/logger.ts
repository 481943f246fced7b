import type { LoggerLike } from '../automations/types.js';
import type { CliIO } from './types.js';

/** Automation logs in the CLI: warnings and errors on stderr, the rest only with WARDEN_DEBUG=1. */
export function cliLogger(io: CliIO, debug = process.env.WARDEN_DEBUG === '1'): LoggerLike {
  const line = (level: string, message: string, extra: Record<string, unknown>[]) =>
    `${level} ${message}${extra.length ? ` ${JSON.stringify(Object.assign({}, ...extra))}` : ''}`;
  return {
    debug: (m, ...e) => debug && io.err(line('debug', m, e)),
    info: (m, ...e) => debug && io.err(line('info', m, e)),
    warn: (m, ...e) => io.err(line('warn', m, e)),
    error: (m, ...e) => io.err(line('error', m, e)),
  };
}
