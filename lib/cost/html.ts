import type { CostReport, ReportRootCause, ReportSeries } from './report.js';

const W = 720;
const H = 220;
const PAD = { left: 56, right: 12, top: 12, bottom: 28 };

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function fmt(x: number): string {
  return x >= 1000 ? x.toFixed(0) : x.toFixed(2);
}

/** Upper edge of the expected band: the bar an increase must clear to count as an anomaly. */
function bar(expected: number, report: CostReport): number {
  return Math.max(expected + report.minImpactUsd, expected * (1 + report.minImpactPct / 100));
}

function seriesChart(s: ReportSeries, report: CostReport): string {
  const n = report.days.length;
  const top = Math.max(1, ...s.actual, ...s.expected.map((e) => bar(e, report))) * 1.05;
  const x = (i: number) => PAD.left + (n <= 1 ? 0 : (i * (W - PAD.left - PAD.right)) / (n - 1));
  const y = (v: number) => PAD.top + (1 - v / top) * (H - PAD.top - PAD.bottom);
  const pt = (i: number, v: number) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`;
  const upper = s.expected.map((e, i) => pt(i, bar(e, report)));
  const lower = s.expected.map((e, i) => pt(i, e)).reverse();
  const actual = s.actual.map((v, i) => pt(i, v)).join(' ');
  const expected = s.expected.map((v, i) => pt(i, v)).join(' ');
  const marks = s.anomalous
    .map((a, i) =>
      a
        ? `<circle cx="${x(i).toFixed(1)}" cy="${y(s.actual[i]!).toFixed(1)}" r="4" fill="#c62828"><title>${esc(report.days[i]!)}: ${fmt(s.actual[i]!)} USD, expected ${fmt(s.expected[i]!)}</title></circle>`
        : '',
    )
    .join('');
  const ticks = [0, 0.5, 1]
    .map((f) => {
      const v = top * f;
      return `<text x="${PAD.left - 6}" y="${y(v).toFixed(1)}" text-anchor="end" dominant-baseline="middle">${fmt(v)}</text>`;
    })
    .join('');
  const labels = [0, Math.floor((n - 1) / 2), n - 1]
    .filter((i, k, a) => i >= 0 && a.indexOf(i) === k)
    .map(
      (i) => `<text x="${x(i).toFixed(1)}" y="${H - 8}" text-anchor="middle">${esc(report.days[i]!)}</text>`,
    )
    .join('');
  return `<svg class="series" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(s.name)}: actual vs expected">
<polygon points="${[...upper, ...lower].join(' ')}" fill="#90caf9" fill-opacity="0.35"><title>expected band (up to the anomaly bar)</title></polygon>
<polyline points="${expected}" fill="none" stroke="#1565c0" stroke-dasharray="4 3"/>
<polyline points="${actual}" fill="none" stroke="#212121" stroke-width="1.5"/>
${marks}<g font-size="11" fill="#555">${ticks}${labels}</g>
</svg>`;
}

const LAYER_COLORS = ['#c62828', '#ef6c00', '#f9a825', '#6d4c41'];
const RC_W = 420;

/** The service's daily cost stacked by its root causes' usage types (and the rest), the anomaly day outlined. */
function rootCauseChart(rc: ReportRootCause, report: CostReport): string {
  const n = report.days.length;
  const { layers, daily } = rc.breakdown;
  const totals = report.days.map((_, i) => daily.reduce((sum, row) => sum + (row[i] ?? 0), 0));
  const top = Math.max(1, ...totals) * 1.05;
  const plotW = RC_W - PAD.left - PAD.right;
  const step = plotW / Math.max(1, n);
  const barW = Math.max(1, step * 0.8);
  const y = (v: number) => PAD.top + (1 - v / top) * (H - PAD.top - PAD.bottom);
  const bars: string[] = [];
  for (let i = 0; i < n; i++) {
    let base = 0;
    for (const [k, row] of daily.entries()) {
      const v = row[i] ?? 0;
      if (v <= 0) continue;
      const y0 = y(base);
      const y1 = y(base + v);
      bars.push(
        `<rect class="layer" x="${(PAD.left + i * step).toFixed(1)}" y="${y1.toFixed(1)}" width="${barW.toFixed(1)}" height="${Math.max(0.5, y0 - y1).toFixed(1)}" fill="${LAYER_COLORS[Math.min(k, LAYER_COLORS.length - 1)]}"><title>${esc(report.days[i]!)} ${esc(layers[k]!)}: ${fmt(v)} USD</title></rect>`,
      );
      base += v;
    }
  }
  const at = report.days.indexOf(rc.day);
  const outline =
    at >= 0
      ? `<rect x="${(PAD.left + at * step - 1).toFixed(1)}" y="${PAD.top}" width="${(barW + 2).toFixed(1)}" height="${H - PAD.top - PAD.bottom}" fill="none" stroke="#000" stroke-dasharray="2 2"/>`
      : '';
  const legend = layers
    .map((name, k) => {
      const cause = rc.causes.find((c) => c.usageType === name);
      const what = cause
        ? `${name} (${cause.region}) +${fmt(cause.excessUsd)} USD, ${Math.round(cause.share * 100)} %${cause.new ? ', new' : ''}`
        : name;
      return `<li><span style="background:${LAYER_COLORS[Math.min(k, LAYER_COLORS.length - 1)]}"></span>${esc(what)}</li>`;
    })
    .join('');
  const ticks = [0, 0.5, 1]
    .map(
      (f) =>
        `<text x="${PAD.left - 6}" y="${y(top * f).toFixed(1)}" text-anchor="end" dominant-baseline="middle">${fmt(top * f)}</text>`,
    )
    .join('');
  return `<figure class="rootcause"><svg class="stacked" viewBox="0 0 ${RC_W} ${H}" width="${RC_W}" height="${H}" role="img" aria-label="${esc(rc.series)} by usage type">
