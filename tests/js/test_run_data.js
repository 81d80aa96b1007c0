// The view's copy of the tables (nbcallbacks/chart/js/run_data.js).
import { GrowingTable, RunData } from "../../nbcallbacks/chart/js/run_data.js";
import { deepEqual, equal, ok } from "./assert.js";
import { batchRows, encodeParts, oddDataView } from "./wire_fixture.js";

function append(run, start, count, loss) {
  const [header, bytes] = encodeParts("append", [["batches", start, batchRows(start, count, loss)]]);
  return run.applyAppend(header, oddDataView(bytes));
}

export function test_appends_grow_and_counts_follow() {
  const run = new RunData();
  equal(append(run, 0, 3), false, "no gap");
  equal(append(run, 3, 2), false, "no gap");
  const batches = run.table("batches");
  equal(batches.length, 5);
  deepEqual(batches.column("step"), [0, 1, 2, 3, 4]);
  deepEqual(run.contiguousRows(), { batches: 5, epochs: 0, rates: 0 });
}

export function test_growth_past_capacity_keeps_values() {
  const run = new RunData();
  for (let start = 0; start < 3000; start += 250) append(run, start, 250, (i) => i);
  const batches = run.table("batches");
  equal(batches.length, 3000);
  ok(batches.capacity >= 3000 && batches.capacity < 6000, "capacity doubles");
  const loss = batches.column("loss");
  for (const i of [0, 255, 256, 1023, 2999]) equal(loss[i], i, `row ${i}`);
}

export function test_repeated_rows_overwrite_by_index() {
  const run = new RunData();
  append(run, 0, 4, () => 1);
  equal(append(run, 2, 4, () => 2), false, "an overlap is no gap");
  deepEqual(run.table("batches").column("loss"), [1, 1, 2, 2, 2, 2]);
  equal(run.table("batches").length, 6);
}

export function test_gap_is_reported_and_nothing_written() {
  const run = new RunData();
  append(run, 0, 3);
  equal(append(run, 5, 2), true, "rows 3 and 4 are missing");
  equal(run.table("batches").length, 3);
  deepEqual(run.contiguousRows(), { batches: 3, epochs: 0, rates: 0 });
  equal(append(run, 3, 4), false, "the re-send fills the hole");
  equal(run.table("batches").length, 7);
}

export function test_late_column_reads_nan_before_it_appeared() {
  const run = new RunData();
  append(run, 0, 2);
  const rows = { ...batchRows(2, 2), accuracy: [0.5, 0.75] };
  const [header, bytes] = encodeParts("append", [["batches", 2, rows]]);
  run.applyAppend(header, bytes);
  deepEqual(run.table("batches").column("accuracy"), [NaN, NaN, 0.5, 0.75]);
  deepEqual(run.table("batches").names(), ["step", "epoch", "batch", "loss", "accuracy"]);
}

export function test_late_column_after_growth() {
  // The new column must be as long as the grown arrays (NaN-filled beyond length too).
  const table = new GrowingTable();
  table.writeRows(0, 300, { step: Float64Array.from({ length: 300 }, (_, i) => i) });
  table.writeRows(300, 1, { step: new Float64Array([300]), acc: new Float64Array([1]) });
  equal(table.column("acc").length, 301);
  ok(Number.isNaN(table.column("acc")[299]));
  equal(table.column("acc")[300], 1);
}

export function test_snapshot_with_total_rows_then_appends() {
  // A decimated snapshot: rows 0, 5 and 9 of 10; appends continue at row 10.
  const run = new RunData();
  const [header, bytes] = encodeParts("snapshot", [
    ["batches", 0, { step: [0, 5, 9], epoch: [0, 0, 0], batch: [0, 5, 9], loss: [3, 2, 1] }],
    ["epochs", 0, { step: [10], epoch: [0], loss: [1.5] }],
    ["rates", 0, {}],
  ], { 0: 10 });
  header.total_rows = { batches: 10, epochs: 1, rates: 0 };
  run.loadSnapshot(header, bytes);
  deepEqual(run.contiguousRows(), { batches: 10, epochs: 1, rates: 0 });
  equal(run.batchesPerEpoch["0"], 10);
  // Rows 8..11: 8 and 9 are inside the decimated part (ignored), 10 and 11 appended.
  equal(append(run, 8, 4, (i) => i), false);
  deepEqual(run.table("batches").column("step"), [0, 5, 9, 10, 11]);
  deepEqual(run.table("batches").column("loss"), [3, 2, 1, 10, 11]);
  deepEqual(run.contiguousRows().batches, 12);
  // A repeat of row 11 overwrites the appended row, not a snapshot row.
  append(run, 11, 1, () => 42);
  deepEqual(run.table("batches").column("loss"), [3, 2, 1, 10, 42]);
  // A gap beyond the appended rows.
  equal(append(run, 20, 1), true);
  equal(run.contiguousRows().batches, 12);
}

export function test_snapshot_without_total_rows_uses_its_rows() {
  const run = new RunData();
  const [header, bytes] = encodeParts("snapshot", [["batches", 0, batchRows(0, 4)]]);
  run.loadSnapshot(header, bytes);
  equal(run.contiguousRows().batches, 4);
  // Not decimated: a repeated early row overwrites in place.
  append(run, 1, 1, () => 9);
  equal(run.table("batches").column("loss")[1], 9);
  equal(run.table("batches").length, 4);
}

export function test_snapshot_replaces_everything() {
  const run = new RunData();
  append(run, 0, 50);
  const [header, bytes] = encodeParts("snapshot", [["batches", 0, batchRows(0, 2)]]);
  header.total_rows = { batches: 2, epochs: 0, rates: 0 };
  const before = run.revision;
  run.loadSnapshot(header, bytes);
  equal(run.table("batches").length, 2);
  ok(run.revision > before, "revision bumped");
}

export function test_empty_snapshot_header() {
  const run = new RunData();
  run.loadSnapshot({}, null);
  deepEqual(run.contiguousRows(), { batches: 0, epochs: 0, rates: 0 });
}

export function test_tables_are_independent() {
  const run = new RunData();
  const [header, bytes] = encodeParts("append", [
    ["batches", 0, batchRows(0, 2)],
    ["epochs", 3, { step: [10], epoch: [3], loss: [0.5] }],  // a gap in epochs only
  ]);
  equal(run.applyAppend(header, bytes), true);
  deepEqual(run.contiguousRows(), { batches: 2, epochs: 0, rates: 0 });
}

export function test_a_snapshot_is_worth_loading_only_when_it_holds_rows_the_view_lacks() {
  const run = new RunData();
  equal(run.lacksRows({ total_rows: { batches: 3, epochs: 0, rates: 0 } }), true, "empty view");
  append(run, 0, 5);
  equal(run.lacksRows({ total_rows: { batches: 5, epochs: 0, rates: 0 } }), false, "as many");
  equal(run.lacksRows({ total_rows: { batches: 4 } }), false, "an older snapshot");
  equal(run.lacksRows({ total_rows: { batches: 6 } }), true, "a newer one");
  equal(run.lacksRows(null), false, "no snapshot yet");
}
