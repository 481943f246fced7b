const scratch = new Float64Array(64);

/** Median of `buf[from .. from + n)`, by insertion sort on a copy: the detector's windows are a few dozen values. */
export function median(buf: Float64Array, n: number, from = 0): number {
  if (n <= 0) return 0;
  const sorted = n <= scratch.length ? scratch : new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = buf[from + i]!;
    let j = i - 1;
    while (j >= 0 && sorted[j]! > v) {
      sorted[j + 1] = sorted[j]!;
      j--;
    }
    sorted[j + 1] = v;
  }
  const m = n >> 1;
  return n & 1 ? sorted[m]! : (sorted[m - 1]! + sorted[m]!) / 2;
}
