/**
 * A value made on first use and kept for the life of the container: for clients that only some invocations need
 * (the SQS step path of restoreDrill never reads SSM), so a cold start does not build what it will not use.
 */
export function lazy<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => {
    made ??= { value: make() };
    return made.value;
  };
}
