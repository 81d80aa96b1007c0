// Which rows of a long curve are drawn (nbcallbacks/chart/js/decimate.js).
import { isAscending, lowerBound, minMaxRows } from "../../nbcallbacks/chart/js/decimate.js";
import { deepEqual, equal, ok } from "./assert.js";

export function test_lower_bound() {
  const xs = [1, 2, 2, 5];
  deepEqual([0, 1, 2, 3, 5, 6].map((v) => lowerBound(xs, v)), [0, 0, 1, 3, 3, 4]);
  ok(isAscending(xs) && !isAscending([2, 1]));
}

export function test_few_rows_are_all_kept() {
  deepEqual(Array.from(minMaxRows([1, 2, 3], [5, 6, 7], null, 10)), [0, 1, 2]);
}

export function test_extremes_of_each_bucket_in_row_order() {
  // Matches records/decimation.py's idea: per bucket, the min and max rows.
  const xs = Array.from({ length: 1000 }, (_, i) => i);
  const values = xs.map((i) => Math.sin(i) + (i === 500 ? 10 : 0));
  const rows = Array.from(minMaxRows(xs, values, null, 100));
  ok(rows.length <= 3 * 102 + 2, `${rows.length} rows`);
  ok(rows.includes(500), "the spike");
  ok(rows.every((r, i) => i === 0 || r > rows[i - 1]), "ascending, no repeats");
  equal(rows[0], 0);
  equal(rows[rows.length - 1], 999);
}

export function test_non_finite_values_keep_their_gap() {
  const xs = Array.from({ length: 1000 }, (_, i) => i);
  const values = xs.map((i) => (i >= 300 && i < 310 ? NaN : i % 7));
  const rows = Array.from(minMaxRows(xs, values, null, 50));
  ok(rows.some((r) => Number.isNaN(values[r])), "a NaN row stays");
}

export function test_range_limits_rows_to_the_view() {
  const xs = Array.from({ length: 10000 }, (_, i) => i);
  const rows = Array.from(minMaxRows(xs, xs, { min: 5000, max: 5100 }, 200));
  equal(rows[0], 4999, "one row before the view");
  equal(rows[rows.length - 1], 5100, "the first row at or after the end");
  equal(rows.length, 102);
}
