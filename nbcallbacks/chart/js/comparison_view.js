// comparison_view.js — runs overlaid in the browser: one panel per metric, one colour per
// run (validation solid, training dashed), a readout of every run at the hovered epoch,
// run chips that hide or show a run, and the run table (sortable; a click on a row
// highlights that run's curves, its checkbox hides it).
//
// Everything a person does here happens in the browser; the kernel only sends the runs
// (again, as they grow, while runs train). Theme: the frontend's, as the live chart's.

import { comparisonSeries, runColor, sortedRows } from "./comparison_data.js";
import { makeElement } from "./dom.js";
import { formatValue, tickLabels } from "./number_format.js";
import { detectTheme, paletteFor, watchTheme, withAlpha } from "./theme.js";

const PANEL_HEIGHT = 220;
const TRAINING_DASH = [6, 4];

/** Text of a table cell: numbers as the readout writes them, empty as a dash. */
function cellText(value) {
  if (value == null || value === "") return "—";
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : formatValue(value);
  return String(value);
}

export class ComparisonView {
  /**
   * @param {HTMLElement} el where the view draws
   * @param {{scale?: number}} options
   */
  constructor(el, options = {}) {
    this.el = el;
    this.scale = options.scale || 1;
    this.runs = [];
    this.panels = [];
    this.table = { columns: [], rows: [] };
    this.hidden = new Set();
    this.highlighted = null;
    this.sort = null;            // {column, descending}
    this.plots = [];             // [{panel, plot, keys}]
    this.hoverIndex = null;
    this.root = makeElement("div", "nbc-compare");
    this.root.nbcCompareView = this;   // for tests and the curious, as the live chart
    this.titleEl = makeElement("div", "nbc-compare-title");
    this.legendEl = makeElement("div", "nbc-compare-legend");
    this.readoutEl = makeElement("div", "nbc-compare-readout", { "aria-live": "off" });
    this.panelsEl = makeElement("div", "nbc-compare-panels");
    this.tableEl = makeElement("div", "nbc-compare-table");
    this.root.append(this.titleEl, this.legendEl, this.panelsEl, this.readoutEl, this.tableEl);
    el.appendChild(this.root);
    this.palette = paletteFor(detectTheme(el));
    this.stopWatching = watchTheme(el, (theme) => {
      this.palette = paletteFor(theme);
      this.render();
    });
    this.width = 0;
    this.resizeObserver = new ResizeObserver(() => {
      const width = this.root.clientWidth;
      if (width && Math.abs(width - this.width) > 8) this.render();
    });
    this.resizeObserver.observe(this.root);
  }

  /** New data from the kernel: runs, panel names, table {columns, rows}, title. */
  setData({ runs, panels, table, title }) {
    const sameShape = runs.length === this.runs.length && panels.join() === this.panels.join();
    this.runs = runs || [];
    this.panels = panels || [];
    this.table = table || { columns: [], rows: [] };
    this.titleEl.textContent = title || "";
    if (sameShape && this.plots.length) {
      for (const entry of this.plots) {
        const { data, keys } = comparisonSeries(this.runs, entry.panel);
        entry.keys = keys;   // a run that had no values yet has them now
        entry.plot.setData(data);
      }
      this.renderLegend();
      this.renderTable();
      this.renderReadout();
    } else {
      this.render();
    }
  }

  color(index) {
    return runColor(index, this.palette.name.startsWith("dark"));
  }

  /** A run's stroke at this moment: dimmed when another run is highlighted. */
  stroke(index, training) {
    const base = this.color(index);
    const faded = this.highlighted != null && this.highlighted !== index;
    return withAlpha(base, faded ? 0.18 : training ? 0.6 : 1);
  }

