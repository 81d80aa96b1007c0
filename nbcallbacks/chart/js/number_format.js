// number_format.js — numbers as the chart writes them: readout values, ticks, steps.
//
// formatValue mirrors nbcallbacks/records/formatting.py::format_value, so a value reads
// the same in the hover readout, the epoch table and the console line. JavaScript's
// toFixed/toExponential round an exact tie (0.03125 to 4 decimals) away from zero
// where Python rounds it to even; the tie is found in the exact decimal expansion.

/**
 * Python's rounding of an exact tie (to even) where JavaScript rounds away from zero.
 * @param {string} rounded JavaScript's digits for |value|, e.g. "0.1235" or "1.23e+5"
 * @param {string} kept the exact expansion's digits up to the last one kept ("0.1234")
 * @param {string} rest the exact expansion's digits after those ("5000")
 * @returns {string} the digits Python prints for |value|
 */
function roundTiesToEven(rounded, kept, rest) {
  const [mantissa, exponent] = rounded.split("e");
  const lastDigit = Number(mantissa[mantissa.length - 1]);
  if (!/^50*$/.test(rest) || lastDigit % 2 === 0) return rounded;
  return exponent === undefined ? kept : `${kept}e${exponent}`;
}

/** Python's f"{value:.{digits}f}" (digits >= 1). */
function pythonFixed(value, digits) {
  const sign = value < 0 ? "-" : "";
  const magnitude = Math.abs(value);
  const rounded = magnitude.toFixed(digits);
  if (magnitude >= 1e21) return sign + rounded;
  const exact = magnitude.toFixed(100);
  const cut = exact.indexOf(".") + 1 + digits;
  return sign + roundTiesToEven(rounded, exact.slice(0, cut), exact.slice(cut));
}

/**
 * Python's f"{value:.{digits}e}": "1.00e-04", "2.50e+05" (two exponent digits at least).
 * @param {number} value finite
 * @param {number} digits mantissa decimals (>= 1)
 */
export function pythonExponential(value, digits) {
  const sign = value < 0 ? "-" : "";
  const magnitude = Math.abs(value);
  const rounded = magnitude.toExponential(digits);
  const exact = magnitude.toExponential(100).split("e")[0];
  const cut = 2 + digits; // "d." then the decimals
  const text = roundTiesToEven(rounded, exact.slice(0, cut), exact.slice(cut));
  return sign + text.replace(/e([+-])(\d)$/, "e$10$2");
}

/**
 * A compact value: 4 decimals for ordinary sizes, scientific for tiny or huge ones.
 *
 * formatValue(0.123456) -> "0.1235"; formatValue(1e-4) -> "1.00e-04";
 * formatValue(NaN) -> "nan"; formatValue(null) -> "—"
 *
 * @param {number|null|undefined} value
 * @param {number} [digits=4]
 * @returns {string}
 */
export function formatValue(value, digits = 4) {
  if (value == null) return "—";
  if (!Number.isFinite(value)) return Number.isNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";
  if (value !== 0 && (Math.abs(value) < 0.01 || Math.abs(value) >= 1e5)) {
    return pythonExponential(value, 2);
  }
  return pythonFixed(value, digits);
}

/**
 * A whole number with thousands separators: 12345 -> "12,345".
 * @param {number} value
 */
