import type { CliIO } from '../../lib/cli/types.js';

/** A CLI I/O that records what a command prints; progress lines go with stderr unless `progress` is false. */
export function recorder(
  options: { progress?: boolean } = {},
): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (l) => stdout.push(l),
    err: (l) => stderr.push(l),
    progress: options.progress === false ? () => {} : (l) => stderr.push(l),
  };
}
