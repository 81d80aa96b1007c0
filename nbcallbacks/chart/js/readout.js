// readout.js — the lines above each panel that say what is under the cursor:
//   step 1,234 · epoch 3 (· 1:05 on a time axis)   (beside the panel's title)
//   loss 0.1234 (smoothed 0.1301)
//   epoch 3: loss 0.1200  val_loss 0.1500
//
// Without a cursor it shows the latest values, so a projected chart always carries
// numbers. Near an event line it shows the event's full message instead. Values come
// from the tables (not from the drawn arrays), so a NaN reads "nan", as in the console.

import { isAscending, lowerBound } from "./decimate.js";
import { makeElement } from "./dom.js";
import { formatCount, formatLearningRate, formatPosition, formatValue } from "./number_format.js";

const ASCENDING = new WeakMap(); // x array -> whether it ascends (checked once per array)

/**
 * Index of the row whose x is nearest to `x` (the last row when `x` is null), or -1.
 * @param {ArrayLike<number>} xs every row's x (usually ascending: binary search)
 * @param {number|null} x
 */
export function nearestRow(xs, x) {
  const n = xs.length;
  if (n === 0) return -1;
  if (x == null) return n - 1;
  if (!ASCENDING.has(xs)) ASCENDING.set(xs, isAscending(xs));
  if (!ASCENDING.get(xs)) {
    let best = 0;
    for (let i = 1; i < n; i++) if (Math.abs(xs[i] - x) < Math.abs(xs[best] - x)) best = i;
    return best;
  }
  const i = lowerBound(xs, x);
  if (i >= n) return n - 1;
  if (i === 0) return 0;
  return x - xs[i - 1] <= xs[i] - x ? i - 1 : i;
}

/**
 * What the readout says, as data (rendered by renderReadout, read by tests).
 *
 * Values are read from the tables at the row nearest the cursor, whatever was drawn.
 *
 * @param {object} panel a layout entry
 * @param {object} panelData buildPanelData()'s result
 * @param {import("./run_data.js").RunData} run
 * @param {{smoothing: number, x_axis: string}} view
 * @param {number|null} x the cursor's x value, or null for "latest"
 * @returns {{position: string, step: number|null, epoch: number|null,
 *            groups: Array<{title: string, items: Array<{series: string, label: string,
 *            value: string, note?: {series: string, label: string, value: string}}>}>}}
 */
export function readoutContent(panel, panelData, run, view, x) {
  const content = { position: "", step: null, epoch: null, groups: [] };
  const where = [];

  if (panel.rate) {
    const row = nearestRow(panelData.rateX, x);
    if (row < 0) return content;
    const table = run.table(panelData.rateSource);
    content.step = table.column("step")[row];
    const epoch = table.column("epoch")[row];
    // The rates table holds fractional epoch positions; the epoch logs, epoch indices.
    // A rate read at an epoch's end sits where the next epoch begins: it is labelled with
    // that epoch once a batch of it ran (a stopped or finished fit has none).
    content.epoch = panelData.rateSource === "rates"
      ? Math.min(Math.floor(epoch) + 1, epochsRun(run) ?? Infinity) : epoch + 1;
    where.push(`step ${formatCount(content.step)}`, `epoch ${content.epoch}`);
    content.position = (x == null ? "latest: " : "") + where.join(" · ");
    const rate = formatLearningRate(table.column("learning_rate")[row]);
    content.groups.push({ title: "", items: [{ series: "rate", label: "learning rate", value: rate }] });
    return content;
  }

  const batchRow = panel.batch ? nearestRow(panelData.batchX, x) : -1;
  if (batchRow >= 0) {
    const batches = run.table("batches");
    content.step = batches.column("step")[batchRow] + 1; // batches done, as the x axis
    content.epoch = batches.column("epoch")[batchRow] + 1;
    where.push(`step ${formatCount(content.step)}`, `epoch ${content.epoch}`);
    const value = formatValue(batches.column(panel.batch)[batchRow]);
    const item = { series: "raw", label: panel.batch, value };
    if (view.smoothing > 0 && panelData.smoothed) {
      item.note = { series: "smooth", label: "smoothed", value: formatValue(panelData.smoothed[batchRow]) };
    }
    content.groups.push({ title: "", items: [item] });
  }
  const epochRow = nearestRow(panelData.epochX, x);
  if (epochRow >= 0) {
    const epochs = run.table("epochs");
    const epoch = epochs.column("epoch")[epochRow] + 1;
    const items = [];
    if (panel.epoch && epochs.has(panel.epoch)) {
      const value = formatValue(epochs.column(panel.epoch)[epochRow]);
      items.push({ series: "train", label: panel.epoch, value });
    }
    if (panel.val && epochs.has(panel.val)) {
      const value = formatValue(epochs.column(panel.val)[epochRow]);
      items.push({ series: "val", label: panel.val, value });
    }
    // The values logged at the end of that epoch.
    if (items.length) content.groups.push({ title: `epoch ${epoch}`, items });
    if (content.step == null) {
      content.step = epochs.column("step")[epochRow];
      content.epoch = epoch;
      where.push(`step ${formatCount(content.step)}`, `epoch ${epoch}`);
    }
  }
  // On a time axis the time is said too (step and epoch stay: they are what people compare).
  if (view.x_axis === "time" && where.length) {
    const at = batchRow >= 0 ? panelData.batchX[batchRow] : panelData.epochX[epochRow];
    where.push(formatPosition(at, "time"));
  }
  content.position = where.length ? (x == null ? "latest: " : "") + where.join(" · ") : "";
  return content;
}

