// event_marks.js — what each training event looks like on the chart, and where its
// label goes.
//
// Events (a stop, a rate change, a checkpoint, the person's own mark…) are vertical
// lines on every panel with a short label near the top. Kinds are grouped in families
// that share a colour (as nbcallbacks/render/event_colors.py). Routine kinds get a
// dashed line so that a save every epoch does not bury the curves; the CSV logger is
// hidden altogether. Labels never overlap each other nor leave the panel: when they
// are too dense, the most important keep their place and the others fold into "+3".

/**
 * kind -> {family, label, major, priority}: `label` is what the chart and the legend
 * write; `priority` decides which labels keep their place when space is short (what
 * changed the course of training first, routine saves last).
 */
export const EVENT_KINDS = {
  stop: { family: "stop", label: "stopped", major: true, priority: 5 },
  interrupt: { family: "stop", label: "interrupted", major: true, priority: 5 },
  nan: { family: "stop", label: "NaN", major: true, priority: 5 },
  early_stopping: { family: "early", label: "stopped early", major: true, priority: 3 },
  best_weights: { family: "early", label: "best weights restored", major: true, priority: 2 },
  best_epoch: { family: "early", label: "best epoch (not restored)", major: false, priority: 1 },
  pause: { family: "pause", label: "paused", major: false, priority: 1 },
  resume: { family: "pause", label: "resumed", major: false, priority: 1 },
  lr_change: { family: "rate", label: "rate changed", major: true, priority: 3 },
  reduce_lr: { family: "rate", label: "rate reduced", major: true, priority: 3 },
  lr_schedule: { family: "rate", label: "rate scheduled", major: true, priority: 3 },
  save: { family: "save", label: "saved now", major: false, priority: 1 },
  checkpoint: { family: "save", label: "checkpoint saved", major: false, priority: 0 },
  backup_restore: { family: "save", label: "backup restored", major: true, priority: 3 },
  csv_logger: { family: "routine", label: "CSV log", major: false, hidden: true, priority: 0 },
  mark: { family: "mark", label: "your mark", major: true, priority: 4 },
};

/**
 * How an event is shown.
 * @param {{kind: string, message?: string}} event
 * @returns {{kind: string, family: string, legend: string, label: string, major: boolean,
 *            priority: number, hidden: boolean}} `legend` names the kind in the legend row, `label` is
 *   written next to the line (a mark's own message)
 */
export function eventStyle(event) {
  const known = EVENT_KINDS[event.kind];
  const style = known ||
    { family: "routine", label: String(event.kind).replace(/_/g, " "), major: false, priority: 1 };
  const message = String(event.message || "").trim();
  const label = event.kind === "mark" && message ? message : style.label;
  return { kind: event.kind, family: style.family, legend: style.label, label,
           major: style.major, priority: style.priority, hidden: Boolean(style.hidden) };
}

/**
 * Legend entries for the marker kinds present, in the order of EVENT_KINDS.
 * @param {Array<{kind: string}>} events
 * @returns {Array<{kind: string, family: string, legend: string, major: boolean}>}
 */
export function legendKinds(events) {
  const present = new Map();
  for (const event of events) {
    const style = eventStyle(event);
    if (!style.hidden && !present.has(event.kind)) present.set(event.kind, style);
  }
  const order = Object.keys(EVENT_KINDS);
  const rank = (kind) => (order.includes(kind) ? order.indexOf(kind) : order.length);
  return [...present.values()].sort((a, b) => rank(a.kind) - rank(b.kind));
}

/** Shorten `text` with "…" until `measure` says it fits in `width`. */
function fitText(text, width, measure) {
  if (measure(text) <= width) return text;
  let keep = text.length;
  while (keep > 1 && measure(text.slice(0, keep) + "…") > width) keep--;
  return text.slice(0, keep) + "…";
}