  render() {
    for (const { plot } of this.plots) plot.destroy();
    this.plots = [];
    this.panelsEl.replaceChildren();
    const palette = this.palette;
    this.root.style.setProperty("--nbc-compare-text", palette.text);
    this.root.style.setProperty("--nbc-compare-muted", palette.muted);
    this.root.style.setProperty("--nbc-compare-border", palette.border);
    this.root.style.setProperty("--nbc-compare-surface", palette.surface);
    this.root.style.setProperty("--nbc-compare-background", palette.background);
    this.width = this.root.clientWidth;
    // The panels' box, inside the view's padding (not yet laid out: a usual cell's width).
    const available = (this.panelsEl.clientWidth || 900) - 2;
    const columns = this.panels.length > 1 && available >= 640 ? 2 : 1;
    const panelWidth = Math.floor((available - 12 * (columns - 1)) / columns);
    const font = `${Math.round(12 * this.scale)}px ${getComputedStyle(this.root).fontFamily || "sans-serif"}`;
    const syncKey = `nbc-compare-${Math.random().toString(36).slice(2)}`;
    for (const panel of this.panels) {
      const box = makeElement("div", "nbc-compare-panel", { "data-panel": panel });
      box.append(makeElement("div", "nbc-compare-panel-title", {}, panel));
      this.panelsEl.append(box);
      const { data, keys } = comparisonSeries(this.runs, panel);
      const axis = { stroke: palette.muted, font, labelFont: font,
                     grid: { stroke: palette.grid, width: 1 },
                     ticks: { stroke: palette.axis, width: 1, size: 4 } };
      const series = [{ label: "epoch" }, ...keys.map(({ run, key }) => {
        const training = !key.startsWith("val_");
        return { label: `${this.runs[run].name} ${key}`, width: (training ? 1.5 : 2) * this.scale,
                 stroke: () => this.stroke(run, training), dash: training ? TRAINING_DASH : [],
                 spanGaps: true, show: !this.hidden.has(run),
                 points: { show: data[0].length <= 40, size: 5 * this.scale,
                           stroke: () => this.stroke(run, training), fill: palette.background } };
      })];
      const bounded = /acc|auc|precision|recall|f1|iou/i.test(panel) && !/loss/i.test(panel);
      const plot = new uPlot({
        width: panelWidth, height: Math.round(PANEL_HEIGHT * this.scale),
        legend: { show: false },
        scales: { x: { time: false }, y: bounded ? { range: [0, 1] } : {} },
        axes: [{ ...axis, label: "epoch", labelSize: 18, size: 26,
                 values: (u, splits) => splits.map((v) => (Number.isInteger(v) ? String(v) : "")) },
               { ...axis, size: 54, values: (u, splits) => tickLabels(splits) }],
        series,
        cursor: { sync: { key: syncKey }, y: false,
                  drag: { x: true, y: false, setScale: false },
                  points: { size: Math.round(8 * this.scale), width: 2, fill: palette.background } },
        select: { show: true },
        hooks: {
          setCursor: [(u) => this.onCursor(u)],
          setSelect: [(u) => this.onSelect(u)],
        },
      }, data, box);
      plot.over.addEventListener("dblclick", () => this.resetZoom());
      this.plots.push({ panel, plot, keys });
    }
    this.renderLegend();
    this.renderTable();
    this.renderReadout();
  }

  onCursor(u) {
    const index = u.cursor.idx;
    if (index === this.hoverIndex) return;
    this.hoverIndex = index;
    this.renderReadout();
  }

  onSelect(u) {
    if (u.select.width < 4) return;
    const low = u.posToVal(u.select.left, "x");
    const high = u.posToVal(u.select.left + u.select.width, "x");
    for (const { plot } of this.plots) {
      plot.setScale("x", { min: low, max: high });
      plot.setSelect({ left: 0, width: 0, top: 0, height: 0 }, false);
    }
  }

  resetZoom() {
    for (const { plot } of this.plots) {
      const xs = plot.data[0];
      if (xs.length) plot.setScale("x", { min: xs[0], max: xs[xs.length - 1] });
    }
  }

  setHidden(index, hidden) {
    if (hidden) this.hidden.add(index);
    else this.hidden.delete(index);
    for (const { plot, keys } of this.plots) {
      keys.forEach((k, i) => { if (k.run === index) plot.setSeries(i + 1, { show: !hidden }); });
    }
    this.renderLegend();
    this.renderTable();
    this.renderReadout();
  }

  setHighlighted(index) {
    this.highlighted = this.highlighted === index ? null : index;
    for (const { plot } of this.plots) plot.redraw(false);
    this.renderTable();
  }

  renderLegend() {
    const chips = this.runs.map((run, index) => {
      const hidden = this.hidden.has(index);
      const chip = makeElement("button", "nbc-compare-chip", {
        type: "button", "aria-pressed": String(!hidden), "data-run": run.name,
        title: hidden ? "show this run" : "hide this run" });
      const swatch = makeElement("span", "nbc-compare-swatch");
      swatch.style.background = this.color(index);
      chip.append(swatch, document.createTextNode(run.name));
      if (run.status === "running") chip.append(makeElement("span", "nbc-compare-live", {}, " ● live"));
      chip.addEventListener("click", () => this.setHidden(index, !hidden));
      return chip;
    });
    const key = makeElement("span", "nbc-compare-key", {}, "— validation   ‐ ‐ training");
    this.legendEl.replaceChildren(...chips, key);
  }

