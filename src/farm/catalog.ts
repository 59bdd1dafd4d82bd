// Small helpers for the farm's fixed catalogues (names are built and read in core/layout.ts).

/** 1, 2, …, n. */
export function oneTo(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

/** Orders by name in code-unit order, which is locale-independent (and equals PostgreSQL's "C" collation). */
export function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Finds a catalogue entry, failing loudly: a missing entry is a programming error. */
export function lookup<T>(items: readonly T[], matches: (item: T) => boolean, what: string): T {
  const found = items.find(matches);
  if (found === undefined) throw new RangeError(`unknown ${what}`);
  return found;
}

/** A value the farm model must hold, e.g. a geography's model ID. */
export function required<K, V>(map: ReadonlyMap<K, V>, key: K, what: string): V {
  const value = map.get(key);
  if (value === undefined) throw new RangeError(`missing ${what}`);
  return value;
}

/** Pairs catalogue entries with the IDs the farm gave them (same order), refusing a length mismatch. */
export function withIds<T>(items: readonly T[], ids: readonly number[], what: string): { id: number; item: T }[] {
  if (items.length !== ids.length) throw new RangeError(`${what}: ${ids.length} IDs for ${items.length} entries`);
  return items.map((item, index) => ({ id: ids[index] as number, item }));
}
