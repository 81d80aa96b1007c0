// TensorBoard's smoothing (nbcallbacks/chart/js/smoothing.js), as records/smoothing.py::ema.
import { ema } from "../../nbcallbacks/chart/js/smoothing.js";
import { close, throws } from "./assert.js";

export function test_matches_python_doctest() {
  // ema(np.array([1.0, 3.0, np.nan, 3.0]), 0.5).round(3) -> [1.0, 2.333, nan, 2.714]
  close(ema([1, 3, NaN, 3], 0.5), [1, 7 / 3, NaN, 19 / 7], 1e-12);
}

export function test_weight_zero_is_a_copy() {
  const values = new Float64Array([1, Infinity, NaN, 2]);
  const out = ema(values, 0);
  close(out, [1, Infinity, NaN, 2], 0);
  out[0] = 5;
  close(values[0], 1, 0, "input untouched");
}

export function test_infinities_are_gaps_that_keep_the_average() {
  close(ema([2, Infinity, -Infinity, 2], 0.9), [2, NaN, NaN, 2], 1e-12);
}

export function test_debiased_start() {
  // Without debiasing the first value would be 0.1 * 10 = 1.
  close(ema([10, 10, 10], 0.9), [10, 10, 10], 1e-12);
}

export function test_known_sequence() {
  // Computed with nbcallbacks.core.ema(np.array([4., 2., 8., 6.]), 0.6).
  close(ema([4, 2, 8, 6], 0.6), [4.0, 2.75, 5.428571428571429, 5.691176470588235], 1e-12);
}

export function test_weight_out_of_range() {
  throws(() => ema([1], 1), /\[0, 1\)/);
  throws(() => ema([1], -0.1), /\[0, 1\)/);
}
