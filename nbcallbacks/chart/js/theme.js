// theme.js — which theme the notebook frontend shows, and the chart's colours for it.
//
// The chart sits inside JupyterLab / Notebook 7, the classic Notebook, VS Code or
// Colab, each with light and dark themes. It reads the frontend's own signals (and
// colours, when it exposes them as CSS variables) so that it looks native, then checks
// every colour used for text against the actual background: each must reach the WCAG
// contrast of 4.5:1, a teacher's projector being the harshest reader.

// -- colours ---------------------------------------------------------------------------

const NAMED_COLORS = { white: "#ffffff", black: "#000000", transparent: "rgba(0,0,0,0)" };

/**
 * A CSS colour as {r, g, b, a} (0–255, alpha 0–1), or null when not understood.
 * Understands #rgb, #rgba, #rrggbb, #rrggbbaa, rgb()/rgba() (comma or space syntax),
 * "white", "black" and "transparent" — what getComputedStyle returns and palettes use.
 * @param {string|{r:number,g:number,b:number,a?:number}} color
 * @returns {{r:number, g:number, b:number, a:number}|null}
 */
export function parseColor(color) {
  if (color && typeof color === "object") return { a: 1, ...color };
  if (typeof color !== "string") return null;
  let text = color.trim().toLowerCase();
  if (text in NAMED_COLORS) text = NAMED_COLORS[text];
  let match = /^#([0-9a-f]{3,8})$/.exec(text);
  if (match) {
    let hex = match[1];
    if (hex.length === 3 || hex.length === 4) hex = [...hex].map((c) => c + c).join("");
    if (hex.length !== 6 && hex.length !== 8) return null;
    const byte = (i) => parseInt(hex.slice(i, i + 2), 16);
    return { r: byte(0), g: byte(2), b: byte(4), a: hex.length === 8 ? byte(6) / 255 : 1 };
  }
  match = /^rgba?\(([^)]*)\)$/.exec(text);
  if (match) {
    const parts = match[1].split(/[\s,/]+/).filter(Boolean);
    if (parts.length < 3) return null;
    const channel = (p) => (p.endsWith("%") ? (parseFloat(p) * 255) / 100 : parseFloat(p));
    const [r, g, b] = parts.slice(0, 3).map(channel);
    const alpha = parts.length > 3 ? channel(parts[3]) / (parts[3].endsWith("%") ? 255 : 1) : 1;
    if ([r, g, b, alpha].some((v) => !Number.isFinite(v))) return null;
    return { r, g, b, a: alpha };
  }
  return null;
}

/** "#rrggbb" of an opaque colour. */
export function toHex(color) {
  const c = parseColor(color);
  const byte = (v) => Math.round(Math.min(255, Math.max(0, v))).toString(16).padStart(2, "0");
  return `#${byte(c.r)}${byte(c.g)}${byte(c.b)}`;
}

/** `color` with opacity `alpha`, as rgba() text (for translucent lines and fills). */
export function withAlpha(color, alpha) {
  const c = parseColor(color);
  return `rgba(${Math.round(c.r)}, ${Math.round(c.g)}, ${Math.round(c.b)}, ${alpha})`;
}

/** `top` painted over opaque `bottom`. */
function composite(top, bottom) {
  const a = top.a;
  return { r: top.r * a + bottom.r * (1 - a), g: top.g * a + bottom.g * (1 - a),
           b: top.b * a + bottom.b * (1 - a), a: 1 };
}