${bars.join('')}${outline}<g font-size="11" fill="#555">${ticks}</g>
</svg><figcaption>Root causes on ${esc(rc.day)}<ul class="legend">${legend}</ul></figcaption></figure>`;
}

/** One anomalous service: its chart, and beside it the root-cause breakdown of each anomaly it had. */
export function anomalySection(s: ReportSeries, report: CostReport, heading = s.name): string {
  const causes = report.rootCauses.filter((r) => r.series === s.name);
  return `<section class="anomaly"><h2>${esc(heading)}</h2><div class="row">${seriesChart(s, report)}${causes
    .map((rc) => rootCauseChart(rc, report))
    .join('')}</div></section>`;
}

export function projectionChart(
  report: Pick<CostReport, 'monthlyBudgetUsd' | 'projectedMonthUsd' | 'monthToDateUsd' | 'month'>,
): string {
  const top = Math.max(report.monthlyBudgetUsd, report.projectedMonthUsd, 1) * 1.1;
  const x = (v: number) => 150 + (v / top) * (W - 170);
  const over = report.projectedMonthUsd > report.monthlyBudgetUsd;
  const rows: [string, number, string][] = [
    ['month to date', report.monthToDateUsd, '#546e7a'],
    ['projected', report.projectedMonthUsd, over ? '#c62828' : '#2e7d32'],
  ];
  const bars = rows
    .map(
      ([name, v, color], i) =>
        `<text x="140" y="${30 + i * 34}" text-anchor="end" dominant-baseline="middle">${name}</text><rect x="150" y="${18 + i * 34}" width="${(x(v) - 150).toFixed(1)}" height="24" fill="${color}"/><text x="${(x(v) + 6).toFixed(1)}" y="${30 + i * 34}" dominant-baseline="middle">${fmt(v)} USD</text>`,
    )
    .join('');
  const b = x(report.monthlyBudgetUsd).toFixed(1);
  return `<section><h2>Month-end projection ${esc(report.month ?? '')}: ${fmt(report.projectedMonthUsd)} USD vs budget ${fmt(report.monthlyBudgetUsd)} USD</h2>
<svg viewBox="0 0 ${W} 100" width="${W}" height="100" role="img" aria-label="projection vs budget" font-size="12">
${bars}<line x1="${b}" x2="${b}" y1="8" y2="88" stroke="#000" stroke-dasharray="3 3"/><text x="${b}" y="98" text-anchor="middle">budget</text>
</svg></section>`;
}

/** The page around a report's body: self-contained, and its policy forbids loading anything at all. */
export function page(title: string, legend: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#212121}h1{font-size:1.4rem}h2{font-size:1.05rem;margin:1.5rem 0 .3rem}svg{background:#fafafa;border:1px solid #e0e0e0}p.legend{color:#555}.row{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start}figure{margin:0;max-width:424px}figcaption{font-size:.85rem;color:#444}ul.legend{list-style:none;padding:0;margin:.3rem 0}ul.legend span{display:inline-block;width:.8rem;height:.8rem;margin-right:.4rem;vertical-align:middle}table{border-collapse:collapse;font-size:.9rem}td,th{border-bottom:1px solid #e0e0e0;padding:.25rem .6rem;text-align:right}td:first-child,th:first-child,td:nth-child(2),th:nth-child(2){text-align:left}tr.over td{color:#c62828}</style>
</head><body>
<h1>${esc(title)}</h1>
<p class="legend">${legend}</p>
${body}
</body></html>
`;
}

export function chartLegend(report: Pick<CostReport, 'minImpactUsd' | 'minImpactPct'>): string {
  return `Black: actual daily cost. Dashed blue: expected. Shaded: expected band up to the anomaly bar (≥ ${report.minImpactUsd} USD and ≥ ${report.minImpactPct} % over expected). Red dots: anomalies. Stacked bars: the service's cost by its root causes' usage types, the anomaly day outlined.`;
}

/** A self-contained HTML page: one chart per service with an anomaly (and its root causes), and the projection. */
export function renderCostHtml(report: CostReport): string {
  const flagged = report.series.filter((s) => s.anomalous.some(Boolean));
  const body = flagged.length
    ? flagged.map((s) => anomalySection(s, report)).join('\n')
    : '<p>No anomaly in this period.</p>';
  return page(
    `Cost report ${report.days[0] ?? ''} .. ${report.days.at(-1) ?? ''}`,
    chartLegend(report),
    `${projectionChart(report)}\n${body}`,
  );
}
