/**
 * Bump whenever the engine's output for a given schedule changes (a new table, a different number).
 * Part of the cache key, so a new engine never restores a snapshot made by an old one.
 */
export const ENGINE_VERSION = 3;
