/**
 * The SQL of the change journal behind `reset()` (src/changes/tracking.ts installs it): the
 * journal's schema, each table's trigger function and triggers, and `aquaseed_reset.reset()`,
 * the one function a reset calls.
 */
import { ident, literal, qualified } from '../schema/identifiers.js';

export const RESET_SCHEMA = 'aquaseed_reset';
export const S = ident(RESET_SCHEMA);
export const TRIGGER_PREFIX = 'aquaseed_reset_';

export interface KeyColumn {
  column: string;
  /** The column's SQL type, as format_type prints it (the journal keeps keys as text). */
  type: string;
}

/** What the catalog says about one table to track. */
export interface TrackedTable {
  oid: number;
  schema: string;
  name: string;
  /** Primary-key columns; null when the table is saved whole. */
  key: KeyColumn[] | null;
  /** Columns a restore writes (all but generated ones), in attnum order. */
  columns: string[];
}

/** Schemas whose relations are the database's data: everything but PostgreSQL's own and ours. */
export const DATA_SCHEMAS = `n.nspname NOT IN ('pg_catalog', 'information_schema', '${RESET_SCHEMA}') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'`;

/** The relations whose set and shape a reset checks for schema changes: tables and sequences. */
export function relationsSql(): string {
  return `SELECT c.oid, c.relnatts FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE c.relkind IN ('r', 'p', 'S') AND c.relpersistence <> 't' AND ${DATA_SCHEMAS}`;
}

export interface SequenceRef {
  oid: number;
  qualified: string;
}

/** Every sequence's state now, as (seq oid, last_value, is_called) rows. */
export function sequenceValuesSql(sequences: readonly SequenceRef[]): string {
  if (sequences.length === 0) return 'SELECT NULL::oid, NULL::int8, NULL::boolean WHERE false';
  return sequences.map((seq) => `SELECT ${seq.oid}::oid AS seq, last_value, is_called FROM ${seq.qualified}`).join(' UNION ALL ');
}

export function schemaSql(replica: boolean): string {
  return `
    CREATE SCHEMA ${S};
    COMMENT ON SCHEMA ${S} IS 'aquaseed: the undo journal of reset(); do not edit';
    CREATE TABLE ${S}.settings (replica boolean NOT NULL);
    INSERT INTO ${S}.settings VALUES (${replica});
    CREATE TABLE ${S}.tracked (relid oid PRIMARY KEY, name text NOT NULL, whole boolean NOT NULL,
      restore_delete text NOT NULL, restore_insert text NOT NULL,
      qualified text NOT NULL, key jsonb, columns jsonb NOT NULL);
    CREATE TABLE ${S}.sequences (seq oid PRIMARY KEY, last_value int8 NOT NULL, is_called boolean NOT NULL);
    CREATE TABLE ${S}.relations (relid oid PRIMARY KEY, natts int2 NOT NULL);
    CREATE UNLOGGED TABLE ${S}.dirty (relid oid PRIMARY KEY);
    CREATE UNLOGGED TABLE ${S}.keys (relid oid NOT NULL, key text[] NOT NULL, PRIMARY KEY (relid, key));
    CREATE UNLOGGED TABLE ${S}.journal (relid oid NOT NULL, image text NOT NULL);
    -- Unlogged tables come back empty after a server crash: this row going missing says the
    -- journal was lost with it.
    CREATE UNLOGGED TABLE ${S}.alive (alive boolean NOT NULL);
    INSERT INTO ${S}.alive VALUES (true)`;
}

/**
 * Text forms that read back exactly whatever the writing session set: rows are saved, and keys
 * compared, as text, so the functions pin the settings that change how values print.
 */
const EXACT_TEXT = `SET datestyle = 'ISO, MDY' SET intervalstyle = 'postgres' SET extra_float_digits = 1 SET bytea_output = 'hex'`;

/** Rows of table alias `t` whose key is the text[] `k.key` (a journal key). */
export function keyMatchSql(key: readonly KeyColumn[]): string {
  return key.map(({ column, type }, i) => `t.${ident(column)} = k.key[${i + 1}]::${type}`).join(' AND ');
}

