/** Per item: undefined when it was taken, else why not. */
export type BatchResults = readonly (Error | undefined)[];

export interface BatcherOptions {
  /** Items per flush at most (the API's limit). */
  maxItems: number;
  /** How long the first item of a batch waits for others sent concurrently (records of one SQS batch). */
  lingerMs: number;
}

/**
 * Gathers items submitted concurrently into one call of `flush` (at most `maxItems`, after `lingerMs`), and settles
 * each submitter with its own item's result: one refused item fails its submitter alone.
 */
export function microBatcher<T>(
  flush: (items: T[]) => Promise<BatchResults>,
  options: BatcherOptions,
): (item: T) => Promise<void> {
  type Waiting = { item: T; resolve: () => void; reject: (e: unknown) => void };
  let pending: Waiting[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;

  const run = () => {
    clearTimeout(timer);
    timer = undefined;
    const batch = pending;
    pending = [];
    flush(batch.map((w) => w.item)).then(
      (results) =>
        batch.forEach((w, i) => {
          const err = results[i];
          if (err) w.reject(err);
          else w.resolve();
        }),
      (err: unknown) => {
        for (const w of batch) w.reject(err);
      },
    );
  };

  return (item) =>
    new Promise<void>((resolve, reject) => {
      pending.push({ item, resolve, reject });
      if (pending.length >= options.maxItems) run();
      else timer ??= setTimeout(run, options.lingerMs);
    });
}
