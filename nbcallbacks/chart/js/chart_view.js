// chart_view.js — the chart on the page: toolbar, legend and a grid of uPlot panels.
//
// The view draws whatever RunData holds, as the layout, events, fits and view options
// say. Changes only mark it dirty; it redraws at most once per animation frame, so a
// burst of appends costs one redraw. uPlot instances are rebuilt only when something
// fixed at construction changes (theme, scale, x axis, log y); new data goes through
// setData, which keeps a zoomed x range where the person put it.

import { makeElement } from "./dom.js";
import { eventStyle, legendKinds } from "./event_marks.js";
import { buildPanelData, tablePositions } from "./panel_data.js";
import { plotOptions } from "./plot_options.js";
import { X_AXIS_CHOICES, stepToX } from "./positions.js";
import { eventReadout, readoutContent, renderReadout } from "./readout.js";
import { Toolbar } from "./toolbar.js";
import { detectTheme, paletteFor, watchTheme } from "./theme.js";

export const DEFAULT_VIEW = Object.freeze({ log_scale: false, smoothing: 0, x_axis: "steps", hidden: [] });
const PANEL_HEIGHT = 240;     // CSS pixels of one plot at scale 1
const MIN_PANEL_WIDTH = 320;  // narrower columns would squeeze the tick labels
const MAX_COLUMNS = 3;
const GRID_GAP = 20;          // between panels (chart.css uses the same)
const X_ROOM = 0.02;          // share of the x range left free after the last point
const HOVER_PIXELS = 6;       // how near an event line the cursor must be to show it
const MAX_EVENTS_DRAWN = 300; // the most recent; older ones stay in the event log
const SMOOTHING_SEND_DELAY = 200; // ms: a dragged slider tells the kernel once it rests
let chartCount = 0;
// uPlot keeps a cursor-sync group per key for the page's lifetime: the keys of destroyed
// charts are reused, so that re-running a cell does not grow uPlot's registry.
const FREE_SYNC_KEYS = [];

/**
 * A view trait made safe: known keys, sane values (the kernel or a saved notebook may
 * send anything).
 * @param {object} view
 * @returns {{log_scale: boolean, smoothing: number, x_axis: "steps"|"epochs"|"time", hidden: string[]}}
 */
export function normalizeView(view) {
  const v = view && typeof view === "object" ? view : {};
  const smoothing = Number(v.smoothing);
  return {
    log_scale: Boolean(v.log_scale),
    smoothing: Number.isFinite(smoothing) ? Math.min(0.99, Math.max(0, smoothing)) : 0,
    x_axis: X_AXIS_CHOICES.includes(v.x_axis) ? v.x_axis : "steps",
    hidden: Array.isArray(v.hidden) ? v.hidden.map(String) : [],
  };
}

