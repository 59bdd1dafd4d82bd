/**
 * Encodes rows as PostgreSQL COPY text, straight into byte buffers. One encoder per table is
 * compiled from its definition into straight-line code, and numbers are written digit by digit:
 * building a string per field made the garbage collector the main cost of seeding.
 */
import { tables, type Row, type TableName } from '../schema/tables/index.js';

const TAB = 9;
const NEWLINE = 10;
const BACKSLASH = 92;
const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_GLOBAL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12];

/** COPY text escaping for one string value. */
export function escapeCopyText(value: string): string {
  return SPECIAL.test(value) ? value.replace(SPECIAL_GLOBAL, (c) => ESCAPES[c] as string) : value;
}

/**
 * Rows encoded into one chunk per table. A chunk that reaches `chunkBytes`, and every non-empty
 * one on `flush()`, goes to `full` with the rows it holds; `rowCounts` counts what was handed out.
 */
export class TableChunks {
  private readonly pending = new Map<TableName, CopyChunk>();
  readonly rowCounts = new Map<TableName, number>();

  constructor(
    private readonly chunkBytes: number,
    private readonly full: (table: TableName, rows: number, data: Buffer) => void,
  ) {}

  add<N extends TableName>(table: N, row: Row<N>): void {
    let chunk = this.pending.get(table);
    if (!chunk) this.pending.set(table, (chunk = new CopyChunk(this.chunkBytes)));
    rowEncoder(table)(row, chunk);
    if (chunk.pos >= this.chunkBytes) this.hand(table, chunk);
  }

  flush(): void {
    for (const [table, chunk] of this.pending) if (chunk.pos > 0) this.hand(table, chunk);
  }

  private hand(table: TableName, chunk: CopyChunk): void {
    const rows = chunk.rows;
    this.rowCounts.set(table, (this.rowCounts.get(table) ?? 0) + rows);
    this.full(table, rows, chunk.take());
  }
}

/** A growable byte buffer of COPY lines; `take()` hands out what was written so far. */
export class CopyChunk {
  private buf: Buffer;
  pos = 0;
  rows = 0;

  constructor(private readonly capacity = 1 << 20) {
    this.buf = Buffer.allocUnsafe(capacity + 65_536);
  }

  take(): Buffer {
    const out = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(this.capacity + 65_536);
    this.pos = 0;
    this.rows = 0;
    return out;
  }

  /** Makes room for `bytes` more. */
  reserve(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + bytes));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  tab(): void {
    this.reserve(1);
    this.buf[this.pos++] = TAB;
  }

  newline(): void {
    this.reserve(1);
    this.buf[this.pos++] = NEWLINE;
    this.rows++;
  }

  nul(): void {
    this.reserve(2);
    this.buf[this.pos++] = BACKSLASH;
    this.buf[this.pos++] = 78; // N
  }

  bool(value: unknown): void {
    this.reserve(1);
    this.buf[this.pos++] = value ? 116 : 102; // t / f
  }

  /** An integer column; anything else is written as JS prints it (PostgreSQL then rejects it loudly). */
  int(value: unknown): void {
    if (typeof value === 'number' && Number.isSafeInteger(value)) {
      this.reserve(17);
      if (value < 0) {
        this.buf[this.pos++] = 45; // -
        value = -value;
      }
      this.digits(value as number);
    } else this.ascii(String(value));
  }

  /** numeric(p, s): rounded half away from zero to `scale` places, written without a float-to-string. */
  fixed(value: unknown, scale: number): void {
    if (typeof value !== 'number' || !Number.isFinite(value)) return this.ascii(String(value));
    const factor = POW10[scale] as number;
    const scaled = Math.round(Math.abs(value) * factor);
    if (scaled > Number.MAX_SAFE_INTEGER) return this.ascii(String(value));
    this.reserve(20 + scale);
    if (value < 0 && scaled !== 0) this.buf[this.pos++] = 45;
    const whole = Math.floor(scaled / factor);
    this.digits(whole);
    if (scale === 0) return;
    this.buf[this.pos++] = 46; // .
    let fraction = scaled - whole * factor;
    for (let i = scale - 1; i >= 0; i--) {
      const q = Math.floor(fraction / 10);
      this.buf[this.pos + i] = 48 + (fraction - q * 10);
      fraction = q;
    }
    this.pos += scale;
  }

  /** Text known to be plain ASCII without COPY specials (timestamps, dates, numbers). */
  ascii(value: string): void {
    this.reserve(value.length);
    this.pos += this.buf.write(value, this.pos, 'latin1');
  }

  text(value: unknown): void {
    const text = SPECIAL.test(value as string) ? (value as string).replace(SPECIAL_GLOBAL, (c) => ESCAPES[c] as string) : (value as string);
    this.reserve(text.length * 3);
    this.pos += this.buf.write(text, this.pos, 'utf8');
  }

  json(value: unknown): void {
    this.text(JSON.stringify(value));
  }

  private digits(n: number): void {
    let length = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) length++;
    let p = this.pos + length;
    this.pos = p;
    do {
      const q = Math.floor(n / 10);
      this.buf[--p] = 48 + (n - q * 10);
      n = q;
    } while (n > 0);
  }
}

export type RowEncoder<N extends TableName> = (row: Row<N>, out: CopyChunk) => void;

function missing(table: string, column: string): never {
  throw new TypeError(`row for ${table} has no value for column ${column} (use null for NULL)`);
}

function writerFor(type: string): string {
  const base = type.endsWith('?') ? type.slice(0, -1) : type;
  const numeric = /^numeric\(\d+,(\d+)\)$/.exec(base);
  if (numeric) return `fixed(v, ${Number(numeric[1])})`;
  switch (base) {
    case 'bigint':
    case 'integer':
    case 'smallint':
      return 'int(v)';
    case 'float8':
      return 'ascii(String(v))';
    case 'boolean':
      return 'bool(v)';
    case 'date':
    case 'time':
    case 'timestamptz':
      return 'ascii(v)';
    case 'jsonb':
      return 'json(v)';
    default:
      return 'text(v)';
  }
}

const cache = new Map<TableName, RowEncoder<TableName>>();

/** The compiled encoder of a table: appends one COPY line for `row` to `out`. */
export function rowEncoder<N extends TableName>(table: N): RowEncoder<N> {
  let encoder = cache.get(table);
  if (!encoder) {
    const columns = Object.entries(tables[table].columns);
    const body = columns
      .map(([column, type], i) => {
        const key = JSON.stringify(column);
        return (
          `v = r[${key}]; if (v === undefined) missing(${JSON.stringify(table)}, ${key}); ` +
          `if (v === null) o.nul(); else o.${writerFor(type)};${i < columns.length - 1 ? ' o.tab();' : ' o.newline();'}`
        );
      })
      .join('\n');
    // Compiled once per table from our own definitions: straight-line code, no per-cell lookups.
    encoder = new Function('missing', `return function encode(r, o) { let v;\n${body}\n};`)(missing) as RowEncoder<TableName>;
    cache.set(table, encoder);
  }
  return encoder as RowEncoder<N>;
}

/** One row as a COPY line (for tests and diagnostics). */
export function encodeRow<N extends TableName>(table: N, row: Row<N>): string {
  const chunk = new CopyChunk(4096);
  rowEncoder(table)(row, chunk);
  return chunk.take().toString('utf8');
}

/** The column list of a table's COPY statement, in definition order. */
export function copyColumns(table: TableName): string {
  return Object.keys(tables[table].columns)
    .map((c) => `"${c}"`)
    .join(', ');
}
