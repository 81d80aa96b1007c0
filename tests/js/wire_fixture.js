// wire_fixture.js — build chart messages in the tests, as nbcallbacks/chart/chart_wire.py
// encodes them: per table, per column, little-endian f8/f4 values padded to 8 bytes.

const POSITION_COLUMNS = ["step", "epoch", "batch", "seconds"];

/**
 * (header, Uint8Array) for `parts` = [[table, start, {column: number[]}], ...].
 * Position columns are f8, the others f4 (as chart_wire._column_type).
 */
export function encodeParts(kind, parts, batchesPerEpoch = {}) {
  const tables = [];
  const chunks = [];
  for (const [name, start, columns] of parts) {
    const names = Object.keys(columns);
    const rows = names.length ? columns[names[0]].length : 0;
    const described = [];
    for (const column of names) {
      const type = POSITION_COLUMNS.includes(column) ? "f8" : "f4";
      const size = rows * (type === "f8" ? 8 : 4);
      const bytes = new Uint8Array(size + ((8 - (size % 8)) % 8));
      const view = new DataView(bytes.buffer);
      columns[column].forEach((v, i) => (type === "f8" ? view.setFloat64(i * 8, v, true) : view.setFloat32(i * 4, v, true)));
      chunks.push(bytes);
      described.push([column, type]);
    }
    tables.push({ name, start, rows, columns: described });
  }
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const buffer = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    buffer.set(chunk, offset);
    offset += chunk.length;
  }
  return [{ kind, tables, batches_per_epoch: batchesPerEpoch }, buffer];
}

/** The same bytes as a DataView at an odd offset inside a larger buffer (as Jupyter may give). */
export function oddDataView(bytes, offset = 3) {
  const big = new Uint8Array(bytes.length + offset + 5);
  big.set(bytes, offset);
  return new DataView(big.buffer, offset, bytes.length);
}

/** A batches append of `count` rows from `start` with a loss column. */
export function batchRows(start, count, loss = (i) => 1 / (i + 1), perEpoch = 10) {
  const rows = { step: [], epoch: [], batch: [], loss: [] };
  for (let i = start; i < start + count; i++) {
    rows.step.push(i);
    rows.epoch.push(Math.floor(i / perEpoch));
    rows.batch.push(i % perEpoch);
    rows.loss.push(loss(i));
  }
  return rows;
}