/** The whole chart inside one element. */
export class ChartView {
  /**
   * @param {HTMLElement} el where the chart goes (anywidget's element)
   * @param {{onViewChange?: (view: object) => void, scale?: number, title?: string}} [options]
   *   `onViewChange` hears every change the person makes in the toolbar or by zooming
   */
  constructor(el, options = {}) {
    this.el = el;
    this.onViewChange = options.onViewChange || (() => {});
    this.abort = new AbortController();
    this.syncKey = FREE_SYNC_KEYS.pop() ||
      `nbc-chart-${++chartCount}-${Math.random().toString(36).slice(2, 8)}`;
    this.run = null;
    this.layout = [];
    this.events = [];
    this.fits = [];
    this.view = normalizeView(DEFAULT_VIEW);
    this.scale = 1;
    this.zoom = null;              // {min, max} while the person zoomed in, else null
    this.panels = new Map();       // shown panel's name -> its state (see _panelState)
    this.hiddenPanels = new Map(); // the same for panels the person switched off
    this.frameRequest = 0;
    this.pendingFrames = new Set(); // other animation frames requested (label rows)
    this.sendTimer = 0;
    this.destroyed = false;

    this.root = makeElement("div", "nbc-chart", { role: "figure" });
    // Tests and debugging reach the view from the page: element.nbcChartView.
    Object.defineProperty(this.root, "nbcChartView", { value: this, configurable: true });
    this.titleEl = makeElement("div", "nbc-chart-title");
    this.toolbar = new Toolbar(this.root, this.abort.signal, (change) => this._toolbarChange(change),
                               () => this.resetZoom());
    this.root.prepend(this.titleEl);
    this.legendEl = makeElement("div", "nbc-chart-legend", { "aria-label": "Legend" });
    this.gridEl = makeElement("div", "nbc-chart-grid");
    this.emptyEl = makeElement("div", "nbc-chart-empty", null, "Waiting for the first batch…");
    this.root.append(this.legendEl, this.gridEl, this.emptyEl);
    el.append(this.root);

    this.setScale(options.scale ?? 1);
    this.setTitle(options.title ?? "");
    this._applyTheme(detectTheme(el));
    this.stopWatchingTheme = watchTheme(el, (theme) => {
      this._applyTheme(theme);
      this._rebuildAll();
    });
    this.resizeObserver = new ResizeObserver(() => this.schedule());
    this.resizeObserver.observe(this.gridEl);
    this.schedule();
  }

  // -- inputs --------------------------------------------------------------------------

  /** The data to draw (a RunData); call dataChanged() after it grows. */
  setRun(run) {
    this.run = run;
    this.schedule();
  }

  dataChanged() {
    this.schedule();
  }

  /** Panels in display order (the `panels` trait): see chart_panels.py. */
  setLayout(layout) {
    this.layout = Array.isArray(layout) ? layout.filter((p) => p && p.name != null) : [];
    this.schedule();
  }

  /** Training events (the `events` trait). */
  setEvents(events) {
    this.events = Array.isArray(events) ? events : [];
    this.schedule();
  }

  /** Fit calls (the `fits` trait): a boundary is drawn where each later fit began. */
  setFits(fits) {
    this.fits = Array.isArray(fits) ? fits : [];
    this.schedule();
  }

  /** The view options as the kernel has them (the `view` trait). */
  setView(view) {
    const next = normalizeView(view);
    if (JSON.stringify(next) === JSON.stringify(this.view)) return;
    if (next.x_axis !== this.view.x_axis) this.zoom = null; // a range in steps means nothing in epochs
    this.view = next;
    this.schedule();
  }

  /** Multiplies text, lines and panel height (projector mode). */
  setScale(scale) {
    const value = Number(scale);
    this.scale = Number.isFinite(value) && value > 0 ? Math.min(4, value) : 1;
    this.root.style.setProperty("--nbc-chart-scale", String(this.scale));
    this._rebuildAll();
  }

  setTitle(title) {
    this.titleEl.textContent = title ? String(title) : "";
    this.titleEl.hidden = !title;
    this.root.setAttribute("aria-label", title ? String(title) : "Training curves");
  }

  /** Show the whole run again (the toolbar button; double-click on a panel). */
  resetZoom() {
    this.zoom = null;
    this._applyXRange();
    this._updateToolbar();
    this.schedule();
  }

  /** The uPlot instance of each shown panel, by panel name (for tests and tools). */
  plots() {
    const plots = new Map();
    for (const [name, state] of this.panels) if (state.plot) plots.set(name, state.plot);
    return plots;
  }

  /** Ask for a redraw at the next animation frame (many calls, one redraw). */
  schedule() {
    if (this.destroyed || this.frameRequest) return;
    this.frameRequest = requestAnimationFrame(() => {
      this.frameRequest = 0;
      this.renderNow();
    });
  }

  // -- the person's changes --------------------------------------------------------------

