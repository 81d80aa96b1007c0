// smoothing.js — TensorBoard's smoothing slider: a debiased exponential moving average.
//
// Identical to nbcallbacks/records/smoothing.py::ema, so the live chart and the PNG show
// the same smoothed curve. Debiased: the first points are not pulled towards zero.
// A NaN or infinite input gives NaN and leaves the average alone, so gaps stay gaps.

/**
 * Debiased EMA of `values` with smoothing `weight` in [0, 1).
 *
 * ema([1, 3, NaN, 3], 0.5) -> [1, 2.333…, NaN, 2.714…]
 *
 * @param {ArrayLike<number>} values
 * @param {number} weight 0 returns a copy; 0.9 averages roughly the last ten points
 * @returns {Float64Array}
 */
export function ema(values, weight) {
  if (!(weight >= 0 && weight < 1)) {
    throw new RangeError(`smoothing weight must be in [0, 1), got ${weight}`);
  }
  const n = values.length;
  const out = new Float64Array(n);
  if (weight === 0) {
    out.set(values);
    return out;
  }
  let average = 0;
  let debias = 0;
  for (let i = 0; i < n; i++) {
    const value = values[i];
    if (value == null || !Number.isFinite(value)) {
      out[i] = NaN;
      continue;
    }
    average = weight * average + (1 - weight) * value;
    debias = weight * debias + (1 - weight);
    out[i] = average / debias;
  }
  return out;
}
