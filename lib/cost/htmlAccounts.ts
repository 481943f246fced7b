import type { AccountReport, AccountsReport } from './accountsReport.js';
import { anomalySection, chartLegend, esc, fmt, page, projectionChart } from './html.js';

const W = 240;
const H = 40;

/** An account's daily total as a small line, its anomalous days marked. */
function sparkline(a: AccountReport): string {
  const r = a.report;
  if (!r) return '';
  const n = r.totals.length;
  const top = Math.max(1, ...r.totals);
  const x = (i: number) => 2 + (n <= 1 ? 0 : (i * (W - 4)) / (n - 1));
  const y = (v: number) => H - 3 - (v / top) * (H - 6);
  const line = r.totals.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const flagged = r.days.flatMap((_, i) => (r.series.some((s) => s.anomalous[i]) ? [i] : []));
  const marks = flagged
    .map((i) => `<circle cx="${x(i).toFixed(1)}" cy="${y(r.totals[i]!).toFixed(1)}" r="2.5" fill="#c62828"/>`)
    .join('');
  return `<svg class="spark" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="daily cost of ${esc(a.account)}"><polyline points="${line}" fill="none" stroke="#212121"/>${marks}</svg>`;
}

const label = (a: AccountReport) => (a.name ? `${a.name} (${a.account})` : a.account);

function overview(report: AccountsReport): string {
  const rows = report.accounts
    .map((a) => {
      const r = a.report;
      const cells = r
        ? `<td>${fmt(a.totalUsd)}</td><td>${fmt(r.monthToDateUsd)}</td><td>${fmt(r.projectedMonthUsd)}</td><td>${a.anomalies}</td><td>${sparkline(a)}</td>`
        : `<td colspan="5">${esc(a.error ?? 'no data')}</td>`;
      return `<tr${a.anomalies > 0 || a.error ? ' class="over"' : ''}><td>${esc(a.name ?? '')}</td><td>${esc(a.account)}</td>${cells}</tr>`;
    })
    .join('\n');
  return `<section class="accounts"><h2>Linked accounts</h2><table>
<tr><th>name</th><th>account</th><th>USD shown</th><th>month to date</th><th>projected month</th><th>anomalies</th><th>daily cost</th></tr>
${rows}
</table></section>`;
}

/** The management account's report: every linked account in a table, then each anomalous service per account. */
export function renderAccountsHtml(report: AccountsReport): string {
  const sections = report.accounts.flatMap((a) =>
    a.report
      ? a.report.series
          .filter((s) => s.anomalous.some(Boolean))
          .map((s) => anomalySection(s, a.report!, `${label(a)}: ${s.name}`))
      : [],
  );
  const any = report.accounts.find((a) => a.report)?.report;
  return page(
    `Cost report by linked account ${report.days[0] ?? ''} .. ${report.days.at(-1) ?? ''}`,
    any ? chartLegend(any) : '',
    `${projectionChart(report)}\n${overview(report)}\n${sections.join('\n') || '<p>No anomaly in this period.</p>'}`,
  );
}
