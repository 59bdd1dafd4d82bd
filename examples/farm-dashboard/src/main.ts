/**
 * Serve the dashboard over a seeded farm:
 *   npx aquaseed up tiny            # prints DATABASE_URL
 *   DATABASE_URL=… npx tsx examples/farm-dashboard/src/main.ts
 */
import { startDashboard } from './server.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('Set DATABASE_URL to a farm seeded by aquaseed (`npx aquaseed up tiny` prints one).');
  process.exit(1);
}
const dashboard = await startDashboard({ databaseUrl, port: Number(process.env.PORT ?? 3000) });
console.log(`Farm dashboard at ${dashboard.url}`);