/** WCAG relative luminance of an opaque colour (0 black – 1 white). */
export function luminance(color) {
  const c = parseColor(color);
  const linear = (v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(c.r) + 0.7152 * linear(c.g) + 0.0722 * linear(c.b);
}

/**
 * WCAG contrast ratio of text colour `fg` on background `bg` (1 to 21; text needs 4.5).
 * A translucent foreground is first painted over the background.
 * @param {string|object} fg
 * @param {string|object} bg
 * @returns {number}
 */
export function contrastRatio(fg, bg) {
  const back = parseColor(bg);
  let front = parseColor(fg);
  if (!front || !back) return NaN;
  if (front.a < 1) front = composite(front, { ...back, a: 1 });
  const [l1, l2] = [luminance(front), luminance({ ...back, a: 1 })];
  return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
}

/**
 * `fg`, moved towards black or white (whichever the background is farther from) just
 * enough to reach `ratio` against `bg`.
 * @returns {string} "#rrggbb"
 */
export function ensureContrast(fg, bg, ratio = 4.5) {
  const front = parseColor(fg);
  const back = parseColor(bg);
  if (!front || !back) return fg;
  const opaqueBack = { ...back, a: 1 };
  // Checked on the hex text returned: rounding to whole bytes can lose a hair of contrast.
  const opaque = toHex(composite(front, opaqueBack));
  if (contrastRatio(opaque, opaqueBack) >= ratio) return opaque;
  const target = luminance(opaqueBack) > 0.18 ? { r: 0, g: 0, b: 0, a: 1 } : { r: 255, g: 255, b: 255, a: 1 };
  for (let step = 1; step <= 40; step++) {
    const mixed = toHex(composite({ ...target, a: step / 40 }, parseColor(opaque)));
    if (contrastRatio(mixed, opaqueBack) >= ratio) return mixed;
  }
  return toHex(target);
}

// -- palettes --------------------------------------------------------------------------

// Colours of event families (see event_marks.js): `line` draws, `text` labels.
const LIGHT_EVENTS = {
  stop: { line: "#b3261e", text: "#b3261e" },
  early: { line: "#8e24aa", text: "#8e24aa" },
  pause: { line: "#e8710a", text: "#a64d00" },
  rate: { line: "#2ca02c", text: "#1e7b1e" },
  save: { line: "#1565c0", text: "#1565c0" },
  routine: { line: "#7a7f85", text: "#5f6368" },
  mark: { line: "#37474f", text: "#37474f" },
};
const DARK_EVENTS = {
  stop: { line: "#ff7b72", text: "#ff8a80" },
  early: { line: "#d39cf0", text: "#dcaef4" },
  pause: { line: "#ffa257", text: "#ffae6b" },
  rate: { line: "#5ccf5c", text: "#6fd86f" },
  save: { line: "#79b8ff", text: "#8cc3ff" },
  routine: { line: "#9aa3ad", text: "#b0b8c1" },
  mark: { line: "#cfd8dc", text: "#dfe6e9" },
};

/**
 * The light palette: the package's colours (nbcallbacks/render/palette.py), with text
 * variants dark enough for 4.5:1 on white.
 */
export const LIGHT_PALETTE = Object.freeze({
  name: "light",
  background: "#ffffff",
  surface: "#f4f6f8",       // toolbar controls, chips
  text: "#1f2328",
  muted: "#57606a",         // secondary text, tick labels
  grid: "#e8eaed",
  axis: "#c4c9cf",
  border: "#d0d7de",
  accent: "#1f77b4",
  train: "#1f77b4",
  trainText: "#1a659a",
  validation: "#e8710a",
  validationText: "#a64d00", // palette.py's #c25e00 reaches only 4.3:1 on white
  rate: "#2ca02c",
  rateText: "#1e7b1e",
  best: "#ffbf00",
  bestEdge: "#8a6d00",
  fit: "#6e7781",
  fitText: "#57606a",
  rawAlpha: 0.75,           // the per-batch line's opacity; behind a smoothed line:
  rawAlphaSmoothed: 0.3,
  events: LIGHT_EVENTS,
  lineScale: 1,
});

/** The dark palette: the same hues, lighter, so lines and labels read on near-black. */
export const DARK_PALETTE = Object.freeze({
  name: "dark",
  background: "#1e1e1e",
  surface: "#2a2d31",
  text: "#e6e6e6",
  muted: "#a8b0ba",
  grid: "#33373c",
  axis: "#5a6068",
  border: "#444a52",
  accent: "#5aa9e6",
  train: "#5aa9e6",
  trainText: "#7cbcf0",
  validation: "#ff9a47",
  validationText: "#ffa85c",
  rate: "#5ccf5c",
  rateText: "#6fd86f",
  best: "#ffd24d",
  bestEdge: "#ffefb3",
  fit: "#8b949e",
  fitText: "#a8b0ba",
  rawAlpha: 0.85,           // a faint line fades faster into a dark background
  rawAlphaSmoothed: 0.45,
  events: DARK_EVENTS,
  lineScale: 1,
});

/** Every key of a palette that is drawn as text (checked for contrast). */
export const TEXT_KEYS = ["text", "muted", "trainText", "validationText", "rateText", "fitText"];

/**
 * The palette for a detected theme.
 *
 * Starts from the light or dark palette; takes the frontend's background, text and grid
 * colours when it exposes them; makes every text colour reach 4.5:1 against the final
 * background; and for high-contrast themes uses plain black/white text and thicker lines.
 *
 * @param {{dark: boolean, highContrast?: boolean, background?: string|null,
 *          text?: string|null, muted?: string|null, grid?: string|null}} theme
 * @returns {object} a palette like LIGHT_PALETTE
 */
export function paletteFor(theme) {
  const base = theme.dark ? DARK_PALETTE : LIGHT_PALETTE;
  const palette = { ...base, events: {} };
  const background = parseColor(theme.background || "");
  if (background && background.a > 0.99) palette.background = toHex(background);
  if (theme.grid && parseColor(theme.grid)) palette.grid = theme.grid;
  for (const key of ["text", "muted"]) {
    if (theme[key] && parseColor(theme[key])) palette[key] = theme[key];
  }
  if (theme.highContrast) {
    palette.name = theme.dark ? "dark-high-contrast" : "light-high-contrast";
    palette.text = theme.dark ? "#ffffff" : "#000000";
    palette.muted = theme.dark ? "#e0e0e0" : "#262626";
    palette.axis = palette.muted;
    palette.grid = theme.dark ? "#5a5a5a" : "#9e9e9e";
    palette.lineScale = 1.6;
  }
  for (const key of TEXT_KEYS) palette[key] = ensureContrast(palette[key], palette.background);
  for (const [family, colors] of Object.entries(base.events)) {
    palette.events[family] = { line: colors.line, text: ensureContrast(colors.text, palette.background) };
  }
  return Object.freeze(palette);
}

// -- detecting the frontend's theme -----------------------------------------------------

/** A CSS custom property of `el` (inherited), trimmed, or "" when unset. */
function cssVariable(style, name) {
  return style ? style.getPropertyValue(name).trim() : "";
}

/**
 * A colour expression (a CSS variable may hold "white", hsl(), color-mix()…) resolved by
 * the browser into rgb() text, or null.
 */
function resolveColor(value, el) {
  if (!value) return null;
  if (parseColor(value)) return value;
  const doc = el.ownerDocument;
  const probe = doc.createElement("span");
  probe.style.display = "none";
  probe.style.color = value;
  (el.isConnected ? el : doc.body).appendChild(probe);
  const resolved = doc.defaultView.getComputedStyle(probe).color;
  probe.remove();
  return parseColor(resolved) ? resolved : null;
}

/** The first opaque background colour at or above `el`, or null. */
function backgroundBehind(el) {
  const view = el.ownerDocument.defaultView;
  for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
    const color = parseColor(view.getComputedStyle(node).backgroundColor);
    if (color && color.a > 0.5) return view.getComputedStyle(node).backgroundColor;
  }
  return null;
}