/**
 * Place marker labels along the top of a panel without overlaps.
 *
 * Labels are placed in order of importance (`priority`, higher first; then left to
 * right): each goes just right of its line, or just left of it, in the first row
 * where it clears every label already there by `gap`, and never past the panel's
 * edges (a label wider than `maxWidth` is shortened with "…"). Labels that find no
 * room are gathered, neighbours together, into "+N" groups placed near their lines
 * (slid up to `maxShift` pixels if need be); a group that finds no room either is
 * counted in the nearest label. `items` of each label lists the events it stands for,
 * so a hover can name them all.
 *
 * @param {Array<{x: number, text: string, priority?: number}>} items x in pixels from
 *   the panel's left
 * @param {number} panelWidth
 * @param {(text: string) => number} measure the width of a text, in the same pixels
 * @param {{rows?: number, gap?: number, pad?: number, maxShift?: number,
 *          groupSpan?: number, maxWidth?: number}} [options] rows of labels (1), pixels
 *   between labels (6), between a line and its label (4), how far a group may slide
 *   (60), how close crowded events must be to share a group (40), and the widest a
 *   label may be (the panel's width; longer ones end in "…")
 * @returns {Array<{text: string, x: number, left: number, width: number, row: number,
 *                  group: boolean, items: object[]}>} sorted by row, then left
 */
export function layoutLabels(items, panelWidth, measure, options = {}) {
  const rows = options.rows ?? 1;
  const gap = options.gap ?? 6;
  const pad = options.pad ?? 4;
  const maxShift = options.maxShift ?? 60;
  const groupSpan = options.groupSpan ?? 40;
  const maxWidth = Math.min(panelWidth, options.maxWidth ?? panelWidth);
  if (!(panelWidth > 0)) return [];
  const taken = Array.from({ length: rows }, () => []); // [left, right] of each row's labels
  const isFree = (row, left, right) =>
    taken[row].every(([l, r]) => right + gap <= l || left >= r + gap);

  const tryPlace = (text, x, shifts) => {
    const shown = fitText(text, maxWidth, measure);
    const width = Math.min(measure(shown), maxWidth);
    const clamp = (left) => Math.min(Math.max(left, 0), panelWidth - width);
    // Right of the line, else left of it; pushed inside the panel only when neither fits.
    const inside = (left) => left >= 0 && left + width <= panelWidth;
    const natural = [x + pad, x - pad - width];
    const sides = [...natural.filter(inside), ...natural.filter((left) => !inside(left)).map(clamp)];
    for (let row = 0; row < rows; row++) {
      for (const shift of shifts) {
        for (const side of sides) {
          const left = clamp(side + shift);
          if (isFree(row, left, left + width)) {
            taken[row].push([left, left + width]);
            return { text: shown, left, width, row };
          }
        }
      }
    }
    return null;
  };

  const placed = [];
  const visible = items.filter((item) => Number.isFinite(item.x) && item.x >= 0 && item.x <= panelWidth);
  const byImportance = [...visible].sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0) || a.x - b.x);
  const crowded = [];
  for (const item of byImportance) {
    const label = tryPlace(item.text, item.x, [0]);
    if (label) placed.push({ ...label, x: item.x, group: false, items: [item] });
    else crowded.push(item);
  }

  const shifts = [0];
  for (let s = 6; s <= maxShift; s += 6) shifts.push(s, -s);
  let cluster = [];
  const flush = () => {
    if (!cluster.length) return;
    const label = tryPlace(`+${cluster.length}`, cluster[0].x, shifts);
    if (label) {
      placed.push({ ...label, x: cluster[0].x, group: true, items: cluster });
    } else if (placed.length) {
      const x = cluster[0].x;
      const nearest = placed.reduce((a, b) => (Math.abs(b.x - x) < Math.abs(a.x - x) ? b : a));
      nearest.items.push(...cluster);
    }
    cluster = [];
  };
  for (const item of crowded.sort((a, b) => a.x - b.x)) {
    if (cluster.length && item.x - cluster[0].x > groupSpan) flush();
    cluster.push(item);
  }
  flush();
  return placed.sort((a, b) => a.row - b.row || a.left - b.left);
}
