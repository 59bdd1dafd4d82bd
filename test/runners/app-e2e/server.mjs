// The app under test of test/runners/app-playwright.config.ts: listens on $PORT, writes to its
// farm through DATABASE_URL on its own pooled connection, and dies when asked.
import http from 'node:http';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
console.log(`app ${process.pid} on ${process.env.PGDATABASE}`);

http
  .createServer(async (request, response) => {
    const url = new URL(request.url, 'http://localhost');
    if (url.pathname === '/health') return response.end('ok');
    if (url.pathname === '/pid') return response.end(String(process.pid));
    if (url.pathname === '/write') {
      const note = url.searchParams.get('note');
      await pool.query('UPDATE batch_batch SET notes = $1 WHERE id = (SELECT min(id) FROM batch_batch)', [note]);
      console.log(`wrote ${note}`);
      return response.end('written');
    }
    if (url.pathname === '/hold') {
      // A transaction that wrote and is never ended: its connection stays checked out, idle in it.
      const client = await pool.connect();
      client.on('error', () => console.log('held connection ended'));
      await client.query('BEGIN');
      await client.query(`UPDATE batch_batch SET notes = 'held open' WHERE id = (SELECT min(id) FROM batch_batch)`);
      return response.end('held');
    }
    if (url.pathname === '/die') {
      console.error('dying: the fish ran out');
      response.end('bye', () => process.exit(7));
      return;
    }
    response.statusCode = 404;
    response.end();
  })
  .listen(Number(process.env.PORT), '127.0.0.1');
