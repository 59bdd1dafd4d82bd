/** Keeps the CLI alive while it serves a database, until Ctrl-C (the signal) ends it. */
export async function serveUntilAborted(signal: AbortSignal): Promise<void> {
  // Nothing else holds the event loop while we serve (the server process is unref'd on purpose).
  const keepAlive = setInterval(() => {}, 1 << 30);
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  clearInterval(keepAlive);
}
