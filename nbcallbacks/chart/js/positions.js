// positions.js — x coordinates of rows and events, for the "steps", "epochs" and "time" axes.
//
// Mirrors `_Positions` in nbcallbacks/render/dashboard_figure.py so that the live
// chart and the static PNG put every point at the same place:
//   steps:  batch row -> step + 1 ("batches done"), epoch row -> its step,
//           rate row -> its step, event -> its step;
//   epochs: batch row -> epoch + (batch + 1) / batches in that epoch,
//           epoch row -> epoch + 1, rate row -> its (fractional) epoch column,
//           event -> its step interpolated over the batch rows;
//   time:   every row -> its "seconds" column (training time when it was recorded),
//           event -> its step interpolated over the batch rows.

/** The x axes a view can choose (ViewOptions.x_axis in Python). */
export const X_AXIS_CHOICES = ["steps", "epochs", "time"];

/** The column holding a row's x in time mode (see MetricStore). */
const SECONDS = "seconds";

/** A copy of `table`'s seconds column (zeros for a run saved before it existed). */
function secondsOf(table) {
  const source = table.column(SECONDS);
  return source ? Float64Array.from(source) : new Float64Array(table.length);
}

/**
 * x of every batch row.
 * @param {import("./run_data.js").GrowingTable} batches
 * @param {"steps"|"epochs"|"time"} mode
 * @param {Object<string, number>} batchesPerEpoch str(epoch) -> batch count
 * @returns {Float64Array}
 */
export function batchPositions(batches, mode, batchesPerEpoch) {
  if (mode === "time") return secondsOf(batches);
  const n = batches.length;
  const out = new Float64Array(n);
  if (mode === "steps") {
    const step = batches.column("step");
    for (let i = 0; i < n; i++) out[i] = step[i] + 1;
    return out;
  }
  const epoch = batches.column("epoch");
  const batch = batches.column("batch");
  for (let i = 0; i < n; i++) {
    const count = Math.max(Number(batchesPerEpoch[String(epoch[i])]) || 1, 1);
    out[i] = epoch[i] + (batch[i] + 1) / count;
  }
  return out;
}

/**
 * x of every epoch row.
 * @param {import("./run_data.js").GrowingTable} epochs
 * @param {"steps"|"epochs"|"time"} mode
 * @returns {Float64Array}
 */
export function epochPositions(epochs, mode) {
  if (mode === "time") return secondsOf(epochs);
  const n = epochs.length;
  const out = new Float64Array(n);
  const source = epochs.column(mode === "steps" ? "step" : "epoch");
  for (let i = 0; i < n; i++) out[i] = mode === "steps" ? source[i] : source[i] + 1;
  return out;
}

/**
 * x of every learning-rate reading (the rates table carries every position).
 * @param {import("./run_data.js").GrowingTable} rates
 * @param {"steps"|"epochs"|"time"} mode
 * @returns {Float64Array}
 */
export function ratePositions(rates, mode) {
  if (mode === "time") return secondsOf(rates);
  const source = rates.column(mode === "steps" ? "step" : "epoch");
  return source ? Float64Array.from(source) : new Float64Array(rates.length);
}

/**
 * A function mapping a step ("batches done") to x, for events and fit boundaries.
 *
 * In epochs and time modes a step is interpolated over the batch rows' (step + 1, x) pairs,
 * as numpy.interp with left=0 (and the last x beyond the right end); without batch
 * rows the epoch rows' (step, epoch + 1) pairs are used.
 *
 * @param {import("./run_data.js").RunData} run
 * @param {"steps"|"epochs"|"time"} mode
 * @returns {(step: number) => number}
 */
export function stepToX(run, mode) {
  if (mode === "steps") return (step) => step;
  const batches = run.table("batches");
  let known;
  let knownX;
  if (batches.length > 0) {
    known = Float64Array.from(batches.column("step"), (s) => s + 1);
    knownX = batchPositions(batches, mode, run.batchesPerEpoch);
  } else {
    const epochs = run.table("epochs");
    if (epochs.length === 0) return () => 0;
    known = Float64Array.from(epochs.column("step"));
    knownX = epochPositions(epochs, mode);
  }
  return (step) => interpolate(step, known, knownX);
}

/**
 * numpy.interp for one value over increasing `xs` (left of the first point: 0).
 * @param {number} value
 * @param {ArrayLike<number>} xs increasing
 * @param {ArrayLike<number>} ys
 */
export function interpolate(value, xs, ys) {
  const n = xs.length;
  if (n === 0 || value < xs[0]) return 0;
  if (value >= xs[n - 1]) return ys[n - 1];
  let low = 0;
  let high = n - 1;
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if (xs[middle] <= value) low = middle;
    else high = middle;
  }
  const span = xs[high] - xs[low];
  return span > 0 ? ys[low] + ((value - xs[low]) / span) * (ys[high] - ys[low]) : ys[low];
}
