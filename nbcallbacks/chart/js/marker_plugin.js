// marker_plugin.js — a uPlot plugin that draws, over a panel's curves: the training
// events (vertical lines), the boundaries of later fits ("fit 2") and the best epoch's
// star; and, in a strip above the plot area (so they never hide a curve), the lines'
// labels.
//
// It draws on uPlot's canvas in the `draw` hook, after the series, so the marks always
// follow the current zoom. What to draw is read from a getter at every draw, so the
// chart view changes marks without rebuilding the plot.

import { layoutLabels } from "./event_marks.js";
import { withAlpha } from "./theme.js";

/**
 * @typedef {object} PanelMarks
 * @property {Array<{x: number, label: string, family: string, major: boolean, event: object}>} events
 * @property {Array<{x: number, label: string}>} fits
 * @property {{x: number, y: number}|null} best
 * @property {object} palette  see theme.js
 * @property {number} scale    the chart's scale (projector mode)
 * @property {string} font     CSS font family
 * @property {number} [labelRows] rows of labels the strip above the plot has room for (1)
 * @property {(rows: number) => void} [onLabelRows] called when the labels need another
 *   number of rows: the view resizes the strip (uPlot's padding) and redraws
 * @property {Array<object>} [placed] written by the plugin: the labels drawn, in CSS pixels
 */

/**
 * The plugin; `getMarks()` returns the panel's current PanelMarks.
 * @param {() => PanelMarks} getMarks
 */
export function markerPlugin(getMarks) {
  return { hooks: { draw: [(u) => drawMarks(u, getMarks())] } };
}

const MAX_LABEL_ROWS = 2;

/** CSS pixels of the label strip above the plot area: `rows` rows at `scale`. */
export function labelStripHeight(scale, rows = 1) {
  return Math.round(rows * (labelBoxHeight(scale) + 4 * scale) + 4 * scale);
}

function labelBoxHeight(scale) {
  return Math.round(11 * scale * 1.5);
}

/** A five-pointed star centred on (x, y). */
function starPath(ctx, x, y, radius) {
  ctx.beginPath();
  for (let i = 0; i < 10; i++) {
    const r = i % 2 === 0 ? radius : radius * 0.45;
    const angle = -Math.PI / 2 + (i * Math.PI) / 5;
    const px = x + r * Math.cos(angle);
    const py = y + r * Math.sin(angle);
    if (i === 0) ctx.moveTo(px, py);
    else ctx.lineTo(px, py);
  }
  ctx.closePath();
}

function roundedRect(ctx, x, y, width, height, radius) {
  ctx.beginPath();
  if (ctx.roundRect) ctx.roundRect(x, y, width, height, radius);
  else ctx.rect(x, y, width, height);
}

