// decimate.js — which rows of a long curve to draw: per pixel column, its extremes.
//
// A run of 100,000 batches on a 350-pixel panel draws ~300 points per pixel; handing
// them all to uPlot would cost tens of milliseconds per frame while showing nothing
// more. Keeping, in each pixel-wide bucket, the rows of the minimum and maximum (as
// nbcallbacks/records/decimation.py does for the PNG) draws the same picture, spikes
// included, from two points per pixel. A bucket's first non-finite value is kept too,
// so that a gap stays a gap.

/**
 * The first index `i` in [lo, hi) with `xs[i] >= value` (xs ascending).
 * @param {ArrayLike<number>} xs
 * @param {number} value
 * @param {number} [lo=0]
 * @param {number} [hi=xs.length]
 */
export function lowerBound(xs, value, lo = 0, hi = xs.length) {
  while (lo < hi) {
    const middle = (lo + hi) >> 1;
    if (xs[middle] < value) lo = middle + 1;
    else hi = middle;
  }
  return lo;
}

/** Whether `xs` never decreases. */
export function isAscending(xs) {
  for (let i = 1; i < xs.length; i++) if (xs[i] < xs[i - 1]) return false;
  return true;
}

/**
 * Rows to draw of a curve with ascending x: every row when they are few, else per
 * bucket the rows of the extreme values, plus one row beyond each end of the range so
 * the line runs to the panel's edges.
 *
 * @param {ArrayLike<number>} xs ascending x of every row
 * @param {ArrayLike<number>} values the curve's values (NaN / ±inf allowed)
 * @param {{min: number, max: number}|null} range the visible x range (null: all)
 * @param {number} buckets how many buckets (about the panel's width in pixels)
 * @returns {Int32Array} ascending row indices
 */
export function minMaxRows(xs, values, range, buckets) {
  const n = xs.length;
  let lo = 0;
  let hi = n;
  if (range) {
    lo = Math.max(0, lowerBound(xs, range.min) - 1);
    hi = Math.min(n, lowerBound(xs, range.max, lo) + 1);
  }
  buckets = Math.max(1, Math.floor(buckets));
  if (hi - lo <= 2 * buckets) {
    const all = new Int32Array(hi - lo);
    for (let i = 0; i < all.length; i++) all[i] = lo + i;
    return all;
  }
  const first = xs[lo];
  const width = (xs[hi - 1] - first) / buckets || 1;
  const keep = new Int32Array(3 * (buckets + 2) + 2);
  let count = 0;
  keep[count++] = lo;
  let i = lo + 1;
  const last = hi - 1;
  while (i < last) {
    const bucket = Math.floor((xs[i] - first) / width);
    const end = bucket + 1 >= buckets ? last : Math.min(last, lowerBound(xs, first + (bucket + 1) * width, i));
    const stop = Math.max(end, i + 1);
    let low = -1;
    let high = -1;
    let gap = -1;
    for (let j = i; j < stop; j++) {
      const v = values[j];
      if (v === v && v !== Infinity && v !== -Infinity) {
        if (low < 0 || v < values[low]) low = j;
        if (high < 0 || v > values[high]) high = j;
      } else if (gap < 0) {
        gap = j;
      }
    }
    // In row order, so the line visits them left to right.
    const picks = [low, high, gap].filter((r) => r >= 0).sort((a, b) => a - b);
    for (let k = 0; k < picks.length; k++) {
      if (k === 0 || picks[k] !== picks[k - 1]) keep[count++] = picks[k];
    }
    i = stop;
  }
  if (last > lo) keep[count++] = last;
  return keep.slice(0, count);
}