  _toolbarChange(change) {
    const { final, ...changes } = change;
    const next = normalizeView({ ...this.view, ...changes });
    if (next.x_axis !== this.view.x_axis) this.zoom = null;
    this.view = next;
    this.schedule();
    clearTimeout(this.sendTimer);
    if ("smoothing" in changes && !final) {
      this.sendTimer = setTimeout(() => this._sendView(), SMOOTHING_SEND_DELAY);
    } else {
      this._sendView();
    }
  }

  _sendView() {
    this.sendTimer = 0;
    if (!this.destroyed) this.onViewChange({ ...this.view, hidden: [...this.view.hidden] });
  }

  _onSelect(u) {
    const select = u.select;
    if (!select || select.width < 3) return;
    const min = u.posToVal(select.left, "x");
    const max = u.posToVal(select.left + select.width, "x");
    if (!(max > min)) return;
    this.zoom = { min, max };
    this._applyXRange(u);
    this._updateToolbar();
    this.schedule(); // the curves' detail for the new range
  }

  // -- drawing -------------------------------------------------------------------------

  _applyTheme(theme) {
    this.theme = theme;
    this.palette = paletteFor(theme);
    const p = this.palette;
    const vars = {
      bg: p.background, surface: p.surface, text: p.text, muted: p.muted, grid: p.grid,
      axis: p.axis, border: p.border, accent: p.accent, train: p.train, "train-text": p.trainText,
      val: p.validation, "val-text": p.validationText, rate: p.rate, "rate-text": p.rateText,
      best: p.best, "best-edge": p.bestEdge, fit: p.fit,
    };
    for (const [family, colors] of Object.entries(p.events)) vars[`event-${family}`] = colors.line;
    for (const [name, value] of Object.entries(vars)) this.root.style.setProperty(`--nbc-chart-${name}`, value);
    this.root.dataset.theme = p.name;
    this.font = getComputedStyle(this.root).fontFamily || "system-ui, sans-serif";
  }

  /** Drop every uPlot instance: the next frame builds them anew. */
  _rebuildAll() {
    for (const state of this.panels.values()) state.key = "";
    this.schedule();
  }

  _visiblePanels() {
    return this.layout.filter((panel) => !this.view.hidden.includes(panel.name));
  }

  _panelState(panel) {
    const box = makeElement("section", "nbc-chart-panel", { "data-panel": panel.name });
    const head = makeElement("div", "nbc-chart-panel-head");
    const title = makeElement("h3", "nbc-chart-panel-title", null, panel.name);
    const note = makeElement("span", "nbc-chart-panel-note");
    const where = makeElement("span", "nbc-chart-panel-where");
    head.append(title, note, where);
    const readout = makeElement("div", "nbc-chart-readout", { "aria-live": "off" });
    const plotEl = makeElement("div", "nbc-chart-plot");
    box.append(head, readout, plotEl);
    const state = { panel, box, note, where, readout, plotEl, plot: null, key: "", data: null,
                    marks: { events: [], fits: [], best: null, palette: this.palette,
                             scale: this.scale, font: this.font, labelRows: 1 } };
    // The labels want another number of rows: resize the strip above the plot. Not from
    // inside uPlot's draw (which calls this), but at the next frame.
    state.marks.onLabelRows = (rows) => {
      state.marks.labelRows = rows;
      const request = requestAnimationFrame(() => {
        this.pendingFrames.delete(request);
        if (!this.destroyed && state.plot) state.plot.redraw(true, true);
      });
      this.pendingFrames.add(request);
    };
    return state;
  }