export function formatCount(value) {
  if (!Number.isFinite(value)) return String(value);
  const text = String(Math.round(Math.abs(value)));
  return (value < 0 ? "-" : "") + text.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/**
 * A position on the x axis: "12,345" (steps), "3.25" (epochs, at most 2 decimals) or a
 * duration (time).
 * @param {number} value
 * @param {"steps"|"epochs"|"time"} mode
 */
export function formatPosition(value, mode) {
  if (mode === "steps") return formatCount(value);
  if (mode === "time") return formatDuration(value);
  return String(Number(value.toFixed(2)));
}

/**
 * Seconds as a person reads a clock: "0 s", "12.5 s", "59 s", "1:05", "1:02:03".
 * @param {number} seconds
 */
export function formatDuration(seconds) {
  if (!Number.isFinite(seconds)) return String(seconds);
  const sign = seconds < 0 ? "-" : "";
  const total = Math.abs(seconds);
  if (total < 60) return `${sign}${Number(total.toFixed(total < 10 ? 1 : 0))} s`;
  const whole = Math.round(total);
  const two = (n) => String(n).padStart(2, "0");
  const [hours, minutes, secs] = [Math.floor(whole / 3600), Math.floor(whole / 60) % 60, whole % 60];
  return hours > 0 ? `${sign}${hours}:${two(minutes)}:${two(secs)}` : `${sign}${minutes}:${two(secs)}`;
}

/**
 * A short number for a tick: "0.25", "0.00025", "1e-5", "2.5e+5", "120" — each label
 * complete, never an "offset text" on the axis that a reader would have to add.
 * @param {number} value
 * @param {number} [significant=3] significant digits
 */
export function compactNumber(value, significant = 3) {
  if (value === 0) return "0";
  if (!Number.isFinite(value)) return formatValue(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-4 && magnitude < 1e5) {
    // toPrecision may answer in exponent form (1.20e+2): Number() makes it plain.
    return String(Number(value.toPrecision(significant)));
  }
  // "1e-5", "2.5e+4": Python's compact_number, no zero-padded exponent.
  const [mantissa, exponent] = value.toExponential(significant - 1).split("e");
  return `${Number(mantissa)}e${exponent}`;
}

/**
 * Tick labels that tell every neighbour apart with the fewest digits.
 *
 * tickLabels([0.12, 0.125, 0.13]) -> ["0.12", "0.125", "0.13"], where two significant
 * digits would print "0.13" twice.
 *
 * @param {number[]} values
 * @returns {string[]}
 */
export function tickLabels(values) {
  let labels = [];
  for (let significant = 2; significant <= 8; significant++) {
    labels = values.map((v) => (v == null ? "" : compactNumber(v, significant)));
    if (new Set(labels).size === labels.length) return labels;
  }
  return labels;
}

/**
 * Labels for a log axis: plain where short ("0.5", "20"), else "1e-4", "2.5e-5". An axis
 * whose ticks all read plainly from 0.001 up is labelled plainly throughout ("0.005",
 * "0.01"), not half in each form.
 *
 * logTickLabels([0.008, 0.01, 0.012]) -> ["0.008", "0.01", "0.012"];
 * logTickLabels([1e-5, 1e-3, 0.1]) -> ["1e-5", "1e-3", "0.1"]
 *
 * @param {number[]} values
 * @returns {string[]}
 */
export function logTickLabels(values) {
  const shown = values.filter((v) => v != null && v > 0);
  const plainFrom = shown.length > 0 && shown.every((v) => v >= 0.001) ? 0.001 : 0.01;
  const one = (v, significant) => {
    if (v == null || !(v > 0)) return "";
    if (v >= plainFrom && v < 1e4) return String(Number(v.toPrecision(significant)));
    const [mantissa, exponent] = v.toExponential(significant - 1).split("e");
    return `${Number(mantissa)}e${Number(exponent)}`;
  };
  let labels = [];
  for (let significant = 1; significant <= 6; significant++) {
    labels = values.map((v) => one(v, significant));
    if (new Set(labels).size === labels.length) return labels;
  }
  return labels;
}

/**
 * A learning rate as the optimizer stores it: the shortest text that reads back as the
 * same float32 (nbcallbacks/records/formatting.py::format_learning_rate).
 *
 * formatLearningRate(0.1) -> "0.1"; formatLearningRate(0.009048374) -> "0.009048374";
 * formatLearningRate(1e-5) -> "1e-05"
 *
 * @param {number} value
 */
export function formatLearningRate(value) {
  if (value == null) return "—";
  if (!Number.isFinite(value)) return formatValue(value);
  if (value === 0) return "0.0";
  const single = Math.fround(value);
  let shortest = single;
  for (let precision = 1; precision <= 9; precision++) {
    const candidate = Number(single.toPrecision(precision));
    if (Math.fround(candidate) === single) {
      shortest = candidate;
      break;
    }
  }
  // numpy decides the form on the float32 itself: float32(1e-4) is just below 1e-4.
  const magnitude = Math.abs(single);
  if (magnitude < 1e-4 || magnitude >= 1e16) {
    // numpy's scientific form: "1e-05", "1.5e-05".
    const [mantissa, exponent] = shortest.toExponential().split("e");
    const sign = exponent.startsWith("-") ? "-" : "+";
    return `${mantissa}e${sign}${exponent.replace(/^[+-]/, "").padStart(2, "0")}`;
  }
  const text = String(shortest);
  return text.includes(".") || text.includes("e") ? text : `${text}.0`;
}
