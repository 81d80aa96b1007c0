// x positions for every axis (nbcallbacks/chart/js/positions.js), as dashboard_figure._Positions.
import { batchPositions, epochPositions, interpolate, ratePositions, stepToX } from "../../nbcallbacks/chart/js/positions.js";
import { RunData } from "../../nbcallbacks/chart/js/run_data.js";
import { close, deepEqual, equal } from "./assert.js";
import { encodeParts } from "./wire_fixture.js";

/** Two epochs of 4 and 2 batches, their epoch rows and three rate readings. */
function sampleRun() {
  const run = new RunData();
  const [header, bytes] = encodeParts("append", [
    ["batches", 0, { step: [0, 1, 2, 3, 4, 5], epoch: [0, 0, 0, 0, 1, 1], batch: [0, 1, 2, 3, 0, 1],
                     seconds: [0.5, 1, 1.5, 2, 4, 6], loss: [6, 5, 4, 3, 2, 1] }],
    ["epochs", 0, { step: [4, 6], epoch: [0, 1], seconds: [2.1, 6.1], loss: [3.5, 1.5] }],
    ["rates", 0, { step: [0, 4, 6], epoch: [0, 1, 2], seconds: [0, 2, 6], learning_rate: [0.1, 0.01, 0.001] }],
  ], { 0: 4, 1: 2 });
  run.applyAppend(header, bytes);
  return run;
}

export function test_steps_mode() {
  const run = sampleRun();
  deepEqual(batchPositions(run.table("batches"), "steps", run.batchesPerEpoch), [1, 2, 3, 4, 5, 6]);
  deepEqual(epochPositions(run.table("epochs"), "steps"), [4, 6]);
  deepEqual(ratePositions(run.table("rates"), "steps"), [0, 4, 6]);
  equal(stepToX(run, "steps")(5), 5);
}

export function test_epochs_mode() {
  const run = sampleRun();
  close(batchPositions(run.table("batches"), "epochs", run.batchesPerEpoch), [0.25, 0.5, 0.75, 1, 1.5, 2]);
  deepEqual(epochPositions(run.table("epochs"), "epochs"), [1, 2]);
  deepEqual(ratePositions(run.table("rates"), "epochs"), [0, 1, 2]);
}

export function test_time_mode_reads_the_seconds_of_training() {
  const run = sampleRun();
  close(batchPositions(run.table("batches"), "time", run.batchesPerEpoch), [0.5, 1, 1.5, 2, 4, 6]);
  close(epochPositions(run.table("epochs"), "time"), [2.1, 6.1]);
  close(ratePositions(run.table("rates"), "time"), [0, 2, 6]);
  // An event at step 5 (five batches done) is where the fifth batch ended: 4 s.
  close(stepToX(run, "time")(5), 4);
  close(stepToX(run, "time")(4.5), 3);
}

export function test_time_mode_of_a_run_saved_without_seconds_is_zero_not_an_error() {
  const run = new RunData();
  const [header, bytes] = encodeParts("append", [["batches", 0, { step: [0, 1], epoch: [0, 0], batch: [0, 1], loss: [1, 2] }]]);
  run.applyAppend(header, bytes);
  deepEqual(batchPositions(run.table("batches"), "time", {}), [0, 0]);
}

export function test_events_interpolate_over_batches_in_epochs_mode() {
  const toX = stepToX(sampleRun(), "epochs");
  // Steps are "batches done": step 4 ends epoch 0 (x 1), step 5 is half-way through epoch 1.
  close(toX(4), 1);
  close(toX(5), 1.5);
  close(toX(2.5), 0.625);
  equal(toX(0), 0, "before the first batch (numpy.interp left=0)");
  equal(toX(100), 2, "after the last: the last x");
}

export function test_missing_epoch_count_counts_as_one() {
  const run = new RunData();
  const [header, bytes] = encodeParts("append", [["batches", 0, { step: [0], epoch: [3], batch: [0], loss: [1] }]]);
  run.applyAppend(header, bytes);
  deepEqual(batchPositions(run.table("batches"), "epochs", {}), [4]);
}

export function test_without_batches_events_use_epoch_rows() {
  const run = new RunData();
  const [header, bytes] = encodeParts("append", [["epochs", 0, { step: [10, 20], epoch: [0, 1], loss: [1, 2] }]]);
  run.applyAppend(header, bytes);
  close(stepToX(run, "epochs")(15), 1.5);
  equal(stepToX(new RunData(), "epochs")(15), 0);
}

export function test_interpolate() {
  equal(interpolate(5, [], []), 0);
  equal(interpolate(1, [1], [7]), 7);
  close(interpolate(1.5, [1, 2, 4], [10, 20, 40]), 15);
  close(interpolate(3, [1, 2, 4], [10, 20, 40]), 30);
}