/**
 * How many epochs have run or begun (1-based number of the latest), or null before any row.
 * @param {import("./run_data.js").RunData} run
 * @returns {number|null}
 */
function epochsRun(run) {
  let latest = -1;
  for (const name of ["batches", "epochs"]) {
    const epochs = run.table(name).column("epoch");
    if (epochs && epochs.length) latest = Math.max(latest, epochs[epochs.length - 1]);
  }
  return latest < 0 ? null : latest + 1;
}

/**
 * The readout for events under the cursor: each event's label, place and full message.
 * @param {Array<{label: string, family: string, event: object}>} marks
 * @param {string} mode "steps", "epochs" or "time"
 * @returns {Array<{family: string, label: string, where: string, message: string}>}
 */
export function eventReadout(marks, mode) {
  return marks.map((mark) => ({
    family: mark.family,
    label: mark.legend || mark.label,
    where: `epoch ${mark.event.epoch + 1} · step ${formatCount(mark.event.step)}`,
    message: String(mark.event.message || ""),
    x: formatPosition(mark.x, mode),
  }));
}

/** One value: a swatch in the series' colour, its name, the number in bold. */
function readoutItem(item) {
  const entry = makeElement("span", "nbc-chart-readout-item");
  entry.append(makeElement("i", "nbc-chart-swatch", { "data-series": item.series }),
               makeElement("span", "nbc-chart-readout-label", null, `${item.label} `),
               makeElement("b", "nbc-chart-value", { "data-series": item.series }, item.value));
  if (item.note) {
    const note = makeElement("span", "nbc-chart-readout-note", null, ` (${item.note.label} `);
    note.append(makeElement("b", "nbc-chart-value", { "data-series": item.note.series }, item.note.value), ")");
    entry.append(note);
  }
  return entry;
}

/**
 * Write a readout: the place into `whereElement` (beside the panel's title), then two
 * lines of fixed height in `element` (so that hovering never moves the plots): the
 * batch's value, then the nearest epoch's values. Near an event line: the event's name,
 * then its message. Only rewritten when the content changed: hovering must stay cheap.
 *
 * @param {HTMLElement} element
 * @param {ReturnType<typeof readoutContent>} content
 * @param {ReturnType<typeof eventReadout>} events shown instead of values when any
 * @param {HTMLElement} [whereElement] where the place goes (else the first line)
 */
export function renderReadout(element, content, events, whereElement = null) {
  const key = JSON.stringify([content, events]);
  if (element.dataset.key === key) return;
  element.dataset.key = key;
  const first = makeElement("div", "nbc-chart-readout-line");
  const second = makeElement("div", "nbc-chart-readout-line");
  const where = makeElement("span", "nbc-chart-readout-position", {
    "data-step": String(content.step ?? ""), "data-epoch": String(content.epoch ?? "") });
  if (events.length) {
    where.textContent = events[0].where;
    for (const event of events) {
      const part = makeElement("span", "nbc-chart-readout-event", { "data-family": event.family });
      part.append(makeElement("i", "nbc-chart-swatch nbc-chart-swatch-event", { "data-family": event.family }),
                  makeElement("b", null, null, event.label));
      first.append(part);
    }
    second.classList.add("nbc-chart-readout-message");
    second.textContent = events.map((event) => event.message).filter(Boolean).join(" · ");
    second.title = second.textContent;
  } else {
    where.textContent = content.position;
    const [batchGroup, ...others] = content.groups.length && !content.groups[0].title
      ? content.groups : [null, ...content.groups];
    if (batchGroup) for (const item of batchGroup.items) first.append(readoutItem(item));
    for (const group of others) {
      if (group.title) second.append(makeElement("span", "nbc-chart-readout-title", null, group.title));
      for (const item of group.items) second.append(readoutItem(item));
    }
  }
  if (whereElement) whereElement.replaceChildren(where);
  else first.prepend(where);
  element.replaceChildren(first, second);
}
