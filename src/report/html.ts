/**
 * The farm report as one self-contained HTML file: Chart.js (its UMD build) and the data are
 * inlined, so the file opens offline, from an e-mail or a CI artifact, and makes no request.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { formatRange, formatValue } from '../verify/format.js';
import type { CheckResult, Unit, VerifyReport } from '../verify/types.js';
import type { OccupancyBar, ReportIncident, ReportQueries, Series } from './queries.js';

/** Chart.js's UMD build; its package does not export the path, so it is found next to its main file. */
function chartJsSource(): string {
  const main = createRequire(import.meta.url).resolve('chart.js');
  return readFileSync(join(dirname(main), 'chart.umd.js'), 'utf8');
}

/** Text that may sit inside a <script> element: `</script` and `<!--` cannot end or alter it. */
function scriptSafe(text: string): string {
  return text.replace(/<(\/script|!--)/gi, '\\u003c$1');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const DAY_MS = 86_400_000;
const ms = (date: string): number => Date.parse(`${date}T00:00:00Z`);

/** A histogram of per-batch values: `bins` equal-width classes between the smallest and largest. */
export function histogram(values: readonly number[], unit: Unit, bins = 10): { labels: string[]; counts: number[] } {
  if (values.length === 0) return { labels: [], counts: [] };
  const min = Math.min(...values);
  const max = Math.max(...values);
  const n = min === max ? 1 : Math.min(bins, values.length);
  const width = (max - min) / n || 1;
  const counts = new Array<number>(n).fill(0);
  for (const value of values) counts[Math.min(n - 1, Math.floor((value - min) / width))]! += 1;
  const labels = counts.map((_, i) =>
    n === 1 ? formatValue(min, unit) : formatRange({ min: min + i * width, max: min + (i + 1) * width }, unit),
  );
  return { labels, counts };
}

interface ChartSpec {
  id: string;
  title: string;
  note: string;
  /** A Chart.js configuration, as JSON (the page adds the axis formatters). */
  config: unknown;
  /** Data points in all datasets: 0 means the chart is replaced by the note of why. */
  points: number;
  empty: string;
  /** Axes holding dates as epoch milliseconds: the page formats their ticks as dates. */
  dateAxes: string[];
  percentAxes?: string[];
}

/** Chart.js's default palette (its Colors plugin), for charts whose datasets set colours. */
const PALETTE = ['#36a2eb', '#ff6384', '#ff9f40', '#ffcd56', '#4bc0c0', '#9966ff', '#c9cbcf'];

/** Marks on a chart of per-batch series: each incident on its batch's line, on its day. */
function incidentMarkers(series: Series[], incidents: readonly ReportIncident[]): { x: number; y: number; label: string }[] {
  return incidents.flatMap((incident) => {
    const points = series.find((s) => s.name === incident.batch)?.points ?? [];
    const y = valueOn(points, incident.day);
    if (y === null) return [];
    return [{ x: ms(incident.day), y, label: `${incident.kind} · ${incident.batch}${incident.container ? ` · ${incident.container}` : ''} · ${incident.day}` }];
  });
}

/** A weekly series' value on `day`, interpolated between its samples (null outside them). */
function valueOn(points: readonly { date: string; value: number }[], day: string): number | null {
  const t = ms(day);
  for (let i = 0; i < points.length; i++) {
    const right = points[i]!;
    if (ms(right.date) < t) continue;
    const left = points[i - 1];
    if (!left || ms(right.date) === t) return ms(right.date) - t < 7 * DAY_MS ? right.value : null;
    const share = (t - ms(left.date)) / (ms(right.date) - ms(left.date));
    return left.value + (right.value - left.value) * share;
  }
  const last = points[points.length - 1];
  return last && t - ms(last.date) < 7 * DAY_MS ? last.value : null;
}

function lineChart(id: string, title: string, note: string, series: Series[], yTitle: string, empty: string, percent = false, incidents: readonly ReportIncident[] = []): ChartSpec {
  const markers = incidentMarkers(series, incidents);
  return {
    id,
    title,
    note: markers.length > 0 ? `${note} Triangles mark the farm's incidents.` : note,
    empty,
    points: series.reduce((n, s) => n + s.points.length, 0),
    dateAxes: ['x'],
    percentAxes: percent ? ['y'] : [],
    config: {
      type: 'line',
      data: {
        datasets: [
          ...series.map((s, i) => ({
            label: s.name,
            data: s.points.map((p) => ({ x: ms(p.date), y: p.value })),
            pointRadius: 0,
            borderWidth: 1.5,
            // The markers' own colours switch off Chart.js's automatic palette: give the lines its colours.
            ...(markers.length > 0 ? { borderColor: PALETTE[i % PALETTE.length], backgroundColor: PALETTE[i % PALETTE.length] } : {}),
          })),
          ...(markers.length > 0
            ? [{ type: 'scatter', label: 'incidents', data: markers, pointStyle: 'triangle', pointRadius: 7, backgroundColor: '#c0392b', borderColor: '#7b241c' }]
            : []),
        ],
      },
      options: {
        scales: { x: { type: 'linear' }, y: { title: { display: true, text: yTitle }, beginAtZero: true } },
        plugins: { legend: { display: series.length <= 20 } },
      },
    },
  };
}

function ganttChart(bars: OccupancyBar[]): ChartSpec {
  const locations = [...new Set(bars.map((bar) => bar.location))];
  const batches = [...new Set(bars.map((bar) => bar.batch))];
  const starts = bars.map((bar) => ms(bar.start));
  const ends = bars.map((bar) => ms(bar.end) + DAY_MS);
  return {
    id: 'occupancy',
    title: 'Container occupancy by hall and area',
    note: 'Each bar is a batch in a freshwater hall or a sea area, from its first assignment there to its last departure.',
    empty: 'no container assignments',
    points: bars.length,
    dateAxes: ['x'],
    config: {
      type: 'bar',
      data: {
        labels: locations,
        datasets: batches.map((batch) => ({
          label: batch,
          // Bars of different batches share a row instead of splitting it.
          grouped: false,
          data: bars.filter((bar) => bar.batch === batch).map((bar) => ({ y: bar.location, x: [ms(bar.start), ms(bar.end) + DAY_MS] })),
        })),
      },
      options: {
        indexAxis: 'y',
        // A floating bar's scale would otherwise start at zero: 1970.
        scales: { x: { type: 'linear', min: Math.min(...starts), max: Math.max(...ends) } },
        plugins: { legend: { display: batches.length <= 20 } },
      },
    },
  };
}

function distributionChart(id: string, check: CheckResult | undefined, title: string): ChartSpec {
  const values = (check?.perBatch ?? []).flatMap((entry) => (entry.value === null ? [] : [entry.value]));
  const unit = check?.unit ?? 'ratio';
  const { labels, counts } = histogram(values, unit);
  return {
    id,
    title,
    note: check ? `Batches per class; expected ${formatRange(check.expected, unit)}.` : '',
    empty: check?.skipped ? `nothing to judge: ${check.skipped}` : 'no batch has this figure yet',
    points: values.length,
    dateAxes: [],
    config: {
      type: 'bar',
      data: { labels, datasets: [{ label: 'batches', data: counts }] },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }, plugins: { legend: { display: false } } },
    },
  };
}

