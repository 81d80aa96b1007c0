// What the readout says (nbcallbacks/chart/js/readout.js).
import { buildPanelData } from "../../nbcallbacks/chart/js/panel_data.js";
import { eventReadout, nearestRow, readoutContent, renderReadout } from "../../nbcallbacks/chart/js/readout.js";
import { RunData } from "../../nbcallbacks/chart/js/run_data.js";
import { deepEqual, equal } from "./assert.js";
import { encodeParts } from "./wire_fixture.js";

const LOSS = { name: "loss", batch: "loss", epoch: "loss", val: "val_loss" };
const VIEW = { log_scale: false, smoothing: 0, x_axis: "steps", hidden: [] };

function sampleRun() {
  const run = new RunData();
  const [header, bytes] = encodeParts("append", [
    ["batches", 0, { step: [0, 1, 2, 3], epoch: [0, 0, 1, 1], batch: [0, 1, 0, 1], seconds: [1, 2, 62, 63],
                     loss: [0.5, NaN, 0.25, 0.125] }],
    ["epochs", 0, { step: [2, 4], epoch: [0, 1], seconds: [2.5, 63.5], loss: [0.4, 0.2], val_loss: [0.45, 0.3] }],
    ["rates", 0, { step: [0, 2], epoch: [0, 1], learning_rate: [0.001, 0.0005] }],
  ], { 0: 2, 1: 2 });
  run.applyAppend(header, bytes);
  return run;
}

export function test_nearest_row() {
  const xs = new Float64Array([1, 3, 4, 10]);
  equal(nearestRow(xs, 0), 0);
  equal(nearestRow(xs, 2.1), 1);
  equal(nearestRow(xs, 7.5), 3);
  equal(nearestRow(xs, 99), 3);
  equal(nearestRow(xs, null), 3, "no cursor: the latest row");
  equal(nearestRow(new Float64Array(0), 1), -1);
  equal(nearestRow(new Float64Array([5, 1, 3]), 1.2), 1, "unsorted (a restarted fit): a scan");
}

export function test_values_at_the_cursor() {
  const run = sampleRun();
  const data = buildPanelData(LOSS, run, { ...VIEW, smoothing: 0.5 });
  const content = readoutContent(LOSS, data, run, { ...VIEW, smoothing: 0.5 }, 2.9);
  equal(content.position, "step 3 · epoch 2");
  deepEqual(content.groups[0].items, [{ series: "raw", label: "loss", value: "0.2500",
                                        note: { series: "smooth", label: "smoothed", value: "0.3333" } }]);
  deepEqual(content.groups[1], { title: "epoch 1", items: [
    { series: "train", label: "loss", value: "0.4000" }, { series: "val", label: "val_loss", value: "0.4500" }] });
}

export function test_a_time_axis_adds_the_time() {
  const run = sampleRun();
  const view = { ...VIEW, x_axis: "time" };
  const data = buildPanelData(LOSS, run, view);
  equal(readoutContent(LOSS, data, run, view, 61).position, "step 3 · epoch 2 · 1:02");
  equal(readoutContent(LOSS, data, run, view, null).position, "latest: step 4 · epoch 2 · 1:03");
}

export function test_nan_reads_nan() {
  const run = sampleRun();
  const data = buildPanelData(LOSS, run, VIEW);
  equal(readoutContent(LOSS, data, run, VIEW, 2).groups[0].items[0].value, "nan");
}

export function test_latest_without_a_cursor() {
  const run = sampleRun();
  const data = buildPanelData(LOSS, run, VIEW);
  const content = readoutContent(LOSS, data, run, VIEW, null);
  equal(content.position, "latest: step 4 · epoch 2");
  equal(content.groups[1].title, "epoch 2");
}

export function test_learning_rate_readout() {
  const run = sampleRun();
  const panel = { name: "learning rate", rate: true };
  const data = buildPanelData(panel, run, VIEW);
  const content = readoutContent(panel, data, run, VIEW, 1.8);
  equal(content.position, "step 2 · epoch 2");
  deepEqual(content.groups[0].items, [{ series: "rate", label: "learning rate", value: "0.0005" }]);
}

export function test_events_and_rendering() {
  const events = eventReadout([{ family: "rate", legend: "rate reduced", label: "rate reduced", x: 1200,
                                 event: { epoch: 2, step: 1200, message: "ReduceLROnPlateau: 1e-3 → 5e-4" } }], "steps");
  deepEqual(events[0], { family: "rate", label: "rate reduced", where: "epoch 3 · step 1,200",
                         message: "ReduceLROnPlateau: 1e-3 → 5e-4", x: "1,200" });
  const element = document.createElement("div");
  renderReadout(element, { position: "", groups: [] }, events);
  const lines = [...element.children].map((line) => line.textContent);
  deepEqual(lines, ["epoch 3 · step 1,200rate reduced", "ReduceLROnPlateau: 1e-3 → 5e-4"]);
  const where = document.createElement("span");
  renderReadout(document.createElement("div"), { position: "", groups: [] }, events, where);
  equal(where.textContent, "epoch 3 · step 1,200", "the place beside the title");
  const run = sampleRun();
  const data = buildPanelData(LOSS, run, VIEW);
  renderReadout(element, readoutContent(LOSS, data, run, VIEW, 1), []);
  equal(element.querySelector('[data-series="raw"].nbc-chart-value').textContent, "0.5000");
  equal(element.querySelector(".nbc-chart-readout-position").dataset.step, "1");
  deepEqual([...element.children].map((line) => line.textContent),
            ["step 1 · epoch 1loss 0.5000", "epoch 1loss 0.4000val_loss 0.4500"]);
}

export function test_a_rate_read_at_the_last_epochs_end_is_labelled_with_that_epoch() {
  // Stopped inside epoch 1: its end's reading sits at position 1.0, where no epoch 2 began.
  const run = new RunData();
  const [header, bytes] = encodeParts("append", [
    ["batches", 0, { step: [0, 1, 2], epoch: [0, 0, 0], batch: [0, 1, 2], seconds: [1, 2, 3],
                     loss: [0.5, 0.4, 0.3] }],
    ["rates", 0, { step: [0, 3], epoch: [0, 1], learning_rate: [0.01, 0.01] }],
  ], { 0: 3 });
  run.applyAppend(header, bytes);
  const panel = { name: "learning rate", rate: true };
  const data = buildPanelData(panel, run, VIEW);
  equal(readoutContent(panel, data, run, VIEW, null).position, "latest: step 3 · epoch 1");
}
