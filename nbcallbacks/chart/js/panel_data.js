// panel_data.js — one panel's curves as uPlot wants them: one shared x array and one
// y array per series.
//
// A metric panel shows the per-batch values (raw, and smoothed when the slider is
// above 0) and the per-epoch values (training and validation, as points joined by a
// line). Batch and epoch rows sit at different x positions, so the x array is the
// sorted union of both. uPlot tells two kinds of "no value" apart: `undefined` where a
// series simply has no row at that x (bridged: the epoch line runs from epoch point to
// epoch point) and `null` where the data holds NaN or infinity (a visible gap).
//
// Long per-batch curves are decimated to the rows that matter at the panel's width
// (decimate.js); the full columns stay in the result, for the readout and the best
// epoch, so nothing a person reads depends on the decimation.

import { isAscending, minMaxRows } from "./decimate.js";
import { batchPositions, epochPositions, ratePositions } from "./positions.js";
import { ema } from "./smoothing.js";

/** The series of a metric panel, in uPlot order after x. */
export const METRIC_SERIES = ["raw", "smooth", "train", "val"];
const DEFAULT_BUCKETS = 1000;
// Up to this many rows in view are all drawn (cheap for uPlot, and what a test or a
// person counting points expects); beyond, two rows per pixel column.
const ALWAYS_DRAWN_ROWS = 4000;

/** The value as uPlot takes it: a finite number, else null (a gap). */
function plottable(value) {
  return Number.isFinite(value) ? value : null;
}

/** Row order that sorts `xs` (stable), or null when already sorted. */
function sortOrder(xs) {
  if (isAscending(xs)) return null;
  return Array.from(xs, (_, i) => i).sort((a, b) => xs[a] - xs[b] || a - b);
}

/**
 * Merge two x arrays into their sorted union.
 *
 * mergePositions([1, 2, 3], [2, 3.5]) -> {x: [1, 2, 3, 3.5], first: [0, 1, 2],
 * second: [1, 3]}: `first[i]` / `second[j]` is where item i / j of each input lands.
 * Equal x values share one slot. Inputs need not be sorted (a second fit may restart
 * epochs), but usually are, and then the merge is linear.
 *
 * @param {ArrayLike<number>} a
 * @param {ArrayLike<number>} b
 * @returns {{x: number[], first: Int32Array, second: Int32Array}}
 */
export function mergePositions(a, b) {
  const orderA = sortOrder(a);
  const orderB = sortOrder(b);
  const x = [];
  const first = new Int32Array(a.length);
  const second = new Int32Array(b.length);
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const ia = orderA ? orderA[i] : i;
    const jb = orderB ? orderB[j] : j;
    const va = i < a.length ? a[ia] : Infinity;
    const vb = j < b.length ? b[jb] : Infinity;
    const value = Math.min(va, vb);
    if (x.length === 0 || x[x.length - 1] !== value) x.push(value);
    const slot = x.length - 1;
    if (i < a.length && va === value) {
      first[ia] = slot;
      i++;
    } else {
      second[jb] = slot;
      j++;
    }
  }
  return { x, first, second };
}

/**
 * The x positions of every table for one x axis (shared by all panels of a frame).
 * @param {import("./run_data.js").RunData} run
 * @param {"steps"|"epochs"|"time"} mode
 * @returns {{batchX: Float64Array, epochX: Float64Array, rateX: Float64Array}}
 */
export function tablePositions(run, mode) {
  return {
    batchX: batchPositions(run.table("batches"), mode, run.batchesPerEpoch),
    epochX: epochPositions(run.table("epochs"), mode),
    rateX: ratePositions(run.table("rates"), mode),
  };
}

/** The largest value of `xs` (-Infinity when empty); no spread: arrays may be long. */
function maxOf(xs) {
  let high = -Infinity;
  for (let i = 0; i < xs.length; i++) if (xs[i] > high) high = xs[i];
  return high;
}

/** Index of the finite extreme (max when `highest`) of `values`, or -1. */
function bestIndex(values, highest) {
  let best = -1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (best < 0 || (highest ? v > values[best] : v < values[best])) best = i;
  }
  return best;
}

