import type { CostReport, ReportSeries } from './report.js';

const W = 720;
const H = 220;
const PAD = { left: 56, right: 12, top: 12, bottom: 28 };

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function fmt(x: number): string {
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
  return `<section><h2>${esc(s.name)}</h2>
<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(s.name)}: actual vs expected">
<polygon points="${[...upper, ...lower].join(' ')}" fill="#90caf9" fill-opacity="0.35"><title>expected band (up to the anomaly bar)</title></polygon>
<polyline points="${expected}" fill="none" stroke="#1565c0" stroke-dasharray="4 3"/>
<polyline points="${actual}" fill="none" stroke="#212121" stroke-width="1.5"/>
${marks}<g font-size="11" fill="#555">${ticks}${labels}</g>
</svg></section>`;
}

function projectionChart(report: CostReport): string {
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

/** A self-contained HTML page: one chart per service with an anomaly, and the projection vs the budget. */
export function renderCostHtml(report: CostReport): string {
  const flagged = report.series.filter((s) => s.anomalous.some(Boolean));
  const first = report.days[0] ?? '';
  const last = report.days.at(-1) ?? '';
  const body = flagged.length
    ? flagged.map((s) => seriesChart(s, report)).join('\n')
    : '<p>No anomaly in this period.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>warden cost report ${esc(first)} .. ${esc(last)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#212121}h1{font-size:1.4rem}h2{font-size:1.05rem;margin:1.5rem 0 .3rem}svg{background:#fafafa;border:1px solid #e0e0e0}p.legend{color:#555}</style>
</head><body>
<h1>Cost report ${esc(first)} .. ${esc(last)}</h1>
<p class="legend">Black: actual daily cost. Dashed blue: expected. Shaded: expected band up to the anomaly bar (≥ ${report.minImpactUsd} USD and ≥ ${report.minImpactPct} % over expected). Red dots: anomalies.</p>
${projectionChart(report)}
${body}
</body></html>
`;
}
