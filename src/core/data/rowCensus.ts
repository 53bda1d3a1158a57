/**
 * The exact row count and class balances of a whole CSV file, in one fast pass over its bytes, for a
 * preview made from the file's first megabytes (preview.ts): the panel shows the sample's estimate
 * at once and replaces it with these counts when the pass is done. Only record boundaries and the
 * cells of the watched columns (the preview's candidate targets) are looked at; nothing else is
 * decoded or kept, so memory stays at one chunk plus the longest record.
 *
 * The record rules are csv.ts's: RFC 4180 quoting (delimiters and line breaks inside quotes, doubled
 * quotes), LF / CRLF / lone CR line ends, a UTF-8 BOM, blank (empty or all-pad) lines skipped, the
 * first record the header. A cell counts as preview.ts counts it: its text trimmed, empty cells not
 * counted. A column with more than `maxClasses` distinct values gets no balance (as in the preview).
 */
import { decodeWindows1252 } from './csv';
import { sortClassLabels } from './dataset';
import type { DataPreview } from './preview';

export interface RowCensus {
  /** Data rows (the header and blank lines not counted). */
  nRows: number;
  /** Label counts per watched column, in first-seen order; a column past maxClasses is absent. */
  counts: Record<string, Map<string, number>>;
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;

export interface RowCounterOptions {
  /** The file's delimiter (one character), as the preview sniffed it. */
  delimiter: string;
  /** Fields per record (the header's). */
  nColumns: number;
  /** The columns to count labels of: name and 0-based field index. */
  columns: { name: string; index: number }[];
  encoding: 'utf-8' | 'windows-1252';
  /** Columns with more distinct labels than this are dropped (default 50). */
  maxClasses?: number;
}

/** Counts records and watched-column labels over chunks of a file's bytes, in order (push, then finish). */
export class RowCounter {
  private nRows = 0;
  private headerSeen = false;
  private started = false;
  private carry: Uint8Array | null = null;
  private readonly delimiter: number;
  private readonly padTab: boolean;
  /** watchAt[field index] = slot in `maps`, or -1. */
  private readonly watchAt: Int32Array;
  private readonly maps: (Map<string, number> | null)[];
  private readonly names: string[];
  private readonly maxClasses: number;
  private readonly decodeBytes: (bytes: Uint8Array) => string;
  private readonly lastWatched: number;
  private readonly nColumns: number;
  private readonly watched: { slot: number; index: number }[];
  /** Short ASCII labels by a numeric key (shortKey), per watched column: keys and counts, disjoint from `maps`. */
  private readonly keys: number[][];
  private readonly keyCounts: number[][];

  constructor(options: RowCounterOptions) {
    this.delimiter = options.delimiter.charCodeAt(0);
    this.padTab = this.delimiter !== TAB;
    this.lastWatched = options.columns.reduce((m, c) => Math.max(m, c.index), -1);
    this.watchAt = new Int32Array(this.lastWatched + 1).fill(-1);
    options.columns.forEach((c, k) => (this.watchAt[c.index] = k));
    this.maps = options.columns.map(() => new Map());
    this.nColumns = options.nColumns;
    this.watched = options.columns.map((c, slot) => ({ slot, index: c.index }));
    this.keys = options.columns.map(() => []);
    this.keyCounts = options.columns.map(() => []);
    this.names = options.columns.map((c) => c.name);
    this.maxClasses = options.maxClasses ?? 50;
    const utf8 = new TextDecoder('utf-8');
    this.decodeBytes = options.encoding === 'utf-8' ? (b) => utf8.decode(b) : decodeWindows1252;
  }

  /** Counts the complete records of `chunk` (with the part of a record left from the previous chunk). */
  push(chunk: Uint8Array): void {
    let buf = chunk;
    if (this.carry) {
      buf = new Uint8Array(this.carry.length + chunk.length);
      buf.set(this.carry);
      buf.set(chunk, this.carry.length);
      this.carry = null;
    }
    const stop = this.consume(buf, false);
    if (stop < buf.length) this.carry = buf.slice(stop);
  }

  /**
   * Counts the complete records of `buf` (which starts at a record, or at the file's start) and returns
   * how many bytes they take; the caller passes the rest again, followed by more bytes (or with `eof`,
   * after which it calls finish). No copy: a caller that reads into one buffer (a Node Buffer, whose
   * indexOf is memchr) keeps it.
   */
  consume(buf: Uint8Array, eof: boolean): number {
    return this.scan(buf, eof);
  }

  /** Counts the last record (one without a final line break) and returns the census. */
  finish(): RowCensus {
    if (this.carry) this.scan(this.carry, true);
    this.carry = null;
    const counts: Record<string, Map<string, number>> = {};
    this.maps.forEach((m, k) => {
      if (!m) return;
      this.keys[k].forEach((key, i) => m.set(keyText(key), this.keyCounts[k][i]));
      counts[this.names[k]] = m;
    });
    return { nRows: this.nRows, counts };
  }

