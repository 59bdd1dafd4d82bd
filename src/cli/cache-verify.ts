/**
 * `aquaseed cache verify`: reads every snapshot entry and checks each file against the content
 * hash its manifest recorded when the entry was written. An entry that fails is evicted (the next
 * seed of its key regenerates it) and the command exits 2, like a failed `verify`; entries that
 * pass get their verified mark (`cache ls --json` shows it).
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { defaultCacheDir } from '../host/cache-dir.js';
import { SnapshotStore, type SnapshotKind } from '../cache/snapshot-store.js';
import { EXIT_CHECK_FAILED } from './errors.js';
import { parseDirectory } from './parse-options.js';
import { run } from './run.js';

interface EntryVerdict {
  dir: string;
  preset: string | null;
  key: string | null;
  kind: SnapshotKind | null;
  pgMajor: number | null;
  ok: boolean;
  files: number;
  bytes: number;
  seconds: number;
  /** Why the entry was evicted. */
  problem?: string;
}

const number = new Intl.NumberFormat('en-US');

export function registerCacheVerify(cache: Command): void {
  cache
    .command('verify')
    .option('--cache-dir <dir>', 'cache directory', parseDirectory('--cache-dir'))
    .option('--json', 'print one JSON object with every entry as the last line of stdout')
    .option('--debug', 'print stack traces')
    .description("read every cached snapshot and check each file against its content hash; evict what fails (exit 2)")
    .addHelpText('after', '\nExamples:\n  $ npx aquaseed cache verify\n  $ npx aquaseed cache verify --json | jq \'.entries[] | select(.ok | not)\'')
    .action(async (flags: { cacheDir?: string; json?: boolean; debug?: boolean }) => {
      await run(flags, async () => {
        const cacheDir = flags.cacheDir ?? defaultCacheDir();
        const problems: string[] = [];
        const store = new SnapshotStore(join(cacheDir, 'snapshots'), (message) => problems.push(message));
        const verdicts: EntryVerdict[] = [];
        for (const entry of await store.list()) {
          const { manifest } = entry;
          const base = { dir: entry.dir, preset: manifest?.preset ?? null, key: manifest?.key ?? null, kind: manifest?.kind ?? null, pgMajor: manifest?.pgMajor ?? null };
          const before = problems.length;
          const snapshot = await store.findDir(entry.dir);
          if (!snapshot) {
            // find() evicted it (its manifest, its format or a file's size is wrong) and said why.
            verdicts.push({ ...base, ok: false, files: 0, bytes: 0, seconds: 0, problem: reason(problems.slice(before)) ?? 'it is gone (removed meanwhile)' });
            continue;
          }
          const { problem, stats } = await store.check(snapshot);
          verdicts.push({ ...base, ok: !problem, files: stats.files, bytes: stats.bytes, seconds: stats.seconds, ...(problem ? { problem: problem.message } : {}) });
        }
        const failed = verdicts.filter((verdict) => !verdict.ok);
        if (flags.json) {
          process.stdout.write(`${JSON.stringify({ cacheDir, pass: failed.length === 0, entries: verdicts })}\n`);
        } else {
          for (const verdict of verdicts) process.stdout.write(`${formatVerdict(verdict)}\n`);
          process.stdout.write(
            verdicts.length === 0
              ? `no snapshots in ${store.dir}\n`
              : failed.length === 0
                ? `All ${verdicts.length} entries match their content hashes.\n`
                : `${failed.length} of ${verdicts.length} entries failed and were evicted; the next seed of each regenerates it.\n`,
          );
        }
        if (failed.length > 0) process.exitCode = EXIT_CHECK_FAILED;
      });
    });
}

function formatVerdict(verdict: EntryVerdict): string {
  const name = `${(verdict.preset ?? '(unreadable)').padEnd(16)} ${(verdict.key ?? '').slice(0, 12).padEnd(12)}  ${(verdict.kind ?? '').padEnd(8)}`;
  if (!verdict.ok) return `EVICTED ${name}  ${verdict.problem ?? ''}`;
  const megabytes = number.format(Math.round(verdict.bytes / 2 ** 20));
  return `ok      ${name}  ${number.format(verdict.files)} files, ${megabytes} MB in ${verdict.seconds.toFixed(2)} s`;
}

/** The reason out of store warnings (`… evicting the corrupt snapshot <dir>: <why>; it will be regenerated`). */
function reason(warnings: readonly string[]): string | undefined {
  const last = warnings.at(-1);
  return last?.replace(/^aquaseed: evicting the corrupt snapshot \S+: /, '').replace(/; it will be regenerated$/, '');
}
