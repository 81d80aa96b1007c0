// run_data.js — the view's own growing copy of the run's tables.
//
// The kernel writes rows by index (`start` + i), so a repeated row is harmless and a
// missing one is detected: a message starting beyond what we hold is a gap, and the
// widget asks the kernel to re-send from our contiguous row count ("need").
//
// After a snapshot the arrays hold the snapshot's rows (a decimated selection of the
// first `total_rows` rows) followed by appended rows. Row index r of the kernel's table
// then lives at position  snapshotRows + (r - baseTotal)  when r >= baseTotal; rows
// inside the decimated part are already summarised there and are ignored.

import { decodeUpdate } from "./wire.js";

export const TABLE_NAMES = ["batches", "epochs", "rates"];
const FIRST_CAPACITY = 256;

/** One table: named Float64Array columns sharing a length, grown by doubling. */
export class GrowingTable {
  constructor() {
    this.length = 0;
    this.capacity = FIRST_CAPACITY;
    /** @type {Map<string, Float64Array>} in first-seen order */
    this.store = new Map();
    this.snapshotRows = 0; // positions [0, snapshotRows) came from a snapshot
    this.baseTotal = 0;    // the kernel's row count that snapshot summarised
  }

  /** Column names, in first-seen order. */
  names() {
    return [...this.store.keys()];
  }

  has(name) {
    return this.store.has(name);
  }

  /**
   * The column's values (a view, valid until the next write), or null.
   * @param {string} name
   * @returns {Float64Array|null}
   */
  column(name) {
    const values = this.store.get(name);
    return values ? values.subarray(0, this.length) : null;
  }

  /** Rows of the kernel's table we hold without a hole: what to report in ready/need. */
  contiguousRows() {
    return this.baseTotal + (this.length - this.snapshotRows);
  }

  _reserve(rows) {
    if (rows <= this.capacity) return;
    let capacity = this.capacity;
    while (capacity < rows) capacity *= 2;
    for (const [name, old] of this.store) {
      const grown = new Float64Array(capacity).fill(NaN);
      grown.set(old.subarray(0, this.length));
      this.store.set(name, grown);
    }
    this.capacity = capacity;
  }

  _ensureColumn(name) {
    // A column that appears late reads NaN in every earlier row.
    if (!this.store.has(name)) this.store.set(name, new Float64Array(this.capacity).fill(NaN));
    return this.store.get(name);
  }

  /**
   * Write `rows` rows at position `at` (at <= length), growing as needed.
   * Columns the rows do not carry read NaN there.
   */
  _writeAt(at, rows, columns) {
    const end = at + rows;
    this._reserve(end);
    for (const name of Object.keys(columns)) this._ensureColumn(name);
    for (const [name, target] of this.store) {
      const values = columns[name];
      if (values) target.set(values.subarray(0, rows), at);
      else target.fill(NaN, at, end);
    }
    this.length = Math.max(this.length, end);
  }

  /** Forget everything (a snapshot replaces the data). */
  clear() {
    this.length = 0;
    this.capacity = FIRST_CAPACITY;
    this.store = new Map();
    this.snapshotRows = 0;
    this.baseTotal = 0;
  }

  /**
   * Put a snapshot's rows as the base of the table.
   * @param {number} rows rows in the snapshot
   * @param {Object<string, Float64Array>} columns
   * @param {number} total the kernel's row count they summarise
   */
  loadBase(rows, columns, total) {
    this.clear();
    this._writeAt(0, rows, columns);
    this.snapshotRows = rows;
    this.baseTotal = Math.max(total, rows);
  }

  /**
   * Write rows by the kernel's row index.
   * @returns {boolean} false when `start` is beyond our contiguous rows (a gap: nothing written)
   */
  writeRows(start, rows, columns) {
    const have = this.contiguousRows();
    if (start > have) return false;
    let skip = 0;
    if (start < this.baseTotal && this.snapshotRows < this.baseTotal) {
      // These rows are summarised by the decimated snapshot: keep only what follows.
      skip = Math.min(rows, this.baseTotal - start);
    }
    if (rows - skip <= 0) return true;
    const at = this.snapshotRows + (start + skip - this.baseTotal);
    const tail = {};
    for (const name of Object.keys(columns)) tail[name] = columns[name].subarray(skip);
    this._writeAt(at, rows - skip, tail);
    return true;
  }
}

/** Every table of one run, plus what the headers say about epochs. */
export class RunData {
  constructor() {
    /** @type {Object<string, GrowingTable>} */
    this.tables = {};
    for (const name of TABLE_NAMES) this.tables[name] = new GrowingTable();
    /** @type {Object<string, number>} str(epoch) -> batches in it */
    this.batchesPerEpoch = {};
    this.revision = 0; // bumped on every change, so views know when to redraw
  }

  /** @param {string} name "batches", "epochs" or "rates" */
  table(name) {
    return this.tables[name];
  }

  /** `{batches: n, epochs: n, rates: n}`: what the view holds without a hole. */
  contiguousRows() {
    const rows = {};
    for (const name of TABLE_NAMES) rows[name] = this.tables[name].contiguousRows();
    return rows;
  }

  _takeEpochCounts(header) {
    if (header && header.batches_per_epoch) {
      Object.assign(this.batchesPerEpoch, header.batches_per_epoch);
    }
  }

  /**
   * Replace everything with a snapshot (header kind "snapshot").
   * @param {object} header the `snapshot_header` trait
   * @param {DataView|ArrayBuffer|ArrayBufferView} buffer the `snapshot` trait
   */
  /**
   * Whether a snapshot with this header holds rows this view does not have.
   * @param {object|null} header the `snapshot_header` trait
   * @returns {boolean}
   */
  lacksRows(header) {
    const totals = (header && header.total_rows) || {};
    const have = this.contiguousRows();
    return TABLE_NAMES.some((name) => (totals[name] || 0) > have[name]);
  }

  loadSnapshot(header, buffer) {
    for (const name of TABLE_NAMES) this.tables[name].clear();
    this.batchesPerEpoch = {};
    if (header && Array.isArray(header.tables)) {
      const decoded = decodeUpdate(header, buffer);
      const totals = header.total_rows || {};
      for (const [name, part] of Object.entries(decoded)) {
        if (!this.tables[name]) this.tables[name] = new GrowingTable();
        const total = Number.isFinite(totals[name]) ? totals[name] : part.start + part.rows;
        this.tables[name].loadBase(part.rows, part.columns, total);
      }
      this._takeEpochCounts(header);
    }
    this.revision++;
  }

  /**
   * Apply an append message (rows written by index).
   * @param {object} header the message content
   * @param {DataView|ArrayBuffer|ArrayBufferView} buffer its first buffer
   * @returns {boolean} true when a table had a gap: ask for a re-send (contiguousRows())
   */
  applyAppend(header, buffer) {
    const decoded = decodeUpdate(header, buffer);
    let gap = false;
    for (const [name, part] of Object.entries(decoded)) {
      if (!this.tables[name]) this.tables[name] = new GrowingTable();
      if (!this.tables[name].writeRows(part.start, part.rows, part.columns)) gap = true;
    }
    this._takeEpochCounts(header);
    this.revision++;
    return gap;
  }
}
