/**
 * How much memory each index build may sort in (`maintenance_work_mem`). A build whose sort does
 * not fit spills it to temporary files: on this project's reference machine a 9.7 million row
 * index wrote 333 MB of them at 512 MB and sorted in memory at 1 GB (0.9 GB used), and the
 * spills of builds side by side made the index phase disk-bound. A server on this machine gets a
 * share of the memory available now; one elsewhere, whose memory aquaseed cannot see, 512 MB.
 */
import { freemem } from 'node:os';

const MB = 2 ** 20;
const REMOTE_MB = 512;
const MAX_MB = 4096;

/** `maintenance_work_mem` for each of `connections` builds at once on the server at `connectionString`. */
export function maintenanceWorkMem(connectionString: string, connections: number, available = freemem()): string {
  if (!onThisMachine(connectionString)) return `${REMOTE_MB}MB`;
  // Half of what is free, split between the builds: the server's caches and the seed keep the rest.
  const share = Math.floor(available / 2 / Math.max(1, connections) / MB);
  return `${Math.min(MAX_MB, Math.max(REMOTE_MB, share))}MB`;
}

/** True when the URL names a loopback address or a Unix socket. */
export function onThisMachine(connectionString: string): boolean {
  let url: URL;
  try {
    url = new URL(connectionString);
  } catch {
    return false;
  }
  const socket = url.searchParams.get('host');
  if (socket?.startsWith('/')) return true;
  const host = decodeURIComponent(url.hostname).replace(/^\[|\]$/g, '');
  return host === '' || host === 'localhost' || host === '::1' || /^127\./.test(host);
}
