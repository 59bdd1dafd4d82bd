/**
 * Serve the dashboard over a seeded farm:
 *   npx aquaseed up tiny            # prints DATABASE_URL
 *   DATABASE_URL=… npx tsx examples/farm-dashboard/src/main.ts
 * PORT picks the port (default 3000), AQUASEED_TODAY the dashboard's today (default the UTC date).
 * The Playwright suite runs it this way, one per worker, as its `app` (playwright.config.ts).
 */
import { startDashboard } from './server.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('Set DATABASE_URL to a farm seeded by aquaseed (`npx aquaseed up tiny` prints one).');
  process.exit(1);
}
const dashboard = await startDashboard({
  databaseUrl,
  port: Number(process.env.PORT ?? 3000),
  today: () => process.env.AQUASEED_TODAY ?? new Date().toISOString().slice(0, 10),
});
console.log(`Farm dashboard at ${dashboard.url}`);
