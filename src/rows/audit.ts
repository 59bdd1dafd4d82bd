import { timestamp } from '../core/time.js';

/**
 * Master data carries the farm's establishment date as its audit time (midnight UTC), so a farm
 * built twice is byte-identical and nothing depends on when the harness ran.
 */
export function auditStamp(establishedOn: string): { created_at: string; updated_at: string } {
  const at = timestamp(establishedOn, '00:00');
  return { created_at: at, updated_at: at };
}