  /**
   * Panel elements in layout order: the shown ones in `this.panels` (with a plot), the
   * hidden ones kept in place but hidden and without a plot (`this.hiddenPanels`).
   * @returns {object[]} the shown panels' layout entries
   */
  _syncPanels() {
    const visible = this._visiblePanels();
    const shownNames = new Set(visible.map((p) => p.name));
    const layoutNames = new Set(this.layout.map((p) => p.name));
    for (const map of [this.panels, this.hiddenPanels]) {
      for (const [name, state] of map) {
        if (!layoutNames.has(name)) {
          if (state.plot) state.plot.destroy();
          state.box.remove();
          map.delete(name);
        }
      }
    }
    this.layout.forEach((panel, index) => {
      let state = this.panels.get(panel.name) || this.hiddenPanels.get(panel.name);
      if (!state) {
        state = this._panelState(panel);
      } else if (JSON.stringify(state.panel) !== JSON.stringify(panel)) {
        state.panel = panel;
        state.key = "";
      }
      const shown = shownNames.has(panel.name);
      // Re-inserted in layout order, so that `this.panels` iterates as the page shows.
      this.panels.delete(panel.name);
      this.hiddenPanels.delete(panel.name);
      (shown ? this.panels : this.hiddenPanels).set(panel.name, state);
      if (!shown && state.plot) {
        state.plot.destroy();
        Object.assign(state, { plot: null, key: "", data: null });
      }
      state.box.hidden = !shown;
      if (this.gridEl.children[index] !== state.box) {
        this.gridEl.insertBefore(state.box, this.gridEl.children[index] || null);
      }
    });
    return visible;
  }

  /** Columns and plot width for the grid's current width. */
  _measure(count) {
    const width = this.gridEl.clientWidth || this.el.clientWidth || 900;
    const gap = GRID_GAP * this.scale;
    const fit = Math.floor((width + gap) / (MIN_PANEL_WIDTH * this.scale + gap));
    const columns = Math.max(1, Math.min(MAX_COLUMNS, count || 1, fit));
    const plotWidth = Math.floor((width - gap * (columns - 1)) / columns);
    return { columns, width: plotWidth, height: Math.round(PANEL_HEIGHT * this.scale) };
  }

  /** The x range every panel shows: the zoom, else the whole run from 0. */
  _xRange() {
    return this.zoom || this.fullRange || { min: 0, max: 1 };
  }

  /** From 0 (or the first x, if below) to the last x of any table. */
  _wholeRun(positions) {
    let low = 0;
    let high = -Infinity;
    for (const xs of [positions.batchX, positions.epochX, positions.rateX]) {
      for (let i = 0; i < xs.length; i++) {
        if (xs[i] > high) high = xs[i];
        if (xs[i] < low) low = xs[i];
      }
    }
    if (!(high > low)) high = low + 1;
    // A little room on the right: the last epoch's point and star are drawn whole.
    return { min: low, max: high + (high - low) * X_ROOM };
  }

  _applyXRange(except = null) {
    const range = this._xRange();
    for (const state of this.panels.values()) {
      if (state.plot && state.plot !== except) {
        state.plot.batch(() => state.plot.setScale("x", { min: range.min, max: range.max }));
      }
    }
  }

  /** Marks of every panel: events and fit boundaries at this x axis's positions. */
  _marks() {
    const toX = this.run ? stepToX(this.run, this.view.x_axis) : () => 0;
    const events = [];
    for (const event of this.events.slice(-MAX_EVENTS_DRAWN)) {
      const style = eventStyle(event);
      if (!style.hidden && Number.isFinite(event.step)) events.push({ ...style, x: toX(event.step), event });
    }
    const fits = this.fits.slice(1)
      .map((fit, i) => ({ x: toX(fit.first_step), label: `fit ${i + 2}`, fit }))
      .filter((fit) => Number.isFinite(fit.x));
    return { events, fits };
  }

