/** The dashboard's pages: server-rendered HTML, the growth curve as an inline SVG polyline, no scripts. */
import type { DashboardData, GrowthPoint } from './queries.js';
import type { Alert, AlertKind, DaySummary } from './recent.js';

const WIDTH = 640;
const HEIGHT = 240;
const PAD = 32;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escape(title)}</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #123; }
  nav a { margin-right: 14px; }
  section { margin-bottom: 28px; }
  table { border-collapse: collapse; }
  th, td { padding: 3px 10px; border-bottom: 1px solid #ccd; text-align: left; }
  td.n { text-align: right; font-variant-numeric: tabular-nums; }
  .bar { background: #2a7ab0; height: 10px; display: inline-block; }
  tr.alert td:first-child { font-weight: 600; }
  tr[data-kind="lice"] td:first-child, tr[data-kind="oxygen"] td:first-child, tr[data-kind="disease"] td:first-child { color: #b3261e; }
  svg { background: #f4f8fb; }
</style>
</head>
<body>
<nav><a href="/">Overview</a><a href="/last-7-days">Last 7 days</a><a href="/alerts">Alerts</a></nav>
${body}
</body>
</html>
`;
}

export function renderPage(data: DashboardData): string {
  return layout(
    'Farm dashboard',
    `<h1>Farm dashboard</h1>
<p data-testid="batch-total">${data.batches.length} batches</p>
${stageSection(data)}
${utilizationSection(data)}
${growthSection(data)}`,
  );
}

/** The last 7 days, oldest first, up to the dashboard's today. */
export function renderLastSevenDays(days: readonly DaySummary[], today: string): string {
  const most = Math.max(1, ...days.map((day) => day.readings));
  const rows = days
    .map(
      (day) =>
        `<tr data-date="${day.date}"><td>${day.date}</td><td class="n">${day.readings}</td><td><span class="bar" style="width:${Math.round((day.readings / most) * 120)}px"></span></td>` +
        `<td class="n">${day.meanTemperatureC === null ? '–' : day.meanTemperatureC.toFixed(1)}</td><td class="n">${day.lowestOxygenPercent === null ? '–' : day.lowestOxygenPercent.toFixed(1)}</td>` +
        `<td class="n">${day.deaths}</td><td class="n">${day.feedKg.toFixed(1)}</td></tr>`,
    )
    .join('\n');
  return layout(
    'Farm dashboard: last 7 days',
    `<h1>Last 7 days</h1>
<p data-testid="today">Today: ${today}</p>
<section><table data-testid="last-7-days"><thead><tr><th>Day</th><th>Readings</th><th></th><th>Mean water °C</th><th>Lowest O₂ %</th><th>Deaths</th><th>Feed kg</th></tr></thead><tbody>
${rows}
</tbody></table></section>`,
  );
}

const ALERT_TITLES: Record<AlertKind, string> = {
  lice: 'Sea lice above the limit',
  oxygen: 'Low oxygen',
  temperature: 'High water temperature',
  mortality: 'Mortality spike',
  disease: 'Disease',
  overdue: 'Overdue planned work',
  feed: 'Feed below re-order level',
};

export function renderAlerts(list: readonly Alert[], today: string): string {
  const rows = list
    .map((a) => `<tr class="alert" data-kind="${a.kind}"><td>${escape(ALERT_TITLES[a.kind])}</td><td>${a.date}</td><td>${escape(a.batch)}</td><td>${escape(a.where)}</td><td>${escape(a.text)}</td></tr>`)
    .join('\n');
  return layout(
    'Farm dashboard: alerts',
    `<h1>Alerts</h1>
<p data-testid="alert-total">${list.length} alert${list.length === 1 ? '' : 's'} as of ${today}</p>
<section><table data-testid="alerts"><thead><tr><th>Alert</th><th>Day</th><th>Batch</th><th>Where</th><th>What</th></tr></thead><tbody>
${rows}
</tbody></table></section>`,
  );
}

function stageSection(data: DashboardData): string {
  const rows = data.byStage
    .map((row) => `<tr><td>${escape(row.stage)}</td><td class="n">${row.batches}</td></tr>`)
    .join('\n');
  return `<section data-testid="batches-by-stage">
<h2>Active batches by stage</h2>
<table><thead><tr><th>Stage</th><th>Batches</th></tr></thead><tbody>
${rows}
</tbody></table>
</section>`;
}

function utilizationSection(data: DashboardData): string {
  const rows = data.utilization
    .map((row) => {
      const share = row.containers === 0 ? 0 : row.occupied / row.containers;
      return `<tr data-kind="${row.kind}"><td>${row.kind}</td><td>${escape(row.name)}</td><td class="n">${row.occupied}/${row.containers}</td>` +
        `<td><span class="bar" style="width:${Math.round(share * 120)}px"></span> ${(share * 100).toFixed(0)} %</td></tr>`;
    })
    .join('\n');
  return `<section data-testid="utilization">
<h2>Container utilization (halls and sea areas in use)</h2>
<table><thead><tr><th></th><th>Hall / area</th><th>Occupied</th><th>Share</th></tr></thead><tbody>
${rows}
</tbody></table>
</section>`;
}

function growthSection(data: DashboardData): string {
  if (!data.growth) return '<section data-testid="growth-curve"><h2>Growth</h2><p>No batches.</p></section>';
  const { batchNumber, points } = data.growth;
  const last = points.at(-1);
  return `<section data-testid="growth-curve">
<h2>Growth curve of ${escape(batchNumber)}</h2>
<svg width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="average weight of ${escape(batchNumber)} over time">
  <polyline fill="none" stroke="#2a7ab0" stroke-width="2" points="${polyline(points)}" />
</svg>
<p>${points.length} samples${last ? `, latest ${last.date}: ${last.avgWeightG.toFixed(1)} g` : ''}</p>
</section>`;
}

/** Days on x, grams on y, scaled into the plot area (SVG's y axis points down). */
export function polyline(points: readonly GrowthPoint[]): string {
  if (points.length === 0) return '';
  const days = points.map((p) => Date.parse(p.date) / 86_400_000);
  const first = Math.min(...days);
  const spanX = Math.max(1, Math.max(...days) - first);
  const maxY = Math.max(1, ...points.map((p) => p.avgWeightG));
  return points
    .map((p, i) => {
      const x = PAD + ((days[i]! - first) / spanX) * (WIDTH - 2 * PAD);
      const y = HEIGHT - PAD - (p.avgWeightG / maxY) * (HEIGHT - 2 * PAD);
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
