// plot_options.js — the uPlot options of one panel: scales, axes, series styles,
// cursor and hooks, in the palette and at the scale of the chart.
//
// Everything that changes only with the theme, the scale, the x axis or the log switch
// is fixed here, and the chart view rebuilds the plot when one of those changes;
// everything else (data, zoom, marks, smoothing) flows in without a rebuild.

import { logTickValues } from "./axis_ticks.js";
import { labelStripHeight, markerPlugin } from "./marker_plugin.js";
import { formatPosition, logTickLabels, tickLabels } from "./number_format.js";
import { yRange } from "./panel_data.js";
import { withAlpha } from "./theme.js";

// Tick steps of the x axis: whole steps only; epochs down to quarter epochs.
const STEP_INCREMENTS = [];
for (let power = 1; power <= 1e9; power *= 10) STEP_INCREMENTS.push(power, 2 * power, 5 * power);
const EPOCH_INCREMENTS = [0.25, 0.5, ...STEP_INCREMENTS];
// Seconds: what a clock divides into (tenths below 10 s, then 1, 2, 5, 10, 15, 30 s, minutes…).
const TIME_INCREMENTS = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800,
  3600, 7200, 10800, 21600, 43200, 86400];
const X_AXES = {
  steps: { label: "step", incrs: STEP_INCREMENTS },
  epochs: { label: "epoch", incrs: EPOCH_INCREMENTS },
  time: { label: "time (of training)", incrs: TIME_INCREMENTS },
};

/** Width of the y axis: its longest label plus the ticks, measured on the canvas. */
function yAxisSize(u, values, axisIndex, cycle) {
  const axis = u.axes[axisIndex];
  if (cycle > 1 && axis._size) return axis._size; // stop uPlot's convergence loop early
  const longest = (values || []).reduce((a, b) => (String(b).length > a.length ? String(b) : a), "");
  u.ctx.font = axis.font[0];
  const ratio = u.pxRatio || window.devicePixelRatio || 1;
  return Math.ceil(u.ctx.measureText(longest).width / ratio + axis.ticks.size + axis.gap + 6);
}

/**
 * uPlot options for one panel.
 *
 * @param {object} o
 * @param {object} o.panel          layout entry (name, rate, bounded…)
 * @param {object} o.palette        theme.js palette
 * @param {number} o.scale          font/line multiplier (projector mode)
 * @param {string} o.font           CSS font family for the canvas
 * @param {number} o.width          plot width in CSS pixels
 * @param {number} o.height         plot height in CSS pixels
 * @param {boolean} o.log           logarithmic y axis
 * @param {"steps"|"epochs"|"time"} o.mode the x axis
 * @param {string} o.syncKey        cursor sync group (one per chart)
 * @param {() => number} o.smoothing the current smoothing (read at draw time)
 * @param {() => object} o.marks    the panel's marks (marker_plugin.js)
 * @param {(u: object) => void} o.onCursor   the cursor moved (or left)
 * @param {(u: object) => void} o.onSelect   the person dragged a range to zoom
 * @param {() => void} o.onReset    the person double-clicked (reset zoom)
 * @param {(u: object) => boolean} o.epochPointsFit  whether epoch points have room
 * @param {boolean} o.labelStrip    room above the plot for marker labels
 * @returns {object} uPlot options
 */
export function plotOptions(o) {
  const { palette, scale, panel } = o;
  const lines = palette.lineScale * scale;
  const font = `${Math.round(12 * scale)}px ${o.font}`;
  const axisStyle = {
    stroke: palette.muted,
    font,
    labelFont: font,
    grid: { stroke: palette.grid, width: 1 },
    ticks: { stroke: palette.axis, width: 1, size: Math.round(4 * scale) },
    border: { show: true, stroke: palette.axis, width: 1 },
    gap: Math.round(4 * scale),
  };
  const xAxis = {
    ...axisStyle,
    label: (X_AXES[o.mode] || X_AXES.steps).label,
    labelSize: Math.round(18 * scale),
    labelGap: 0,
    size: Math.round(26 * scale),
    space: Math.round(64 * scale),
    incrs: (X_AXES[o.mode] || X_AXES.steps).incrs,
    values: (u, splits) => splits.map((v) => formatPosition(v, o.mode)),
  };
  const yAxis = {
    ...axisStyle,
    size: yAxisSize,
    space: Math.round(30 * scale),
    values: (u, splits) => (o.log ? logTickLabels(splits) : tickLabels(splits)),
  };
  // uPlot's own log ticks are whole decades: none at all on a loss between 0.6 and 0.8.
  // Ours are already thinned to a readable few: label them all.
  if (o.log) {
    yAxis.splits = (u, axisIndex, min, max) => logTickValues(min, max);
    yAxis.filter = (u, splits) => splits;
  }

  const pointSize = Math.round(6 * scale);
  const epochPoints = (color) => ({
    show: (u) => o.epochPointsFit(u),
    size: pointSize,
    width: 1.5 * lines,
    stroke: color,
    fill: palette.background,
  });
  let series;
  if (panel.rate) {
    // A rate holds until it changes: steps, as the PNG's drawstyle="steps-post".
    series = [{}, { label: "learning rate", stroke: palette.rate, width: 2 * lines,
                    paths: uPlot.paths.stepped({ align: 1 }), points: { show: false } }];
  } else {
    series = [
      {},
      { label: `${panel.batch || panel.name} (per batch)`,
        // Read at every draw: behind the smoothed line the raw one steps back.
        stroke: () => withAlpha(palette.train, o.smoothing() > 0 ? palette.rawAlphaSmoothed : palette.rawAlpha),
        width: 1.25 * lines,
        points: { show: false } },
      { label: "smoothed", stroke: palette.train, width: 2 * lines, points: { show: false } },
      { label: `${panel.epoch || panel.name} (epoch)`, stroke: palette.train, width: 2 * lines,
        dash: [], points: epochPoints(palette.train) },
      { label: `${panel.val || "validation"} (epoch)`, stroke: palette.validation, width: 2 * lines,
        points: epochPoints(palette.validation) },
    ];
  }

  return {
    width: Math.max(120, Math.floor(o.width)),
    height: Math.max(100, Math.floor(o.height)),
    pxAlign: 0,
    // Top: the marker labels' strip (or a little air); the rest as uPlot sizes it.
    padding: [() => (o.labelStrip ? labelStripHeight(scale, o.marks().labelRows || 1) : Math.round(10 * scale)),
              null, null, null],
    legend: { show: false },
    scales: {
      x: { time: false },
      y: o.log
        ? { distr: 3, log: 10, range: (u, min, max) => yRange(min == null ? null : [min, max], panel, true) }
        : { distr: 1, range: (u, min, max) => yRange(min == null ? null : [min, max], panel, false) },
    },
    axes: [xAxis, yAxis],
    series,
    cursor: {
      sync: {
        key: o.syncKey,
        // Only the cursor travels between panels; zoom and reset go through the view,
        // which gives every panel the same x range.
        filters: { pub: (type) => type === "mousemove" || type === "mouseleave" || type === "mouseenter" },
      },
      y: false, // a vertical line only: the readout gives the values
      drag: { x: true, y: false, setScale: true, dist: 4 },
      points: { size: Math.round(8 * scale), width: 2, fill: palette.background },
      bind: { dblclick: () => () => o.onReset() },
    },
    select: { show: true },
    hooks: {
      setCursor: [(u) => o.onCursor(u)],
      setSelect: [(u) => o.onSelect(u)],
    },
    plugins: [markerPlugin(o.marks)],
  };
}