  /** Scans whole records from 0; returns where the first incomplete one starts (buf.length when none). */
  private scan(buf: Uint8Array, eof: boolean): number {
    let p = 0;
    if (!this.started) {
      this.started = true;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) p = 3;
    }
    const end = buf.length;
    // Records before the next quote or CR are whole lines, cut by the native indexOf (fastLines).
    let special = -1;
    for (;;) {
      if (special < p) special = nextSpecial(buf, p);
      p = this.fastLines(buf, p, special);
      // Blank lines are skipped; a record starts at its first non-pad character.
      let q = p;
      while (q < end && this.isPad(buf[q])) q++;
      if (q >= end) return eof ? end : p;
      const c = buf[q];
      if (c === LF || c === CR) {
        if (c === CR && q + 1 >= end && !eof) return p;
        p = q + (c === CR && buf[q + 1] === LF ? 2 : 1);
        continue;
      }
      const next = this.record(buf, p, end, eof);
      if (next < 0) return p;
      p = next;
    }
  }

  /**
   * Counts the records of whole lines from `p` that end before `limit` (where a quote or a CR may
   * change the rules): no quoting, LF line ends. Returns where it stopped (a record start).
   */
  private fastLines(buf: Uint8Array, p: number, limit: number): number {
    const d = this.delimiter;
    for (;;) {
      const lf = buf.indexOf(LF, p);
      if (lf < 0 || lf >= limit) return p;
      let q = p;
      while (q < lf && this.isPad(buf[q])) q++;
      if (q < lf) {
        if (!this.headerSeen) this.headerSeen = true;
        else {
          this.nRows++;
          for (const w of this.watched) {
            if (!this.maps[w.slot]) continue;
            // The field: forward from the line's start, or (the last column) back from its end.
            let s = p;
            let e: number;
            if (w.index === this.nColumns - 1 && w.index > 0) {
              s = buf.lastIndexOf(d, lf - 1) + 1;
              e = lf;
              if (s <= p) continue; // a record with one field only: ragged, the parser refuses the file
            } else {
              for (let i = 0; i < w.index && s >= 0; i++) {
                s = buf.indexOf(d, s);
                if (s >= lf) s = -1;
                if (s >= 0) s++;
              }
              if (s < 0) continue;
              e = buf.indexOf(d, s);
              if (e < 0 || e > lf) e = lf;
            }
            this.addBytes(w.slot, buf, s, e);
          }
        }
      }
      p = lf + 1;
    }
  }

  /** Counts the unquoted cell buf[s, e) (pads trimmed) for watched slot k. */
  private addBytes(k: number, buf: Uint8Array, s: number, e: number): void {
    while (s < e && this.isPad(buf[s])) s++;
    while (e > s && this.isPad(buf[e - 1])) e--;
    if (s === e) return;
    const key = shortKey(buf, s, e);
    if (key < 0) {
      const label = this.decode(buf, s, e).trim();
      if (label !== '') this.add(k, label);
      return;
    }
    const keys = this.keys[k];
    const at = keys.indexOf(key);
    if (at >= 0) {
      this.keyCounts[k][at]++;
      return;
    }
    keys.push(key);
    this.keyCounts[k].push(1);
    this.checkCap(k);
  }

  /** One record from `p`: counts it and its watched cells; returns the position after its line break, or -1 when it does not end in `buf`. */
  private record(buf: Uint8Array, p: number, end: number, eof: boolean): number {
    const counting = this.headerSeen;
    const d = this.delimiter;
    let field = 0;
    // Cells of this record, counted only once the record is known to be complete.
    let cells: [number, string][] | null = null;
    for (;;) {
      let start = p;
      while (start < end && this.isPad(buf[start])) start++;
      let stop: number;
      let value: string | null = null;
      const watched = counting && field <= this.lastWatched && this.watchAt[field] >= 0 && this.maps[this.watchAt[field]] !== null;
      if (start < end && buf[start] === QUOTE) {
        // A quoted field: up to the closing quote (a doubled quote is a quote).
        let r = start + 1;
        let doubled = false;
        for (;;) {
          while (r < end && buf[r] !== QUOTE) r++;
          if (r + 1 >= end) {
            if (!eof) return -1;
            break;
          }
          if (buf[r + 1] !== QUOTE) break;
          doubled = true;
          r += 2;
        }
        if (watched) {
          value = this.decodeBytes(buf.subarray(start + 1, Math.min(r, end)));
          if (doubled) value = value.replace(/""/g, '"');
        }
        p = Math.min(r + 1, end);
        while (p < end && buf[p] !== d && buf[p] !== LF && buf[p] !== CR) p++;
        stop = p;
      } else {
        p = start;
        while (p < end && buf[p] !== d && buf[p] !== LF && buf[p] !== CR) p++;
        stop = p;
        if (watched) value = this.decode(buf, start, stop);
      }
      if (p >= end && !eof) return -1;
      if (value !== null) {
        const label = value.trim();
        if (label !== '') (cells ??= []).push([this.watchAt[field], label]);
      }
      if (p < end && buf[p] === d) {
        p++;
        field++;
        continue;
      }
      // The line break (or the end of the file) ends the record.
      if (p < end && buf[p] === CR) {
        if (p + 1 >= end && !eof) return -1;
        p += buf[p + 1] === LF ? 2 : 1;
      } else if (p < end) p++;
      if (!counting) {
        this.headerSeen = true;
        return p;
      }
      this.nRows++;
      if (cells) for (const [k, label] of cells) this.add(k, label);
      return p;
    }
  }