/** The trigger function, triggers and restore statements of one table. */
export function tableTrackingSql(table: TrackedTable): string {
  const target = qualified(table.schema, table.name);
  const fn = `${S}.${ident(`w${table.oid}`)}`;
  const oid = table.oid;
  const saveImages = (source: string, where = ''): string => `INSERT INTO ${S}.journal SELECT ${oid}, o::text FROM ${source} o${where}`;
  const columns = table.columns.map((column) => `(x.image).${ident(column)}`).join(', ');
  // OFFSET 0 keeps the text-to-row cast to once per row, not once per column.
  const images = `(SELECT image::${target} AS image FROM ${S}.journal WHERE relid = ${oid} OFFSET 0) x`;
  const insert = table.columns.length
    ? `INSERT INTO ${target} (${table.columns.map(ident).join(', ')}) OVERRIDING SYSTEM VALUE SELECT ${columns} FROM ${images}`
    : `INSERT INTO ${target} SELECT (x.image).* FROM ${images}`;
  const always = (events: string[]): string =>
    `ALTER TABLE ${target} ${events.map((event) => `ENABLE ALWAYS TRIGGER ${ident(TRIGGER_PREFIX + event)}`).join(', ')}`;
  const register = (whole: boolean, restoreDelete: string): string =>
    `INSERT INTO ${S}.tracked VALUES (${oid}, ${literal(`${table.schema}.${table.name}`)}, ${whole}, ${literal(restoreDelete)}, ${literal(insert)},
       ${literal(target)}, ${table.key ? literal(JSON.stringify(table.key)) : 'NULL'}, ${literal(JSON.stringify(table.columns))})`;

  if (!table.key) {
    return [
      `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql ${EXACT_TEXT} AS $fn$
       BEGIN
         IF current_setting('aquaseed.restoring', true) = 'on' THEN RETURN NULL; END IF;
         INSERT INTO ${S}.dirty VALUES (${oid}) ON CONFLICT DO NOTHING;
         IF FOUND THEN ${saveImages(target)}; END IF;
         RETURN NULL;
       END $fn$`,
      `CREATE TRIGGER ${ident(`${TRIGGER_PREFIX}write`)} BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${target} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
      always(['write']),
      register(true, `DELETE FROM ${target}`),
    ].join(';\n');
  }

  const keyOf = (alias: string): string => `ARRAY[${table.key!.map(({ column }) => `${alias}.${ident(column)}::text`).join(', ')}]`;
  // The first change of a key saves the row as it was; later changes of that key save nothing.
  const savePristine = (source: string): string =>
    saveImages(source, ` WHERE NOT EXISTS (SELECT 1 FROM ${S}.keys k WHERE k.relid = ${oid} AND k.key = ${keyOf('o')})`);
  const touch = (source: string): string => `INSERT INTO ${S}.keys SELECT ${oid}, ${keyOf('o')} FROM ${source} o ON CONFLICT DO NOTHING`;
  return [
    `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql ${EXACT_TEXT} AS $fn$
     BEGIN
       IF current_setting('aquaseed.restoring', true) = 'on' THEN RETURN NULL; END IF;
       IF TG_OP = 'INSERT' THEN
         IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
       ELSIF TG_OP IN ('UPDATE', 'DELETE') THEN
         IF NOT EXISTS (SELECT 1 FROM old_rows) THEN RETURN NULL; END IF;
       END IF;
       -- First, so that a reset under way makes this writer wait before it touches the journal.
       INSERT INTO ${S}.dirty VALUES (${oid}) ON CONFLICT DO NOTHING;
       IF TG_OP = 'INSERT' THEN
         ${touch('new_rows')};
       ELSIF TG_OP = 'UPDATE' THEN
         ${savePristine('old_rows')};
         ${touch('old_rows')};
         ${touch('new_rows')};
       ELSIF TG_OP = 'DELETE' THEN
         ${savePristine('old_rows')};
         ${touch('old_rows')};
       ELSE
         ${savePristine(target)};
         ${touch(target)};
       END IF;
       RETURN NULL;
     END $fn$`,
    // A trigger with transition tables handles one event only.
    `CREATE TRIGGER ${ident(`${TRIGGER_PREFIX}insert`)} AFTER INSERT ON ${target} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
    `CREATE TRIGGER ${ident(`${TRIGGER_PREFIX}update`)} AFTER UPDATE ON ${target} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
    `CREATE TRIGGER ${ident(`${TRIGGER_PREFIX}delete`)} AFTER DELETE ON ${target} REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
    `CREATE TRIGGER ${ident(`${TRIGGER_PREFIX}truncate`)} BEFORE TRUNCATE ON ${target} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
    always(['insert', 'update', 'delete', 'truncate']),
    register(false, `DELETE FROM ${target} t USING ${S}.keys k WHERE k.relid = ${oid} AND ${keyMatchSql(table.key)}`),
  ].join(';\n');
}

/**
 * `aquaseed_reset.reset(lock_timeout_ms)`: one round trip that waits for open transactions that
 * wrote, checks the journal and the schema, deletes the touched keys of every dirty table, puts
 * the pristine rows back, empties the journal and sets changed sequences back. Foreign keys are
 * not checked (replica) or checked at commit (deferred): the end state is the tracked one.
 */
export function resetFunctionSql(sequences: readonly SequenceRef[]): string {
  const current = sequenceValuesSql(sequences).replace(/'/g, "''");
  return `
  CREATE FUNCTION ${S}.reset(lock_timeout_ms int) RETURNS jsonb LANGUAGE plpgsql ${EXACT_TEXT} AS $fn$
  DECLARE
    r record;
    n int8;
    removed int8 := 0;
    restored int8 := 0;
    restored_tables text[] := '{}';
    sequences int := 0;
    changed text;
  BEGIN
    PERFORM set_config('aquaseed.restoring', 'on', true);
    PERFORM set_config('lock_timeout', lock_timeout_ms || 'ms', true);
    IF (SELECT replica FROM ${S}.settings) THEN
      PERFORM set_config('session_replication_role', 'replica', true);
    ELSE
      SET CONSTRAINTS ALL DEFERRED;
    END IF;
    -- Writers hold ROW EXCLUSIVE on dirty until they commit: wait for them; new ones wait for us.
    LOCK TABLE ${S}.dirty IN ACCESS EXCLUSIVE MODE;
    IF NOT EXISTS (SELECT 1 FROM ${S}.alive) THEN
      RAISE EXCEPTION 'the change journal was lost (the server restarted after a crash)' USING ERRCODE = 'AQ001';
    END IF;
    SELECT string_agg(coalesce(known.relid, present.oid)::regclass::text, ', ') INTO changed
      FROM ${S}.relations known FULL JOIN (${relationsSql()}) present ON present.oid = known.relid
     WHERE known.relid IS NULL OR present.oid IS NULL OR present.relnatts <> known.natts;
    IF changed IS NOT NULL THEN
      RAISE EXCEPTION 'tables or sequences were created, dropped or altered since tracking began: %', changed USING ERRCODE = 'AQ002';
    END IF;
    FOR r IN SELECT t.* FROM ${S}.dirty d JOIN ${S}.tracked t USING (relid) LOOP
      EXECUTE r.restore_delete;
      GET DIAGNOSTICS n = ROW_COUNT;
      removed := removed + n;
      EXECUTE r.restore_insert;
      GET DIAGNOSTICS n = ROW_COUNT;
      restored := restored + n;
      restored_tables := restored_tables || r.name;
    END LOOP;
    -- TRUNCATE makes new files for the journal and its index (~20 ms); a few rows delete faster.
    IF removed + restored > 10000 THEN
      TRUNCATE ${S}.dirty, ${S}.keys, ${S}.journal;
    ELSIF cardinality(restored_tables) > 0 THEN
      DELETE FROM ${S}.dirty;
      DELETE FROM ${S}.keys;
      DELETE FROM ${S}.journal;
    END IF;
    -- Last: setval is not undone if anything above fails.
    FOR r IN EXECUTE 'SELECT s.seq, s.last_value, s.is_called FROM ${S}.sequences s JOIN (${current}) c USING (seq)
                       WHERE (c.last_value, c.is_called) IS DISTINCT FROM (s.last_value, s.is_called)' LOOP
      PERFORM setval(r.seq::regclass, r.last_value, r.is_called);
      sequences := sequences + 1;
    END LOOP;
    RETURN jsonb_build_object('tables', to_jsonb(restored_tables), 'removed', removed, 'restored', restored, 'sequences', sequences);
  END $fn$`;
}
