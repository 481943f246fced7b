import type { DailyCostRequest } from '../aws/costExplorer.js';
import type { CostResponse, CostResultByTime } from './costData.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

function isWs(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

function skipWs(buf: Uint8Array, i: number): number {
  while (i < buf.length && isWs(buf[i]!)) i++;
  return i;
}

/** Index just past the string starting at `i` (escapes honoured). */
function skipString(buf: Uint8Array, i: number): number {
  for (let j = i + 1; j < buf.length; j++) {
    const b = buf[j]!;
    if (b === BACKSLASH) j++;
    else if (b === QUOTE) return j + 1;
  }
  throw new SyntaxError('unterminated JSON string');
}

/** Index just past the JSON value starting at `i`. */
function skipValue(buf: Uint8Array, i: number): number {
  const first = buf[i];
  if (first === QUOTE) return skipString(buf, i);
  if (first !== OPEN_OBJECT && first !== OPEN_ARRAY) {
    while (
      i < buf.length &&
      !isWs(buf[i]!) &&
      buf[i] !== COMMA &&
      buf[i] !== CLOSE_OBJECT &&
      buf[i] !== CLOSE_ARRAY
    )
      i++;
    return i;
  }
  let depth = 0;
  for (let j = i; j < buf.length; j++) {
    const b = buf[j]!;
    if (b === QUOTE) j = skipString(buf, j) - 1;
    else if (b === OPEN_OBJECT || b === OPEN_ARRAY) depth++;
    else if ((b === CLOSE_OBJECT || b === CLOSE_ARRAY) && --depth === 0) return j + 1;
  }
  throw new SyntaxError('unterminated JSON value');
}

function expect(buf: Uint8Array, i: number, byte: number): number {
  if (buf[i] !== byte) throw new SyntaxError(`expected '${String.fromCharCode(byte)}' at position ${i}`);
  return i + 1;
}

/**
 * Reads a saved GetCostAndUsage export without building the whole document at once: `ResultsByTime` entries are
 * decoded and parsed one by one as the caller iterates, so a 20 MB export costs one day of objects at a time and
 * never a 20 MB string. Any valid JSON object is read; the fields used equal those of `JSON.parse`.
 */
export function readCostExport(
  input: Uint8Array | string,
): CostResponse & { ResultsByTime: Iterable<CostResultByTime> } {
  const buf =
    typeof input === 'string'
      ? Buffer.from(input, 'utf8')
      : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const head: Record<string, unknown> = {};
  let results: [number, number] | undefined;
  let i = skipWs(buf, expect(buf, skipWs(buf, 0), OPEN_OBJECT));
  while (buf[i] !== CLOSE_OBJECT) {
    if (buf[i] !== QUOTE) throw new SyntaxError(`expected a key at position ${i}`);
    const keyEnd = skipString(buf, i);
    const key = JSON.parse(buf.toString('utf8', i, keyEnd)) as string;
    i = skipWs(buf, expect(buf, skipWs(buf, keyEnd), COLON));
    const end = skipValue(buf, i);
    if (key === 'ResultsByTime' && buf[i] === OPEN_ARRAY) results = [i, end];
    else head[key] = JSON.parse(buf.toString('utf8', i, end));
    i = skipWs(buf, end);
    if (buf[i] === COMMA) i = skipWs(buf, i + 1);
    else if (buf[i] !== CLOSE_OBJECT) throw new SyntaxError(`expected ',' or '}' at position ${i}`);
  }
  const span = results;
  function* entries(): Generator<CostResultByTime> {
    if (!span) return;
    let j = skipWs(buf, span[0] + 1);
    while (j < span[1] - 1) {
      const end = skipValue(buf, j);
      yield JSON.parse(buf.toString('utf8', j, end)) as CostResultByTime;
      j = skipWs(buf, end);
      if (buf[j] === COMMA) j = skipWs(buf, j + 1);
    }
  }
  return { ...(head as CostResponse), ResultsByTime: { [Symbol.iterator]: entries } };
}

const groupingKey = (defs: readonly { Type?: string | undefined; Key?: string | undefined }[]) =>
  defs.map((d) => (d.Type === 'TAG' ? 'TAG' : d.Key)).join(',');

/**
 * Serves a saved export as if it came from Cost Explorer: only the period asked for (demo, offline check). An
 * export holds one grouping: a request for another (the usage types of one linked account, say) gets no data.
 */
export function exportFetcher(response: CostResponse): (request: DailyCostRequest) => Promise<CostResponse> {
  const own = groupingKey(response.GroupDefinitions ?? []);
  return async (request) => {
    const asked =
      request.groupBy === undefined ? [] : 'type' in request.groupBy ? [request.groupBy] : request.groupBy;
    const wanted = groupingKey(asked.map((g) => ({ Type: g.type, Key: g.key })));
    // By service and by service and usage type read each other's exports (the services are the same sums).
    const services = (k: string) => k === 'SERVICE' || k === 'SERVICE,USAGE_TYPE';
    const sameAsSaved = !request.filter && (wanted === own || (services(wanted) && services(own)));
    return sameAsSaved
      ? inPeriod(response, request)
      : { GroupDefinitions: [{ Type: 'DIMENSION', Key: 'SERVICE' }], ResultsByTime: [] };
  };
}

function inPeriod(response: CostResponse, request: DailyCostRequest): CostResponse {
  return {
    ...response,
    ResultsByTime: [...(response.ResultsByTime ?? [])].filter((r) => {
      const day = r.TimePeriod?.Start ?? '';
      return day >= request.start && day < request.end;
    }),
  };
}

/** 07:00 UTC the day after an export's last day: when the daily check would have judged it. */
export function exportMorningAfter(response: CostResponse): Date | undefined {
  let end: string | undefined;
  for (const r of response.ResultsByTime ?? [])
    if (r.TimePeriod?.End && (!end || r.TimePeriod.End > end)) end = r.TimePeriod.End;
  return end ? new Date(`${end}T07:00:00Z`) : undefined;
}