  renderReadout() {
    const plot = this.plots[0] && this.plots[0].plot;
    const index = this.hoverIndex;
    if (!plot || index == null || index < 0 || index >= plot.data[0].length) {
      this.readoutEl.replaceChildren(makeElement("span", "nbc-compare-hint", {},
        "Hover a panel to read every run at one epoch; drag to zoom, double-click to reset."));
      return;
    }
    const epoch = plot.data[0][index];
    const lines = [makeElement("div", "nbc-compare-readout-epoch", {}, `epoch ${epoch}`)];
    for (const { panel, plot: p, keys } of this.plots) {
      const row = makeElement("div", "nbc-compare-readout-panel", { "data-panel": panel });
      // Each run is read at its validation value where it has one (what runs are compared on).
      const validation = keys.some((k) => k.key === "val_" + panel && k.present);
      row.append(makeElement("span", "nbc-compare-readout-name", {},
                             validation ? `val_${panel}` : panel));
      keys.forEach(({ run, key, present }, i) => {
        if (!present || this.hidden.has(run) || key !== "val_" + panel && keys.some(
          (k) => k.run === run && k.key === "val_" + panel && k.present)) return;
        const value = p.data[i + 1][index];
        const item = makeElement("span", "nbc-compare-value", { "data-run": this.runs[run].name,
                                                               "data-key": key });
        const swatch = makeElement("span", "nbc-compare-swatch");
        swatch.style.background = this.color(run);
        item.append(swatch, document.createTextNode(`${this.runs[run].name} ${formatValue(value)}`));
        row.append(item);
      });
      lines.push(row);
    }
    this.readoutEl.replaceChildren(...lines);
  }

  renderTable() {
    const { columns, rows } = this.table;
    if (!columns.length) {
      this.tableEl.replaceChildren();
      return;
    }
    const table = makeElement("table");
    const head = makeElement("tr");
    head.append(makeElement("th", "nbc-compare-show", {}, "show"));
    columns.forEach((column, c) => {
      const sorted = this.sort && this.sort.column === c;
      const th = makeElement("th", "", { "aria-sort": sorted ? (this.sort.descending ? "descending" : "ascending") : "none" });
      const button = makeElement("button", "nbc-compare-sort", { type: "button" },
        column + (sorted ? (this.sort.descending ? " ▼" : " ▲") : ""));
      button.addEventListener("click", () => {
        this.sort = { column: c, descending: sorted ? !this.sort.descending : false };
        this.renderTable();
      });
      th.append(button);
      head.append(th);
    });
    const body = makeElement("tbody");
    const order = this.sort ? sortedRows(rows, this.sort.column, this.sort.descending) : rows.map((_, i) => i);
    for (const r of order) {
      const row = rows[r];
      const tr = makeElement("tr", this.highlighted === r ? "nbc-compare-highlighted" : "",
                             { "data-run": String(row[0]) });
      const show = makeElement("input", "", { type: "checkbox", "aria-label": `show ${row[0]}` });
      show.checked = !this.hidden.has(r);
      show.addEventListener("click", (event) => {
        event.stopPropagation();
        this.setHidden(r, !show.checked);
      });
      const first = makeElement("td", "nbc-compare-show");
      first.append(show);
      tr.append(first);
      row.forEach((value, c) => {
        const td = makeElement("td", typeof value === "number" ? "nbc-compare-number" : "", {}, cellText(value));
        if (c === 0) {
          const swatch = makeElement("span", "nbc-compare-swatch");
          swatch.style.background = this.color(r);
          td.prepend(swatch);
        }
        tr.append(td);
      });
      tr.addEventListener("click", () => this.setHighlighted(r));
      body.append(tr);
    }
    table.append(makeElement("thead"), body);
    table.firstChild.append(head);
    this.tableEl.replaceChildren(table);
  }

  destroy() {
    this.stopWatching();
    this.resizeObserver.disconnect();
    for (const { plot } of this.plots) plot.destroy();
    this.plots = [];
    this.root.remove();
  }
}