/** Finite values' count, min and max. */
function finiteStats(values) {
  let count = 0;
  let low = Infinity;
  let high = -Infinity;
  if (values) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === v && v !== Infinity && v !== -Infinity) {
        count++;
        if (v < low) low = v;
        if (v > high) high = v;
      }
    }
  }
  return { count, low, high };
}

/** Buckets for minMaxRows: the panel's pixel columns, but enough to keep up to
 * ALWAYS_DRAWN_ROWS rows whole (minMaxRows keeps every row up to twice the buckets). */
function bucketsFor(options) {
  return Math.max(options.buckets || DEFAULT_BUCKETS, ALWAYS_DRAWN_ROWS / 2);
}

/** Rows of a curve to draw: decimated when its x ascends, else all of them. */
function rowsToDraw(xs, values, options) {
  if (isAscending(xs)) return minMaxRows(xs, values, options.range || null, bucketsFor(options));
  const all = new Int32Array(xs.length);
  for (let i = 0; i < all.length; i++) all[i] = i;
  return all;
}

/**
 * One panel's data.
 *
 * @param {{name: string, batch: string|null, epoch: string|null, val: string|null,
 *          rate?: boolean, bounded?: boolean, higher_is_better?: boolean}} panel
 * @param {import("./run_data.js").RunData} run
 * @param {{log_scale: boolean, smoothing: number, x_axis: "steps"|"epochs"|"time"}} view
 * @param {{positions?: object, range?: {min: number, max: number}|null, buckets?: number}} [options]
 *   `positions`: tablePositions() for this frame (computed when absent); `range`: the
 *   visible x range and `buckets`: the panel's width in pixels, for the decimation
 * @returns {{
 *   data: Array<Array<number|null|undefined>>, // [x, ...series] for uPlot
 *   series: string[],                 // keys of data[1..]: "raw", "smooth", "train", "val" or "rate"
 *   batchX: Float64Array, epochX: Float64Array, rateX: Float64Array, // every row's x
 *   smoothed: Float64Array|null,      // the EMA of every batch row (when smoothing)
 *   rateSource: "rates"|"epochs",     // where the learning-rate panel reads
 *   points: {raw: number, train: number, val: number, rate: number}, // finite values
 *   drawn: number,                    // batch (or rate) rows handed to uPlot
 *   log: boolean, logReason: string,  // log y, and why not when asked ("values ≤ 0", "no values yet")
 *   best: {x: number, y: number, row: number}|null,  // the best epoch's point
 *   range: [number, number]|null,     // finite values' [min, max]
 *   xMax: number,                     // the last x of any row (-Infinity: none)
 * }}
 */
export function buildPanelData(panel, run, view, options = {}) {
  const positions = options.positions || tablePositions(run, view.x_axis);
  return panel.rate ? rateData(panel, run, view, positions, options)
    : metricData(panel, run, view, positions, options);
}

