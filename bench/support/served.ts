/**
 * A fake AWS service's calls: each is answered (or refused) at once and delivered after the service's latency, and
 * counted, so a benchmark compares the calls made with the calls the work needs.
 */
export function fakeService(latencyMs: number) {
  let calls = 0;
  return {
    calls: () => calls,
    reset: () => {
      calls = 0;
    },
    async served<T>(answer: () => T): Promise<T> {
      calls++;
      let outcome: { value: T } | { error: unknown };
      try {
        outcome = { value: answer() };
      } catch (error) {
        outcome = { error };
      }
      await new Promise((resolve) => setTimeout(resolve, latencyMs));
      if ('error' in outcome) throw outcome.error;
      return outcome.value;
    },
  };
}
