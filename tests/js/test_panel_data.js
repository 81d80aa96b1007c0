// One panel's uPlot data (nbcallbacks/chart/js/panel_data.js).
import { buildPanelData, mergePositions, yRange } from "../../nbcallbacks/chart/js/panel_data.js";
import { RunData } from "../../nbcallbacks/chart/js/run_data.js";
import { ema } from "../../nbcallbacks/chart/js/smoothing.js";
import { close, deepEqual, equal, ok } from "./assert.js";
import { encodeParts } from "./wire_fixture.js";

const LOSS = { name: "loss", batch: "loss", epoch: "loss", val: "val_loss", rate: false, bounded: false,
               higher_is_better: false };
const VIEW = { log_scale: false, smoothing: 0, x_axis: "steps", hidden: [] };

/** 2 epochs of 3 batches; loss has a NaN at step 1; epoch 1's val_loss is the best.
 * `parts` come in a second message. */
function sampleRun(parts = []) {
  const run = new RunData();
  const [header, bytes] = encodeParts("append", [
    ["batches", 0, { step: [0, 1, 2, 3, 4, 5], epoch: [0, 0, 0, 1, 1, 1], batch: [0, 1, 2, 0, 1, 2],
                     loss: [4, NaN, 3, 2, Infinity, 1] }],
    ["epochs", 0, { step: [3, 6], epoch: [0, 1], loss: [3.5, 1.5], val_loss: [3.75, 1.25] }],
  ], { 0: 3, 1: 3 });
  run.applyAppend(header, bytes);
  if (parts.length) run.applyAppend(...encodeParts("append", parts, { 0: 3, 1: 3, 2: 1 }));
  return run;
}

export function test_merge_positions() {
  const merged = mergePositions([1, 2, 3], [2, 3.5]);
  deepEqual(merged.x, [1, 2, 3, 3.5]);
  deepEqual(merged.first, [0, 1, 2]);
  deepEqual(merged.second, [1, 3]);
  deepEqual(mergePositions([], [5]).x, [5]);
  deepEqual(mergePositions([], []).x, []);
}

export function test_merge_positions_unsorted_input() {
  // A second fit that restarts epochs: positions go back.
  const merged = mergePositions([1, 2], [2, 1, 3]);
  deepEqual(merged.x, [1, 2, 3]);
  deepEqual(merged.second, [1, 0, 2]);
}

export function test_union_and_gaps_in_steps_mode() {
  const data = buildPanelData(LOSS, sampleRun(), VIEW);
  // Batch x = step + 1 = 1..6; epoch x = 3 and 6 coincide with batch positions.
  deepEqual(data.data[0], [1, 2, 3, 4, 5, 6]);
  deepEqual(data.data[1], [4, null, 3, 2, null, 1], "raw: NaN and inf are gaps (null)");
  deepEqual(data.data[3], [undefined, undefined, 3.5, undefined, undefined, 1.5], "train: undefined between epochs");
  deepEqual(data.data[4], [undefined, undefined, 3.75, undefined, undefined, 1.25]);
  deepEqual(data.points, { raw: 4, train: 2, val: 2, rate: 0 });
  deepEqual(data.best, { x: 6, y: 1.25, row: 1 });
  deepEqual(data.range, [1, 4]);
  equal(data.drawn, 6);
  equal(data.xMax, 6);
}

export function test_long_curves_are_decimated_keeping_extremes() {
  const run = new RunData();
  const rows = 40000;
  const step = Array.from({ length: rows }, (_, i) => i);
  const loss = step.map((i) => (i === 32345 ? 50 : i === 777 ? -3 : 1 + Math.sin(i / 50)));
  loss[4000] = NaN;
  const [header, bytes] = encodeParts("append", [
    ["batches", 0, { step, epoch: step.map(() => 0), batch: step, loss }]], { 0: rows });
  run.applyAppend(header, bytes);
  // Up to 4,000 rows are drawn whole; beyond, the extremes of max(width, 2000) buckets.
  const data = buildPanelData(LOSS, run, VIEW, { buckets: 300 });
  ok(data.drawn <= 3 * 2002 + 2 && data.drawn >= 2000, `${data.drawn} rows drawn`);
  const drawn = data.data[1].filter((v) => v !== undefined);
  equal(Math.max(...drawn.filter((v) => v !== null)), 50, "the spike is drawn");
  equal(Math.min(...drawn.filter((v) => v !== null)), -3, "the dip is drawn");
  ok(drawn.includes(null), "the NaN stays a gap");
  equal(data.data[0][data.data[0].length - 1], rows, "the line reaches the last row");
  equal(data.points.raw, rows - 1, "finite values counted on the full column");
  // Zoomed in: only the visible rows (plus one each side), at full detail.
  const zoomed = buildPanelData(LOSS, run, VIEW, { buckets: 300, range: { min: 1001, max: 1200 } });
  equal(buildPanelData(LOSS, run, VIEW, { range: { min: 0, max: 3000 } }).drawn, 3000, "few rows: all");
  deepEqual([zoomed.data[0][0], zoomed.data[0][zoomed.data[0].length - 1], zoomed.drawn], [1000, 1200, 201]);
}

