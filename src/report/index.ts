/**
 * `aquaseed report`: the farm in charts, one HTML file. Queries live in ./queries.ts, the page in
 * ./html.ts; the checks table is `verifyFarm`'s.
 */
import { writeFile } from 'node:fs/promises';
import { verifyFarm } from '../verify/verify-farm.js';
import type { VerifyReport } from '../verify/types.js';
import { renderReportHtml } from './html.js';
import { queryReport } from './queries.js';

export interface FarmReport {
  html: string;
  checks: VerifyReport;
  /** Charts drawn and charts replaced by a "no data" note. */
  charts: number;
  emptyCharts: number;
}

export async function farmReport(url: string, now = new Date()): Promise<FarmReport> {
  const [data, checks] = await Promise.all([queryReport(url), verifyFarm(url)]);
  const html = renderReportHtml(data, checks, now);
  const charts = (html.match(/<canvas /g) ?? []).length;
  const emptyCharts = (html.match(/class="empty"/g) ?? []).length;
  return { html, checks, charts, emptyCharts };
}

export async function writeFarmReport(url: string, file: string): Promise<FarmReport> {
  const report = await farmReport(url);
  await writeFile(file, report.html);
  return report;
}
