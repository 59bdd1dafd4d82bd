import type { Inventory } from './cache-inventory.js';

/** Sizes as `du -h` would say them, in binary units. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 || value >= 100 ? 0 : 1)} ${units[unit]}`;
}

/** `aquaseed cache ls`: one line per part of the cache, its kind, what it is, its size; then the total. */
export function formatInventory(inventory: Inventory): string {
  const listed = inventory.items.filter((item) => item.kind !== 'other');
  if (listed.length === 0) return `nothing cached in ${inventory.cacheDir} (${formatBytes(inventory.bytes)})`;
  const width = Math.max(...inventory.items.map((item) => item.name.length));
  const lines = [`${inventory.cacheDir}:`];
  for (const item of inventory.items) {
    lines.push(`  ${item.kind.padEnd(8)}  ${item.name.padEnd(width)}  ${formatBytes(item.bytes).padStart(8)}  ${item.detail}`);
  }
  lines.push(`  ${'total'.padEnd(8)}  ${''.padEnd(width)}  ${formatBytes(inventory.bytes).padStart(8)}`);
  if (inventory.copyMethod === 'reflink') lines.push('copies: reflink (this filesystem shares blocks: restores write almost nothing)');
  if (inventory.copyMethod === 'file copy') lines.push('copies: file copy (this filesystem cannot reflink; see docs/isolation.md#copy-on-write)');
  return lines.join('\n');
}
