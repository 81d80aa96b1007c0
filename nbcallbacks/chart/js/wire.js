// wire.js — decode the binary rows the kernel sends (see nbcallbacks/chart/chart_wire.py).
//
// A message is a small JSON header plus one buffer holding, table after table and
// column after column, `rows` little-endian values ("f8": float64, "f4": float32),
// each column padded to a multiple of 8 bytes. The buffer reaches us as a DataView
// (JupyterLab, classic Notebook), a Uint8Array or an ArrayBuffer (other widget
// managers), often as a view into a larger message buffer at an odd byte offset, so
// every column is copied out byte-wise before being read as floats.

const WIRE_ITEM_BYTES = { f8: 8, f4: 4 };

// Typed arrays use the machine's byte order; the wire is little-endian. Every browser
// in use is little-endian, but a big-endian one gets the slow, correct path.
const MACHINE_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The bytes of a buffer in any of the forms widget managers deliver.
 * @param {DataView|ArrayBuffer|ArrayBufferView|null|undefined} buffer
 * @returns {Uint8Array} a view on the same memory (no copy)
 */
export function asBytes(buffer) {
  if (buffer == null) return new Uint8Array(0);
  if (buffer instanceof Uint8Array) return buffer;
  if (ArrayBuffer.isView(buffer)) {
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  }
  if (buffer instanceof ArrayBuffer || Object.prototype.toString.call(buffer) === "[object ArrayBuffer]") {
    return new Uint8Array(buffer);
  }
  throw new TypeError(`cannot read chart data from ${Object.prototype.toString.call(buffer)}`);
}

/**
 * One column's values as a Float64Array (float32 values widened exactly).
 * @param {Uint8Array} bytes the whole message buffer
 * @param {number} offset byte offset of the column
 * @param {number} rows values to read
 * @param {"f8"|"f4"} kind the column's type
 */
function readWireColumn(bytes, offset, rows, kind) {
  const size = rows * WIRE_ITEM_BYTES[kind];
  if (offset + size > bytes.byteLength) {
    throw new RangeError(`chart data ends at byte ${bytes.byteLength}, a column needs ${offset + size}`);
  }
  if (MACHINE_IS_LITTLE_ENDIAN) {
    // slice() copies into a fresh, aligned buffer: then the float view is legal.
    const copy = bytes.slice(offset, offset + size).buffer;
    return kind === "f8" ? new Float64Array(copy) : Float64Array.from(new Float32Array(copy));
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, size);
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    out[i] = kind === "f8" ? view.getFloat64(i * 8, true) : view.getFloat32(i * 4, true);
  }
  return out;
}

/**
 * Decode a header and its buffer into tables of Float64Arrays.
 *
 * @param {{tables: Array<{name: string, start: number, rows: number,
 *          columns: Array<[string, "f8"|"f4"]>}>}} header
 * @param {DataView|ArrayBuffer|ArrayBufferView} buffer
 * @returns {Object<string, {start: number, rows: number, columns: Object<string, Float64Array>}>}
 *   e.g. `{batches: {start: 120, rows: 37, columns: {step: Float64Array, loss: ...}}}`
 */
export function decodeUpdate(header, buffer) {
  const bytes = asBytes(buffer);
  const tables = {};
  let offset = 0;
  for (const table of (header && header.tables) || []) {
    const columns = {};
    for (const [name, kind] of table.columns) {
      if (!(kind in WIRE_ITEM_BYTES)) throw new TypeError(`unknown column type ${kind} for ${name}`);
      const size = table.rows * WIRE_ITEM_BYTES[kind];
      columns[name] = readWireColumn(bytes, offset, table.rows, kind);
      offset += size + ((8 - (size % 8)) % 8);
    }
    tables[table.name] = { start: table.start, rows: table.rows, columns };
  }
  return tables;
}
