/**
 * A tiny dashboard server over a seeded farm (node:http, no framework): `/` is the page,
 * `/api/dashboard` the same data as JSON; `?batch=FAR-2025-001` picks the growth curve's batch.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openFarm } from 'aquaseed';
import { dashboardData } from './queries.js';
import { renderPage } from './render.js';

export interface Dashboard {
  /** Where the server listens, e.g. http://127.0.0.1:41234/ */
  url: string;
  close(): Promise<void>;
}

export async function startDashboard(options: { databaseUrl: string; port?: number }): Promise<Dashboard> {
  const farm = await openFarm(options.databaseUrl);
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const batch = url.searchParams.get('batch') ?? undefined;
    const respond = async () => {
      if (url.pathname !== '/' && url.pathname !== '/api/dashboard') {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      const data = await dashboardData(farm.db, batch);
      if (url.pathname === '/') response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(renderPage(data));
      else response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(data));
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
