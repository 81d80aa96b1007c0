// Runs compared as uPlot data (nbcallbacks/chart/js/comparison_data.js).
import { comparisonSeries, epochUnion, runColor, RUN_COLORS_DARK, RUN_COLORS_LIGHT,
  sortedRows } from "../../nbcallbacks/chart/js/comparison_data.js";
import { deepEqual, equal } from "./assert.js";

const RUNS = [
  { name: "a", epochs: [0, 1, 2], series: { loss: [1, 0.5, 0.25], val_loss: [1.5, null, 0.75] } },
  { name: "b", epochs: [0, 1], series: { loss: [2, 1] } },
];

export function test_runs_of_different_lengths_share_the_union_of_epochs() {
  deepEqual(epochUnion(RUNS), [0, 1, 2]);
  const { x, data, keys } = comparisonSeries(RUNS, "loss");
  deepEqual(x, [0, 1, 2]);
  deepEqual(keys.map((k) => [k.run, k.key, k.present]),
            [[0, "val_loss", true], [0, "loss", true], [1, "val_loss", false], [1, "loss", true]]);
  deepEqual(data[1], [1.5, null, 0.75], "NaN sent as null stays a gap");
  deepEqual(data[2], [1, 0.5, 0.25]);
  deepEqual(data[4], [2, 1, undefined], "an epoch the run did not reach is undefined");
}

export function test_a_run_without_values_yet_is_all_undefined() {
  const { data, keys } = comparisonSeries([{ name: "new", epochs: [], series: {} }], "loss");
  deepEqual(data, [[], [], []]);
  equal(keys.every((k) => !k.present), true);
}

export function test_rows_sort_numbers_numerically_text_alphabetically_empty_last() {
  const rows = [["run b", 0.1, null], ["run a", 0.01, 3], ["run c", 1, 2]];
  deepEqual(sortedRows(rows, 1, false), [1, 0, 2]);
  deepEqual(sortedRows(rows, 1, true), [2, 0, 1]);
  deepEqual(sortedRows(rows, 2, false), [2, 1, 0], "the empty cell last");
  deepEqual(sortedRows(rows, 2, true), [1, 2, 0], "the empty cell last, descending too");
  deepEqual(sortedRows(rows, 0, false), [1, 0, 2]);
}

export function test_colours_cycle_and_have_a_dark_variant_each() {
  equal(RUN_COLORS_LIGHT.length, RUN_COLORS_DARK.length);
  equal(runColor(0, false), "#1f77b4");
  equal(runColor(RUN_COLORS_LIGHT.length, true), RUN_COLORS_DARK[0]);
}
