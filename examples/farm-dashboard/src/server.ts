/**
 * A tiny dashboard server over a seeded farm (node:http, no framework): `/` is the page,
 * `/api/dashboard` the same data as JSON; `?batch=FAR-2025-001` picks the growth curve's batch.
 * `/last-7-days` and `/alerts` look back from the dashboard's today (the UTC date, unless `today`
 * says otherwise), with `/api/last-7-days` and `/api/alerts` as JSON.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openFarm } from 'aquaseed';
import { dashboardData } from './queries.js';
import { renderAlerts, renderLastSevenDays, renderPage } from './render.js';
import { alerts, lastSevenDays } from './recent.js';

export interface Dashboard {
  /** Where the server listens, e.g. http://127.0.0.1:41234/ */
  url: string;
  close(): Promise<void>;
}

export interface DashboardOptions {
  databaseUrl: string;
  port?: number;
  /** The dashboard's today (YYYY-MM-DD); default the current UTC date. */
  today?: () => string;
}

export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const farm = await openFarm(options.databaseUrl);
  const today = options.today ?? (() => new Date().toISOString().slice(0, 10));
  const html = (body: string): [string, string] => ['text/html; charset=utf-8', body];
  const json = (value: unknown): [string, string] => ['application/json', JSON.stringify(value)];
  const pages: Record<string, (batch: string | undefined) => Promise<[string, string]>> = {
    '/': async (batch) => html(renderPage(await dashboardData(farm.db, batch))),
    '/api/dashboard': async (batch) => json(await dashboardData(farm.db, batch)),
    '/last-7-days': async () => html(renderLastSevenDays(await lastSevenDays(farm.db, today()), today())),
    '/api/last-7-days': async () => json(await lastSevenDays(farm.db, today())),
    '/alerts': async () => html(renderAlerts(await alerts(farm.db, today()), today())),
    '/api/alerts': async () => json(await alerts(farm.db, today())),
  };
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const batch = url.searchParams.get('batch') ?? undefined;
    const respond = async () => {
      const page = pages[url.pathname];
      if (!page) {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      const [type, body] = await page(batch);
      response.writeHead(200, { 'content-type': type }).end(body);
    };
    respond().catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'text/plain' }).end(String((error as Error).message));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await farm.close();
    },
  };
}