  /** Redraw now (normally called once per animation frame by schedule()). */
  renderNow() {
    if (this.destroyed) return;
    // A widget may be rendered before its element is in the page, where neither the
    // frontend's CSS variables nor its background can be read: look again once it is.
    if (!this.seenConnected && this.el.isConnected) {
      this.seenConnected = true;
      const theme = detectTheme(this.el);
      if (JSON.stringify(theme) !== JSON.stringify(this.theme)) {
        this._applyTheme(theme);
        for (const state of this.panels.values()) state.key = "";
      }
    }
    this.font = getComputedStyle(this.root).fontFamily || "system-ui, sans-serif";
    const visible = this._syncPanels();
    const hasData = this.run && (this.run.table("batches").length || this.run.table("epochs").length ||
                                 this.run.table("rates").length);
    this.emptyEl.hidden = visible.length > 0 && Boolean(hasData);
    this.emptyEl.textContent = this.layout.length && !visible.length
      ? "Every panel is hidden: pick one above." : "Waiting for the first batch…";
    this.gridEl.hidden = !hasData;
    const size = this._measure(visible.length);
    this.gridEl.style.setProperty("--nbc-chart-columns", String(size.columns));
    const { events, fits } = this.run ? this._marks() : { events: [], fits: [] };

    // Positions once per frame for all panels; curves decimated to the panel width.
    const positions = this.run ? tablePositions(this.run, this.view.x_axis) : null;
    this.fullRange = positions ? this._wholeRun(positions) : null;
    const range = this._xRange();
    for (const state of this.panels.values()) {
      state.data = this.run
        ? buildPanelData(state.panel, this.run, this.view, { positions, range, buckets: size.width })
        : null;
    }
    const notes = [];
    for (const state of this.panels.values()) {
      const data = state.data;
      if (!data) continue;
      Object.assign(state.marks, { events, fits, best: data.best, palette: this.palette,
                                   scale: this.scale, font: this.font });
      // Log y was asked for but cannot be: say so where it shows, and in the toolbar.
      state.note.textContent = data.logReason && data.range ? `linear y: ${data.logReason}` : "";
      if (data.logReason && data.range) notes.push(`${state.panel.name}: linear y, ${data.logReason}`);
      const labelStrip = events.length > 0 || fits.length > 0;
      const key = [this.palette.name, this.palette.background, this.scale, this.view.x_axis, data.log,
                   this.font, labelStrip].join("|");
      if (!state.plot || state.key !== key) {
        if (state.plot) state.plot.destroy();
        state.plot = new uPlot(this._options(state, size, data.log, labelStrip), data.data, state.plotEl);
        state.key = key;
        state.plot.batch(() => state.plot.setScale("x", { min: range.min, max: range.max }));
      } else {
        if (state.plot.width !== size.width || state.plot.height !== size.height) {
          state.plot.setSize({ width: size.width, height: size.height });
        }
        state.plot.batch(() => {
          state.plot.setData(data.data, false);
          state.plot.setScale("x", { min: range.min, max: range.max });
        });
      }
      this._updateReadout(state, state.plot);
    }
    this._updateToolbar(notes);
    this._updateLegend(events, fits);
    // The per-batch swatches fade as the line does behind a smoothed one.
    const rawOpacity = this.view.smoothing > 0 ? this.palette.rawAlphaSmoothed : this.palette.rawAlpha;
    this.root.style.setProperty("--nbc-chart-raw-opacity", String(rawOpacity));
  }

  _options(state, size, log, labelStrip) {
    return plotOptions({
      panel: state.panel, palette: this.palette, scale: this.scale, font: this.font,
      width: size.width, height: size.height, log, mode: this.view.x_axis, syncKey: this.syncKey,
      labelStrip,
      smoothing: () => this.view.smoothing,
      marks: () => state.marks,
      onCursor: (u) => this._updateReadout(state, u),
      onSelect: (u) => this._onSelect(u),
      onReset: () => this.resetZoom(),
      epochPointsFit: (u) => this._epochPointsFit(state, u),
    });
  }

  /** Epoch points are drawn while they are at least ~10 px apart. */
  _epochPointsFit(state, u) {
    const data = state.data;
    if (!data) return false;
    const { min, max } = u.scales.x;
    let count = 0;
    for (const x of data.epochX) if (x >= min && x <= max) count++;
    return count * 10 * this.scale <= u.bbox.width / (u.pxRatio || 1);
  }