function drawMarks(u, marks) {
  if (!marks) return;
  const ctx = u.ctx;
  const { left, top, width, height } = u.bbox; // canvas pixels
  const ratio = u.pxRatio || window.devicePixelRatio || 1;
  const { palette, scale } = marks;
  const inside = (px) => px >= left - 0.5 && px <= left + width + 0.5;
  const labels = [];

  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();

  const line = (px, color, dash, lineWidth) => {
    ctx.strokeStyle = color;
    ctx.lineWidth = lineWidth;
    ctx.setLineDash(dash);
    ctx.beginPath();
    const x = Math.round(px) + 0.5;
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
  };

  for (const fit of marks.fits) {
    const px = u.valToPos(fit.x, "x", true);
    if (!inside(px)) continue;
    line(px, palette.fit, [2 * ratio, 3 * ratio], 1.25 * ratio * palette.lineScale);
    labels.push({ x: px - left, text: fit.label, color: palette.fitText, priority: 4, source: fit });
  }
  for (const mark of marks.events) {
    const px = u.valToPos(mark.x, "x", true);
    if (!inside(px)) continue;
    const colors = palette.events[mark.family] || palette.events.routine;
    // Routine kinds dashed and fainter: a save every epoch must not bury the curves.
    line(px, withAlpha(colors.line, mark.major ? 0.9 : 0.7), mark.major ? [] : [4 * ratio, 3 * ratio],
         (mark.major ? 1.5 : 1.1) * ratio * palette.lineScale);
    labels.push({ x: px - left, text: mark.label, color: colors.text, priority: mark.priority, source: mark });
  }
  ctx.setLineDash([]);

  if (marks.best) {
    const px = u.valToPos(marks.best.x, "x", true);
    const py = u.valToPos(marks.best.y, "y", true);
    if (inside(px) && py >= top - 1 && py <= top + height + 1) {
      starPath(ctx, px, py, 7.5 * scale * ratio);
      ctx.fillStyle = palette.best;
      ctx.fill();
      ctx.lineWidth = 1.2 * ratio;
      ctx.strokeStyle = palette.bestEdge;
      ctx.stroke();
    }
  }

  ctx.restore();

  // Labels, in the strip above the plot area: a tinted box, a short stem to the line.
  const fontSize = 11 * scale * ratio;
  const padX = 5 * scale * ratio;
  const boxHeight = labelBoxHeight(scale) * ratio;
  const rowStep = boxHeight + 4 * scale * ratio;
  ctx.save();
  ctx.font = `500 ${fontSize}px ${marks.font}`;
  const measure = (text) => ctx.measureText(text).width + 2 * padX;
  // A long mark ("switched to fine-tuning on the new data") must leave room for others.
  const layout = (rows) => layoutLabels(labels, width, measure, {
    rows, gap: 5 * ratio, pad: 3 * ratio, maxShift: 60 * ratio, groupSpan: 40 * ratio,
    maxWidth: Math.max(width * 0.34, 90 * scale * ratio) });
  const written = (labelsPlaced) => labelsPlaced.filter((label) => !label.group).length;
  // One row while it names every event; a second when that names more of them.
  let placed = layout(1);
  let needed = 1;
  if (placed.some((label) => label.group || label.items.length > 1)) {
    const two = layout(MAX_LABEL_ROWS);
    if (written(two) > written(placed)) needed = MAX_LABEL_ROWS;
  }
  const reserved = marks.labelRows || 1;
  if (needed !== reserved && marks.onLabelRows) marks.onLabelRows(needed);
  const rows = Math.min(needed, reserved);
  if (rows > 1) placed = layout(rows);
  ctx.textBaseline = "middle";
  ctx.textAlign = "left";
  for (const label of placed) {
    const source = label.items[0];
    const color = label.group ? palette.muted : source.color;
    const x = left + label.left;
    const boxTop = top - (rows - label.row) * rowStep;
    // The stem: from the box down to the plot, at the line's x.
    ctx.strokeStyle = withAlpha(color, 0.6);
    ctx.lineWidth = 1 * ratio;
    ctx.setLineDash([]);
    ctx.beginPath();
    const stemX = Math.round(left + label.x) + 0.5;
    ctx.moveTo(stemX, boxTop + boxHeight / 2);
    ctx.lineTo(stemX, top);
    ctx.stroke();
    roundedRect(ctx, x, boxTop, label.width, boxHeight, 4 * ratio);
    ctx.fillStyle = palette.background;
    ctx.fill();
    ctx.strokeStyle = withAlpha(color, 0.45);
    ctx.stroke();
    ctx.fillStyle = color;
    ctx.fillText(label.text, x + padX, boxTop + boxHeight / 2 + 0.5 * ratio);
  }
  ctx.restore();

  // For hovering and for tests: where the labels went, in CSS pixels of the plot area.
  marks.placed = placed.map((label) => ({
    text: label.text, left: label.left / ratio, width: label.width / ratio, row: label.row,
    items: label.items.map((item) => item.source),
  }));
}