function metricData(panel, run, view, positions, options) {
  const batches = run.table("batches");
  const epochs = run.table("epochs");
  const batchValues = panel.batch ? batches.column(panel.batch) : null;
  const trainValues = panel.epoch ? epochs.column(panel.epoch) : null;
  const valValues = panel.val ? epochs.column(panel.val) : null;
  const batchX = batchValues ? positions.batchX : new Float64Array(0);
  const epochX = trainValues || valValues ? positions.epochX : new Float64Array(0);
  const smoothed = batchValues && view.smoothing > 0 ? ema(batchValues, view.smoothing) : null;

  const rows = batchValues ? rowsToDraw(batchX, batchValues, options) : new Int32Array(0);
  const drawnX = new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) drawnX[k] = batchX[rows[k]];
  const { x, first, second } = mergePositions(drawnX, epochX);
  const n = x.length;
  const raw = new Array(n).fill(undefined);
  const smooth = new Array(n).fill(undefined);
  const train = new Array(n).fill(undefined);
  const val = new Array(n).fill(undefined);
  for (let k = 0; k < rows.length; k++) {
    const slot = first[k];
    raw[slot] = plottable(batchValues[rows[k]]);
    if (smoothed) smooth[slot] = plottable(smoothed[rows[k]]);
  }
  for (let i = 0; i < epochX.length; i++) {
    const slot = second[i];
    if (trainValues) train[slot] = plottable(trainValues[i]);
    if (valValues) val[slot] = plottable(valValues[i]);
  }

  const stats = [batchValues, trainValues, valValues].map(finiteStats);
  const low = Math.min(...stats.map((s) => s.low));
  const high = Math.max(...stats.map((s) => s.high));
  // The best epoch of the validation curve when there is one, else of training.
  const reference = stats[2].count > 0 ? valValues : trainValues;
  let best = null;
  if (reference) {
    const row = bestIndex(reference, Boolean(panel.higher_is_better));
    if (row >= 0) best = { x: epochX[row], y: reference[row], row };
  }
  const finite = low <= high;
  let log = false;
  let logReason = "";
  if (view.log_scale) {
    if (!finite) logReason = "no values yet";
    else if (low <= 0) logReason = "values ≤ 0";
    else log = true;
  }
  const xMax = Math.max(maxOf(batchX), maxOf(epochX));
  return { data: [x, raw, smooth, train, val], series: METRIC_SERIES, batchX, epochX,
           rateX: new Float64Array(0), smoothed, rateSource: "rates",
           points: { raw: stats[0].count, train: stats[1].count, val: stats[2].count, rate: 0 },
           drawn: rows.length, log, logReason, best, range: finite ? [low, high] : null, xMax };
}

function rateData(panel, run, view, positions, options) {
  // The rates table when the callbacks recorded readings, else the epoch logs'
  // learning_rate column (LearningRateScheduler, ReduceLROnPlateau).
  const rates = run.table("rates");
  const fromRates = rates.length > 0 && rates.has("learning_rate");
  const table = fromRates ? rates : run.table("epochs");
  const values = table.column("learning_rate") || new Float64Array(0);
  const xs = fromRates ? positions.rateX : positions.epochX;
  let rows;
  if (isAscending(xs)) {
    rows = minMaxRows(xs, values, options.range || null, bucketsFor(options));
  } else {
    rows = Int32Array.from(sortOrder(xs));
  }
  const x = new Array(rows.length);
  const rate = new Array(rows.length);
  for (let k = 0; k < rows.length; k++) {
    x[k] = xs[rows[k]];
    const v = values[rows[k]];
    // A log axis cannot show a rate of 0 (or below): a gap.
    rate[k] = Number.isFinite(v) && v > 0 ? v : null;
  }
  let count = 0;
  let low = Infinity;
  let high = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v) && v > 0) {
      count++;
      if (v < low) low = v;
      if (v > high) high = v;
    }
  }
  return { data: [x, rate], series: ["rate"], batchX: new Float64Array(0), epochX: positions.epochX,
           rateX: xs, smoothed: null, rateSource: fromRates ? "rates" : "epochs",
           points: { raw: 0, train: 0, val: 0, rate: count }, drawn: rows.length, log: true,
           logReason: "", best: null, range: low <= high ? [low, high] : null,
           xMax: maxOf(xs) };
}

/**
 * The y range to show: [0, 1] for a bounded metric whose values stay inside it, else
 * the values with a little room (multiplicative on a log axis, where 0 cannot be).
 *
 * @param {[number, number]|null} range finite values' [min, max] (null: none yet)
 * @param {{bounded?: boolean}} panel
 * @param {boolean} log
 * @returns {[number, number]}
 */
export function yRange(range, panel, log) {
  if (!range) return log ? [0.1, 1] : [0, 1];
  const [low, high] = range;
  if (panel.bounded && !log && low >= 0 && high <= 1) return [0, 1];
  if (log) {
    if (high <= low) return [low / 2, high * 2];
    const room = (high / low) ** 0.06;
    return [low / room, high * room];
  }
  if (high <= low) {
    const room = Math.abs(low) * 0.1 || 0.5;
    return [low - room, high + room];
  }
  const room = (high - low) * 0.06;
  return [low - room, high + room];
}
