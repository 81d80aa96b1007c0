// Numbers as the chart writes them (nbcallbacks/chart/js/number_format.js).
import { compactNumber, formatCount, formatLearningRate, formatPosition, formatValue, logTickLabels, pythonExponential,
         tickLabels } from "../../nbcallbacks/chart/js/number_format.js";
import { deepEqual, equal } from "./assert.js";

export function test_format_value_matches_python_examples() {
  // formatting.py: format_value(0.123456), format_value(1e-4), format_value(float("nan"))
  equal(formatValue(0.123456), "0.1235");
  equal(formatValue(1e-4), "1.00e-04");
  equal(formatValue(NaN), "nan");
  equal(formatValue(Infinity), "inf");
  equal(formatValue(-Infinity), "-inf");
  equal(formatValue(null), "—");
  equal(formatValue(0), "0.0000");
  equal(formatValue(0.01), "0.0100");
  equal(formatValue(-0.5), "-0.5000");
  equal(formatValue(99999.99999), "100000.0000");
  equal(formatValue(1e5), "1.00e+05");
  equal(formatValue(-2.5e-3), "-2.50e-03");
  equal(formatValue(1.5e-300), "1.50e-300");
}

export function test_ties_round_to_even_as_python() {
  // f"{0.03125:.4f}" is '0.0312' in Python; JavaScript's toFixed gives "0.0313".
  equal(formatValue(0.03125), "0.0312");
  equal(formatValue(-0.03125), "-0.0312");
  equal(formatValue(0.03135), "0.0314", "not a tie in binary");
  equal(formatValue(122500), "1.22e+05");
  equal(formatValue(123500), "1.24e+05");
  equal(pythonExponential(0.5, 1), "5.0e-01");
}

export function test_counts_and_positions() {
  equal(formatCount(12345), "12,345");
  equal(formatCount(999), "999");
  equal(formatCount(1234567), "1,234,567");
  equal(formatCount(-1234), "-1,234");
  equal(formatPosition(1234, "steps"), "1,234");
  equal(formatPosition(2.5, "epochs"), "2.5");
  equal(formatPosition(1 / 3, "epochs"), "0.33");
  equal(formatPosition(12.5, "time"), "13 s");
  equal(formatPosition(2.5, "time"), "2.5 s");
  equal(formatPosition(0, "time"), "0 s");
  equal(formatPosition(65, "time"), "1:05");
  equal(formatPosition(3723, "time"), "1:02:03");
  equal(formatPosition(-5, "time"), "-5 s");
}

export function test_compact_numbers() {
  // chart_style.compact_number's examples, where the forms agree.
  deepEqual([0, 0.001, 0.00025, 1e-5, 2.5].map((v) => compactNumber(v)), ["0", "0.001", "0.00025", "1e-5", "2.5"]);
  equal(compactNumber(250000), "2.5e+5");
  equal(compactNumber(120), "120");
}

export function test_tick_labels_are_distinct() {
  deepEqual(tickLabels([0.12, 0.125, 0.13]), ["0.12", "0.125", "0.13"]);
  deepEqual(tickLabels([0, 0.2, 0.4]), ["0", "0.2", "0.4"]);
  deepEqual(tickLabels([1000, 2000]), ["1000", "2000"]);
  deepEqual(logTickLabels([1e-5, 1e-4, 1e-3, 0.01, 0.1, 1]), ["1e-5", "1e-4", "1e-3", "0.01", "0.1", "1"]);
  deepEqual(logTickLabels([0.008, 0.01, 0.012]), ["0.008", "0.01", "0.012"]);
  deepEqual(logTickLabels([0.005, 0.01]), ["0.005", "0.01"]);   // a constant rate's axis
  deepEqual(logTickLabels([5e-4, 0.001, 0.002]), ["5e-4", "1e-3", "2e-3"]);
  deepEqual(logTickLabels([0.0100, 0.0105, 0.011]), ["0.01", "0.0105", "0.011"]);
}

export function test_learning_rates_as_float32_shortest() {
  // formatting.format_learning_rate examples, and numpy's forms.
  equal(formatLearningRate(0.1), "0.1");
  equal(formatLearningRate(Math.fround(0.009048374)), "0.009048374");
  equal(formatLearningRate(NaN), "nan");
  equal(formatLearningRate(1e-5), "1e-05");
  equal(formatLearningRate(1e-4), "1e-04");
  equal(formatLearningRate(3e-4), "0.0003");
  equal(formatLearningRate(2), "2.0");
}
