/**
 * The content hash of a cache entry's files: xxHash64 (xxhash-wasm, WebAssembly, no native build),
 * several GB/s on one core, so hashing while an entry is copied costs little next to the copy.
 * It guards against damaged bytes (a flipped bit, a truncated or overwritten page), not against
 * someone forging an entry: the cache directory is the user's own.
 */
import xxhash from 'xxhash-wasm';

/** The algorithm a manifest's hashes are made with; an entry with another one is regenerated. */
export const CONTENT_HASH = 'xxh64';

export interface ContentHasher {
  update(bytes: Uint8Array): void;
  /** The hash as 16 hex digits. */
  digest(): string;
}

type XXHashApi = Awaited<ReturnType<typeof xxhash>>;
let api: Promise<XXHashApi> | undefined;

/** A fresh hasher (the WebAssembly module is compiled once per process, on first use). */
export async function contentHasher(): Promise<ContentHasher> {
  const hasher = (await (api ??= xxhash())).create64();
  return {
    update: (bytes) => void hasher.update(bytes),
    digest: () => hasher.digest().toString(16).padStart(16, '0'),
  };
}