  /** The text of an unquoted cell (pads already skipped at its start; csv.ts trims both ends too). */
  private decode(buf: Uint8Array, start: number, stop: number): string {
    let ascii = true;
    for (let i = start; i < stop; i++) {
      if (buf[i] >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (!ascii) return this.decodeBytes(buf.subarray(start, stop));
    return stop - start === 1 ? String.fromCharCode(buf[start]) : String.fromCharCode.apply(null, buf.subarray(start, stop) as unknown as number[]);
  }

  private add(k: number, label: string): void {
    const key = shortKeyOf(label);
    if (key >= 0) {
      // The same label as the fast path counts it (a short printable ASCII label).
      const at = this.keys[k].indexOf(key);
      if (at >= 0) this.keyCounts[k][at]++;
      else {
        this.keys[k].push(key);
        this.keyCounts[k].push(1);
        this.checkCap(k);
      }
      return;
    }
    const m = this.maps[k];
    if (!m) return;
    m.set(label, (m.get(label) ?? 0) + 1);
    this.checkCap(k);
  }

  /** Drops column k's counts once it has more than maxClasses labels. */
  private checkCap(k: number): void {
    const m = this.maps[k];
    if (m && m.size + this.keys[k].length > this.maxClasses) {
      this.maps[k] = null;
      this.keys[k].length = 0;
      this.keyCounts[k].length = 0;
    }
  }

  private isPad(c: number): boolean {
    return c === SPACE || (c === TAB && this.padTab);
  }
}

/** The first quote or CR at or after p (buf.length when none). */
function nextSpecial(buf: Uint8Array, p: number): number {
  const q = buf.indexOf(QUOTE, p);
  const r = buf.indexOf(CR, p);
  return Math.min(q < 0 ? buf.length : q, r < 0 ? buf.length : r);
}

/** Labels of at most 6 printable ASCII bytes have a numeric key: their bytes base 256, times 8, plus the length; -1 otherwise. */
function shortKey(buf: Uint8Array, s: number, e: number): number {
  const n = e - s;
  if (n > 6) return -1;
  let key = 0;
  for (let i = s; i < e; i++) {
    const c = buf[i];
    if (c < 0x21 || c > 0x7e) return -1;
    key = key * 256 + c;
  }
  return key * 8 + n;
}

function shortKeyOf(label: string): number {
  if (label.length > 6) return -1;
  let key = 0;
  for (let i = 0; i < label.length; i++) {
    const c = label.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) return -1;
    key = key * 256 + c;
  }
  return key * 8 + label.length;
}

/** The label of a shortKey. */
function keyText(key: number): string {
  const n = key % 8;
  let rest = (key - n) / 8;
  const codes: number[] = [];
  for (let i = 0; i < n; i++) {
    codes.unshift(rest % 256);
    rest = Math.floor(rest / 256);
  }
  return String.fromCharCode(...codes);
}

/** The counter for a preview's candidate targets (the columns of its targetBalances). */
export function rowCounterFor(preview: DataPreview, maxClasses?: number): RowCounter {
  const watched = Object.keys(preview.targetBalances ?? {}).map((name) => ({ name, index: preview.columns.findIndex((c) => c.name === name) }));
  return new RowCounter({ delimiter: preview.delimiter, nColumns: preview.nColumns, encoding: preview.encoding, columns: watched.filter((c) => c.index >= 0), maxClasses });
}

/**
 * The preview with the census's exact figures: nRows, and the class balance of every candidate target
 * (in the preview's label order, sortClassLabels); `sample.counted` set and the sample note saying so.
 */
export function countedPreview(preview: DataPreview, census: RowCensus): DataPreview {
  if (!preview.sample) return preview;
  const targetBalances: DataPreview['targetBalances'] = {};
  for (const [name, m] of Object.entries(census.counts)) {
    if (m.size >= 2) targetBalances[name] = sortClassLabels([...m.keys()]).map((label) => ({ label, count: m.get(label)! }));
  }
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
  const note = `column types and statistics come from the first ${mb(preview.sample.bytes)} of ${mb(preview.sample.fileBytes)}; the row count and class balances were counted over the whole file`;
  return {
    ...preview,
    nRows: census.nRows,
    classBalance: targetBalances[preview.guessedTarget] ?? [],
    targetBalances,
    sample: { ...preview.sample, counted: true },
    warnings: preview.warnings.map((w) => (w.code === 'preview.sampled' ? { ...w, message: note } : w)),
  };
}
