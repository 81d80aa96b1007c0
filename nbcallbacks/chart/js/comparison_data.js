// comparison_data.js — runs compared, as uPlot wants them: per panel one shared x array
// (the epochs any run reached) and, per run, its validation and training values.
//
// The kernel sends each run's per-epoch columns (`epochs`, and one array per logged key,
// null where a value was NaN or infinite). A run that did not reach an epoch has
// `undefined` there, which uPlot bridges like a missing value, so runs of different
// lengths share one panel.

/** Colours of the runs, in order (render/palette.py RUNS on light backgrounds). */
export const RUN_COLORS_LIGHT = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e",
  "#8c564b", "#e377c2", "#17becf", "#7f7f7f"];
/** The same hues, lighter, so they read on a dark background. */
export const RUN_COLORS_DARK = ["#5aa9e6", "#ff6b6b", "#5ccf5c", "#b99be0", "#ffa85c",
  "#c49a8e", "#f29ad8", "#4fd6e6", "#b0b0b0"];

/** The colour of run `index` (0-based) in a light or dark palette. */
export function runColor(index, dark) {
  const colors = dark ? RUN_COLORS_DARK : RUN_COLORS_LIGHT;
  return colors[index % colors.length];
}

/** The sorted union of every run's epochs. */
export function epochUnion(runs) {
  const all = new Set();
  for (const run of runs) for (const epoch of run.epochs || []) all.add(epoch);
  return Array.from(all).sort((a, b) => a - b);
}

/**
 * One panel's data: x (epochs) and per run two series, validation then training.
 *
 * comparisonSeries([{name: "a", epochs: [0, 1], series: {loss: [1, 0.5], val_loss: [1.2, 0.8]}}],
 *                  "loss") ->
 *   {x: [0, 1], data: [[0, 1], [1.2, 0.8], [1, 0.5]], keys: [{run: 0, key: "val_loss"},
 *   {run: 0, key: "loss"}]}
 *
 * @param {Array<{name: string, epochs: number[], series: Object<string, Array<number|null>>}>} runs
 * @param {string} panel a metric's base name ("loss")
 * @returns {{x: number[], data: Array<Array<number|null|undefined>>, keys: Array<{run: number, key: string}>}}
 */
export function comparisonSeries(runs, panel) {
  const x = epochUnion(runs);
  const slot = new Map(x.map((epoch, i) => [epoch, i]));
  const data = [x];
  const keys = [];
  runs.forEach((run, index) => {
    for (const key of ["val_" + panel, panel]) {
      const column = new Array(x.length).fill(undefined);
      const values = (run.series || {})[key];
      if (values) {
        (run.epochs || []).forEach((epoch, row) => {
          const value = values[row];
          column[slot.get(epoch)] = value == null || !Number.isFinite(value) ? null : value;
        });
      }
      data.push(column);
      keys.push({ run: index, key, present: Boolean(values) });
    }
  });
  return { x, data, keys };
}

/**
 * Sort table rows by one column: numbers numerically, text alphabetically, empty
 * cells last either way.
 *
 * @param {Array<Array<*>>} rows
 * @param {number} column
 * @param {boolean} descending
 * @returns {number[]} row indices in display order
 */
export function sortedRows(rows, column, descending) {
  const order = rows.map((_, i) => i);
  const empty = (v) => v == null || v === "" || (typeof v === "number" && !Number.isFinite(v));
  order.sort((a, b) => {
    const va = rows[a][column];
    const vb = rows[b][column];
    if (empty(va) || empty(vb)) return empty(va) - empty(vb) || a - b;
    const diff = typeof va === "number" && typeof vb === "number"
      ? va - vb : String(va).localeCompare(String(vb), undefined, { numeric: true });
    return (descending ? -diff : diff) || a - b;
  });
  return order;
}