/**
 * Which theme the frontend around `el` shows.
 *
 * Signals, first found wins: JupyterLab / Notebook 7 (`body[data-jp-theme-light]`,
 * `--jp-*` colours), VS Code (`body.vscode-dark`, `.vscode-high-contrast`,
 * `.vscode-light`, `--vscode-*` colours), Colab (`html[theme=dark]`), the luminance of
 * the background behind the element, and last the `prefers-color-scheme` media query.
 *
 * @param {Element} el the widget's element (CSS variables are read where it sits)
 * @returns {{dark: boolean, highContrast: boolean, source: string, background: string|null,
 *           text: string|null, muted: string|null, grid: string|null}}
 */
export function detectTheme(el) {
  const doc = el.ownerDocument;
  const view = doc.defaultView;
  const body = doc.body;
  const html = doc.documentElement;
  const style = view.getComputedStyle(el);
  const variable = (name) => resolveColor(cssVariable(style, name), el);
  const result = { dark: false, highContrast: false, source: "default", background: null,
                   text: null, muted: null, grid: null };

  const jpLight = body && body.getAttribute("data-jp-theme-light");
  if (jpLight === "true" || jpLight === "false") {
    const name = body.getAttribute("data-jp-theme-name") || "";
    return { ...result, source: "jupyterlab", dark: jpLight === "false",
             highContrast: /high.?contrast/i.test(name),
             background: variable("--jp-layout-color0") || backgroundBehind(el),
             text: variable("--jp-ui-font-color1") || variable("--jp-content-font-color1"),
             muted: variable("--jp-ui-font-color2"), grid: variable("--jp-border-color2") };
  }
  const classes = body ? body.classList : { contains: () => false };
  if (classes.contains("vscode-dark") || classes.contains("vscode-light") ||
      classes.contains("vscode-high-contrast") || classes.contains("vscode-high-contrast-light")) {
    const highContrast = classes.contains("vscode-high-contrast") ||
      classes.contains("vscode-high-contrast-light");
    const dark = classes.contains("vscode-dark") ||
      (classes.contains("vscode-high-contrast") && !classes.contains("vscode-high-contrast-light"));
    return { ...result, source: "vscode", dark, highContrast,
             background: variable("--vscode-notebook-outputContainerBackgroundColor") ||
               variable("--vscode-editor-background") || backgroundBehind(el),
             text: variable("--vscode-editor-foreground") || variable("--vscode-foreground"),
             muted: variable("--vscode-descriptionForeground"),
             grid: variable("--vscode-editorWidget-border") };
  }
  const colab = html && html.getAttribute("theme");
  if (colab === "dark" || colab === "light") {
    return { ...result, source: "colab", dark: colab === "dark",
             background: backgroundBehind(el) };
  }
  const behind = backgroundBehind(el);
  if (behind) {
    return { ...result, source: "background", background: behind,
             dark: contrastRatio("#ffffff", behind) > contrastRatio("#000000", behind) };
  }
  const media = view.matchMedia ? view.matchMedia("(prefers-color-scheme: dark)") : null;
  return { ...result, source: "media", dark: Boolean(media && media.matches) };
}