export function chartSpecs(data: ReportQueries, checks: VerifyReport): ChartSpec[] {
  const check = (name: CheckResult['name']) => checks.checks.find((c) => c.name === name);
  return [
    lineChart('population', 'Population per batch', 'Fish alive in each batch, summed over its containers (weekly).', data.population, 'fish', 'no daily assignment states', false, data.incidents),
    lineChart('weight', 'Average weight per batch', 'Biomass-weighted average over the batch\'s containers (weekly).', data.averageWeight, 'g', 'no daily assignment states', false, data.incidents),
    lineChart('biomass', 'Biomass by geography', 'Biomass held in each geography (weekly).', data.biomassByGeography, 'kg', 'no daily assignment states'),
    lineChart('utilization', 'Utilization by geography', 'Share of holding containers occupied (weekly).', data.utilization, 'occupied', 'no daily assignment states', true),
    ganttChart(data.occupancy),
    distributionChart('survival', check('survival'), 'Survival per batch'),
    distributionChart('fcr', check('fcr'), 'FCR per batch'),
    distributionChart('harvest-weight', check('harvestWeight'), 'Harvest weight per batch'),
  ];
}

function incidentsSection(incidents: readonly ReportIncident[]): string {
  if (incidents.length === 0) return '';
  const rows = incidents.map((i) => `<tr><td>${escapeHtml(i.day)}</td><td>${escapeHtml(i.kind)}</td><td>${escapeHtml(i.batch)}</td><td>${escapeHtml(i.container ?? 'all its containers')}</td></tr>`);
  return `<section class="wide"><h2>Incidents</h2><p>The schedule's incidents (docs/incidents.md), marked on the population and weight charts.</p><table id="incidents"><thead><tr><th>day</th><th>kind</th><th>batch</th><th>where</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

function checksTable(report: VerifyReport): string {
  const rows = report.checks.map((check) => {
    const result = check.skipped ? 'SKIP' : check.pass ? 'PASS' : 'FAIL';
    const worst = check.worst ? `${check.worst.batchNumber} (${formatValue(check.worst.value, check.unit)})` : '';
    return `<tr class="${result.toLowerCase()}"><td>${escapeHtml(check.label)}</td><td class="n">${escapeHtml(check.skipped ? 'n/a' : formatValue(check.value, check.unit))}</td><td class="n">${escapeHtml(formatRange(check.expected, check.unit))}</td><td>${result}</td><td>${escapeHtml(worst)}</td></tr>`;
  });
  return `<table id="checks"><thead><tr><th>check</th><th>value</th><th>expected</th><th>result</th><th>worst batch</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

export function renderReportHtml(data: ReportQueries, checks: VerifyReport, generatedAt: Date): string {
  const charts = chartSpecs(data, checks);
  const sections = charts.map((chart) =>
    chart.points > 0
      ? `<section><h2>${escapeHtml(chart.title)}</h2><p>${escapeHtml(chart.note)}</p><div class="chart${chart.id === 'occupancy' ? ' tall' : ''}"><canvas id="chart-${chart.id}"></canvas></div></section>`
      : `<section><h2>${escapeHtml(chart.title)}</h2><p class="empty">No data: ${escapeHtml(chart.empty)}.</p></section>`,
  );
  const drawn = charts.filter((chart) => chart.points > 0).map(({ id, config, dateAxes, percentAxes }) => ({ id, config, dateAxes, percentAxes: percentAxes ?? [] }));
  const failed = checks.checks.filter((check) => !check.pass).length;
  const title = `aquaseed farm report: ${data.preset ?? data.database}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 24px auto; max-width: 1200px; color: #1d2a33; padding: 0 16px; }
  h1 { font-size: 22px; margin-bottom: 4px; }
  .meta { color: #5b6b75; margin-top: 0; }
  .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 16px 24px; }
  section { border: 1px solid #dde3e7; border-radius: 6px; padding: 8px 16px 16px; }
  section.wide { grid-column: 1 / -1; }
  h2 { font-size: 16px; margin: 8px 0 2px; }
  p { margin: 0 0 8px; color: #5b6b75; }
  .chart { position: relative; height: 300px; }
  .chart.tall { height: ${Math.max(300, 22 * new Set(data.occupancy.map((bar) => bar.location)).size + 80)}px; }
  .empty { font-style: italic; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #eef1f3; }
  td.n { text-align: right; font-variant-numeric: tabular-nums; }
  tr.fail td { background: #fde8e8; }
  tr.skip td { color: #8a979f; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="meta">Database ${escapeHtml(data.database)} · ${data.batches} batches · ${data.containers} containers${data.asOf ? ` · as of ${escapeHtml(data.asOf)}` : ''} · checks: ${failed === 0 ? 'all passed' : `${failed} failed`} · generated ${escapeHtml(generatedAt.toISOString().slice(0, 16).replace('T', ' '))} UTC</p>
<div class="grid">
${sections.map((section, i) => (charts[i]?.id === 'occupancy' ? section.replace('<section>', '<section class="wide">') : section)).join('\n')}
${incidentsSection(data.incidents)}
<section class="wide"><h2>Checks</h2><p>The checks of <code>aquaseed verify</code> on this database.</p>${checksTable(checks)}</section>
</div>
<script>${scriptSafe(chartJsSource())}</script>
<script>
const charts = ${scriptSafe(JSON.stringify(drawn))};
const day = (v) => new Date(v).toISOString().slice(0, 10);
const percent = (v) => (v * 100).toFixed(v < 0.1 ? 1 : 0) + ' %';
Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;
for (const { id, config, dateAxes, percentAxes } of charts) {
  for (const axis of dateAxes) config.options.scales[axis].ticks = { callback: day, maxTicksLimit: 10 };
  for (const axis of percentAxes) config.options.scales[axis].ticks = { callback: percent };
  const dates = dateAxes.length > 0;
  // An incident marker's tooltip names the incident; other points fall back to Chart.js's label.
  config.options.plugins.tooltip = { callbacks: { title: (items) => items.map((item) => dates && config.type === 'line' ? day(item.parsed.x) : item.label), label: (item) => (item.raw && item.raw.label) || undefined } };
  if (config.type === 'bar' && config.options.indexAxis === 'y') {
    config.options.plugins.tooltip.callbacks.label = (item) => item.dataset.label + ': ' + day(item.raw.x[0]) + ' to ' + day(item.raw.x[1] - 86400000);
  }
  new Chart(document.getElementById('chart-' + id), config);
}
</script>
</body>
</html>
`;
}