  _updateReadout(state, u) {
    if (!state.data || !this.run || !u) return;
    const hovering = u.cursor && u.cursor.left != null && u.cursor.left >= 0 && u.cursor.idx != null;
    const x = hovering ? u.posToVal(u.cursor.left, "x") : null;
    let near = [];
    if (hovering) {
      near = state.marks.events.filter((mark) =>
        Math.abs(u.valToPos(mark.x, "x") - u.cursor.left) <= HOVER_PIXELS * this.scale);
    }
    renderReadout(state.readout, readoutContent(state.panel, state.data, this.run, this.view, x),
                  eventReadout(near, this.view.x_axis), state.where);
  }

  _updateToolbar(notes) {
    if (notes) this.logNotes = notes;
    this.toolbar.update(this.view, this.layout.map((p) => p.name),
                        { zoomed: Boolean(this.zoom), logNote: (this.logNotes || []).join("\n") });
  }

  /** The legend row: the kinds of line drawn, then each kind of marker present. */
  _updateLegend(events, fits) {
    const entries = [];
    let raw = false;
    let train = false;
    let val = false;
    let best = false;
    let rate = false;
    for (const state of this.panels.values()) {
      const d = state.data;
      if (!d) continue;
      raw = raw || d.points.raw > 0;
      train = train || d.points.train > 0;
      val = val || d.points.val > 0;
      best = best || Boolean(d.best);
      rate = rate || d.points.rate > 0;
    }
    if (raw) entries.push({ swatch: "raw", label: "train (per batch)" });
    if (raw && this.view.smoothing > 0) entries.push({ swatch: "smooth", label: "train (smoothed)" });
    if (train) entries.push({ swatch: "train", label: "train (epoch)" });
    if (val) entries.push({ swatch: "val", label: "validation (epoch)" });
    if (best) entries.push({ swatch: "best", label: "best epoch" });
    if (rate) entries.push({ swatch: "rate", label: "learning rate" });
    if (fits.length) entries.push({ swatch: "fit", label: "new fit" });
    for (const kind of legendKinds(events.map((mark) => mark.event))) {
      entries.push({ swatch: "event", family: kind.family, major: kind.major, label: kind.legend });
    }
    const key = JSON.stringify(entries);
    if (this.legendEl.dataset.key === key) return;
    this.legendEl.dataset.key = key;
    // Two groups, the curves then the markers, each wrapping on its own.
    const groups = [makeElement("div", "nbc-chart-legend-group"), makeElement("div", "nbc-chart-legend-group")];
    for (const entry of entries) {
      const item = makeElement("span", "nbc-chart-legend-item", { "data-swatch": entry.swatch });
      const attributes = { "data-series": entry.swatch };
      if (entry.family) {
        attributes["data-family"] = entry.family;
        attributes["data-major"] = String(entry.major);
      }
      item.append(makeElement("i", `nbc-chart-swatch nbc-chart-swatch-${entry.swatch}`, attributes),
                  makeElement("span", null, null, entry.label));
      groups[entry.swatch === "fit" || entry.swatch === "event" ? 1 : 0].append(item);
    }
    this.legendEl.replaceChildren(...groups.filter((group) => group.childElementCount > 0));
    this.legendEl.hidden = entries.length === 0;
  }

  /** Remove everything this view added: plots, elements, listeners, observers, timers. */
  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    if (this.frameRequest) cancelAnimationFrame(this.frameRequest);
    this.frameRequest = 0;
    for (const request of this.pendingFrames) cancelAnimationFrame(request);
    this.pendingFrames.clear();
    clearTimeout(this.sendTimer);
    this.abort.abort();
    this.resizeObserver.disconnect();
    this.stopWatchingTheme();
    for (const state of this.panels.values()) if (state.plot) state.plot.destroy();
    this.panels.clear();
    this.hiddenPanels.clear();
    FREE_SYNC_KEYS.push(this.syncKey);
    this.root.remove();
  }
}