export function test_epochs_mode_positions() {
  const data = buildPanelData(LOSS, sampleRun(), { ...VIEW, x_axis: "epochs" });
  close(data.data[0], [1 / 3, 2 / 3, 1, 4 / 3, 5 / 3, 2], 1e-12);
}

export function test_smoothing_is_the_ema_of_the_batch_values() {
  const run = sampleRun();
  const data = buildPanelData(LOSS, run, { ...VIEW, smoothing: 0.6 });
  const expected = Array.from(ema(run.table("batches").column("loss"), 0.6), (v) => (Number.isFinite(v) ? v : null));
  close(data.data[2].map((v) => (v === null ? NaN : v)), expected.map((v) => (v === null ? NaN : v)), 1e-12);
  equal(data.data[2][1], null, "a NaN stays a gap when smoothed");
}

export function test_higher_is_better_picks_the_maximum() {
  const run = new RunData();
  const [header, bytes] = encodeParts("append", [
    ["epochs", 0, { step: [1, 2, 3], epoch: [0, 1, 2], accuracy: [0.5, 0.9, 0.7] }]]);
  run.applyAppend(header, bytes);
  const panel = { name: "accuracy", batch: null, epoch: "accuracy", val: "val_accuracy", bounded: true,
                  higher_is_better: true };
  const data = buildPanelData(panel, run, VIEW);
  deepEqual(data.best, { x: 2, y: Math.fround(0.9), row: 1 }, "training values when there is no val column");
}

export function test_log_eligibility() {
  const run = sampleRun();
  equal(buildPanelData(LOSS, run, { ...VIEW, log_scale: true }).log, true);
  equal(buildPanelData(LOSS, run, VIEW).log, false, "not asked");
  const negative = sampleRun([["batches", 6, { step: [6], epoch: [2], batch: [0], loss: [-1] }]]);
  const data = buildPanelData(LOSS, negative, { ...VIEW, log_scale: true });
  equal(data.log, false);
  equal(data.logReason, "values ≤ 0");
  equal(buildPanelData(LOSS, new RunData(), { ...VIEW, log_scale: true }).logReason, "no values yet");
}

export function test_learning_rate_panel() {
  const run = sampleRun([["rates", 0, { step: [0, 3, 6], epoch: [0, 1, 2], learning_rate: [0.1, 0, 0.001] }]]);
  const panel = { name: "learning rate", batch: null, epoch: null, val: null, rate: true };
  const data = buildPanelData(panel, run, VIEW);
  deepEqual(data.data[0], [0, 3, 6]);
  deepEqual(data.data[1], [Math.fround(0.1), null, Math.fround(0.001)], "a rate of 0 cannot be on a log axis");
  equal(data.log, true, "always log");
  deepEqual(buildPanelData(panel, run, { ...VIEW, x_axis: "epochs" }).data[0], [0, 1, 2]);
}

export function test_learning_rate_from_epoch_logs() {
  const run = new RunData();
  const [header, bytes] = encodeParts("append", [
    ["epochs", 0, { step: [5, 10], epoch: [0, 1], loss: [1, 0.5], learning_rate: [0.01, 0.005] }]]);
  run.applyAppend(header, bytes);
  const data = buildPanelData({ name: "learning rate", rate: true }, run, VIEW);
  deepEqual(data.data[0], [5, 10]);
  close(data.data[1], [0.01, 0.005], 1e-9);
}

export function test_panel_without_some_columns() {
  const panel = { name: "mae", batch: "mae", epoch: null, val: null };
  const data = buildPanelData(panel, sampleRun(), VIEW);
  deepEqual(data.data[0], [], "no such column yet: nothing, no error");
  const onlyVal = { name: "loss", batch: null, epoch: null, val: "val_loss" };
  deepEqual(buildPanelData(onlyVal, sampleRun(), VIEW).data[0], [3, 6]);
}

export function test_y_range() {
  deepEqual(yRange([0.2, 0.9], { bounded: true }, false), [0, 1]);
  const wide = yRange([-0.5, 1.5], { bounded: true }, false);
  ok(wide[0] < -0.5 && wide[1] > 1.5, "values leave [0, 1]: the axis follows them");
  const log = yRange([0.01, 1], {}, true);
  ok(log[0] > 0 && log[0] < 0.01 && log[1] > 1, "log room stays positive");
  const flat = yRange([2, 2], {}, false);
  ok(flat[0] < 2 && flat[1] > 2, "a constant gets room");
  deepEqual(yRange(null, {}, false), [0, 1]);
}
