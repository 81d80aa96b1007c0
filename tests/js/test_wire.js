// Decoding the kernel's binary rows (nbcallbacks/chart/js/wire.js).
import { asBytes, decodeUpdate } from "../../nbcallbacks/chart/js/wire.js";
import { close, deepEqual, equal, throws } from "./assert.js";
import { encodeParts, oddDataView } from "./wire_fixture.js";

// Made by nbcallbacks.chart.chart_wire.encode (Python): batches from row 5 with
// loss [0.5, NaN, inf]; rates with learning_rate [-inf].
const PYTHON_HEADER = {
  kind: "append",
  tables: [{ name: "batches", start: 5, rows: 3, columns: [["step", "f8"], ["epoch", "f8"], ["loss", "f4"]] },
           { name: "rates", start: 0, rows: 1, columns: [["step", "f8"], ["learning_rate", "f4"]] }],
  batches_per_epoch: { 0: 7, 1: 3 },
};
const PYTHON_HEX = "000000000000144000000000000018400000000000001c40000000000000000000000000000000000000" +
  "00000000f03f0000003f0000c07f0000807f000000000000000000000000000080ff00000000";

function hexBytes(hex) {
  return Uint8Array.from(hex.match(/../g), (h) => parseInt(h, 16));
}

export function test_decodes_python_encoding() {
  const tables = decodeUpdate(PYTHON_HEADER, hexBytes(PYTHON_HEX));
  equal(tables.batches.start, 5);
  equal(tables.batches.rows, 3);
  deepEqual(tables.batches.columns.step, [5, 6, 7]);
  deepEqual(tables.batches.columns.epoch, [0, 0, 1]);
  deepEqual(tables.batches.columns.loss, [0.5, NaN, Infinity]);
  deepEqual(tables.rates.columns.learning_rate, [-Infinity]);
}

export function test_nan_and_infinities_round_trip() {
  const values = [NaN, Infinity, -Infinity, 0, -0, 1e-30, 3.5];
  const [header, bytes] = encodeParts("append", [["epochs", 0, { step: values, val_loss: values }]]);
  const tables = decodeUpdate(header, bytes);
  deepEqual(tables.epochs.columns.step, values, "f8");
  close(tables.epochs.columns.val_loss, [NaN, Infinity, -Infinity, 0, 0, Math.fround(1e-30), 3.5], 0, "f4");
}

export function test_float32_values_widen_exactly() {
  const [header, bytes] = encodeParts("append", [["batches", 0, { step: [0], loss: [0.1] }]]);
  equal(decodeUpdate(header, bytes).batches.columns.loss[0], Math.fround(0.1));
}

export function test_every_buffer_form() {
  const [header, bytes] = encodeParts("append", [["batches", 2, { step: [2, 3], loss: [0.25, 0.75] }]]);
  const forms = {
    "Uint8Array": bytes,
    "ArrayBuffer": bytes.slice().buffer,
    "DataView at an odd offset": oddDataView(bytes, 3),
    "Uint8Array at an odd offset": new Uint8Array(oddDataView(bytes, 5).buffer, 5, bytes.length),
  };
  for (const [form, buffer] of Object.entries(forms)) {
    const tables = decodeUpdate(header, buffer);
    deepEqual(tables.batches.columns.step, [2, 3], form);
    deepEqual(tables.batches.columns.loss, [0.25, 0.75], form);
  }
}

export function test_columns_are_padded_to_8_bytes() {
  // 3 float32 values = 12 bytes, padded to 16: the next column starts at 16.
  const [header, bytes] = encodeParts("append", [["batches", 0, { loss: [1, 2, 3], acc: [0.5, 0.25, 0.125] }]]);
  equal(bytes.length, 32);
  deepEqual(decodeUpdate(header, bytes).batches.columns.acc, [0.5, 0.25, 0.125]);
}

export function test_short_buffer_is_an_error() {
  const [header, bytes] = encodeParts("append", [["batches", 0, { step: [0, 1, 2] }]]);
  throws(() => decodeUpdate(header, bytes.subarray(0, 16)), /ends at byte/);
}

export function test_empty_inputs() {
  deepEqual(decodeUpdate({ tables: [] }, null), {});
  equal(asBytes(undefined).length, 0);
  throws(() => asBytes("not bytes"), /cannot read/);
}
