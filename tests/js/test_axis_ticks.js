// Log-axis ticks (nbcallbacks/chart/js/axis_ticks.js), as render/log_ticks.py.
import { linearTicks, logTickValues } from "../../nbcallbacks/chart/js/axis_ticks.js";
import { deepEqual, ok } from "./assert.js";

export function test_matches_python_doctests() {
  deepEqual(logTickValues(1e-5, 1.0), [1e-5, 1e-4, 1e-3, 0.01, 0.1, 1]);
  deepEqual(logTickValues(0.0015, 0.012), [0.002, 0.005, 0.01]);
  deepEqual(logTickValues(0.0043, 0.0115), [0.005, 0.01]);
  deepEqual(logTickValues(0.0067, 0.015), [0.008, 0.01, 0.012, 0.014]);
}

export function test_a_sliver_still_gets_ticks() {
  deepEqual(logTickValues(0.6, 0.8), [0.6, 0.65, 0.7, 0.75, 0.8]);
  ok(logTickValues(0.0099, 0.0101).length >= 2, "a constant learning rate");
}

export function test_many_decades_are_thinned() {
  const ticks = logTickValues(1e-12, 1);
  ok(ticks.length <= 6 && ticks.length >= 3, `${ticks}`);
}

export function test_bad_ranges() {
  deepEqual(logTickValues(NaN, 1), []);
  deepEqual(logTickValues(-1, -0.5), []);
  deepEqual(linearTicks(0, 1), [0, 0.2, 0.4, 0.6, 0.8, 1]);
}