/**
 * Call `onChange(theme)` whenever the detected theme changes while the chart is shown:
 * a JupyterLab theme switch (body attributes, then new CSS variables a moment later),
 * a VS Code / Colab switch (class / attribute) or the system's dark mode.
 *
 * @param {Element} el the widget's element
 * @param {(theme: object) => void} onChange
 * @returns {() => void} stop watching (removes every observer, listener and timer)
 */
export function watchTheme(el, onChange) {
  const doc = el.ownerDocument;
  const view = doc.defaultView;
  let last = JSON.stringify(detectTheme(el));
  const timers = new Set();
  const check = () => {
    const theme = detectTheme(el);
    const key = JSON.stringify(theme);
    if (key !== last) {
      last = key;
      onChange(theme);
    }
  };
  // A theme's stylesheet may load after its attribute flips: look again a little later.
  const checkSoon = () => {
    check();
    for (const delay of [100, 500, 1500]) {
      const timer = view.setTimeout(() => {
        timers.delete(timer);
        check();
      }, delay);
      timers.add(timer);
    }
  };
  const observer = new view.MutationObserver(checkSoon);
  const options = { attributes: true,
                    attributeFilter: ["data-jp-theme-light", "data-jp-theme-name", "class", "theme", "style"] };
  if (doc.body) observer.observe(doc.body, options);
  if (doc.documentElement) observer.observe(doc.documentElement, options);
  const media = view.matchMedia ? view.matchMedia("(prefers-color-scheme: dark)") : null;
  if (media && media.addEventListener) media.addEventListener("change", checkSoon);
  return () => {
    observer.disconnect();
    if (media && media.removeEventListener) media.removeEventListener("change", checkSoon);
    for (const timer of timers) view.clearTimeout(timer);
    timers.clear();
  };
}
