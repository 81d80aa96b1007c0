// Theme detection and palettes (nbcallbacks/chart/js/theme.js).
import { contrastRatio, DARK_PALETTE, detectTheme, ensureContrast, LIGHT_PALETTE, paletteFor, parseColor,
         TEXT_KEYS, watchTheme } from "../../nbcallbacks/chart/js/theme.js";
import { close, deepEqual, equal, ok } from "./assert.js";

/** A fresh document in an iframe (its own body and html attributes); returns [doc, el, remove]. */
function frameDocument(html = "") {
  const frame = document.createElement("iframe");
  document.body.append(frame);
  const doc = frame.contentDocument;
  doc.open();
  doc.write(`<!doctype html><html><head></head><body>${html}</body></html>`);
  doc.close();
  const el = doc.createElement("div");
  doc.body.append(el);
  return [doc, el, () => frame.remove()];
}

export function test_parse_color() {
  deepEqual(parseColor("#fff"), { r: 255, g: 255, b: 255, a: 1 });
  deepEqual(parseColor("#1f77b4"), { r: 31, g: 119, b: 180, a: 1 });
  deepEqual(parseColor("#00000080"), { r: 0, g: 0, b: 0, a: 128 / 255 });
  deepEqual(parseColor("rgb(1, 2, 3)"), { r: 1, g: 2, b: 3, a: 1 });
  deepEqual(parseColor("rgba(1, 2, 3, 0.5)"), { r: 1, g: 2, b: 3, a: 0.5 });
  deepEqual(parseColor("rgb(1 2 3 / 50%)"), { r: 1, g: 2, b: 3, a: 0.5 });
  deepEqual(parseColor(" White "), { r: 255, g: 255, b: 255, a: 1 });
  equal(parseColor("transparent").a, 0);
  equal(parseColor("var(--x)"), null);
  equal(parseColor(""), null);
  equal(parseColor(undefined), null);
}

export function test_contrast_ratio_known_values() {
  close(contrastRatio("#000", "#fff"), 21, 1e-9);
  close(contrastRatio("#fff", "#fff"), 1, 1e-9);
  close(contrastRatio("#777777", "#ffffff"), 4.48, 0.01);
  close(contrastRatio("#1f77b4", "#ffffff"), 4.82, 0.01);
  // Translucent text is measured as painted over the background.
  close(contrastRatio("rgba(0, 0, 0, 0.87)", "#ffffff"), contrastRatio("#212121", "#ffffff"), 0.05);
  ok(Number.isNaN(contrastRatio("nonsense", "#fff")));
}

export function test_ensure_contrast() {
  ok(contrastRatio(ensureContrast("#e8710a", "#ffffff"), "#ffffff") >= 4.5, "orange on white");
  ok(contrastRatio(ensureContrast("#1f77b4", "#111111"), "#111111") >= 4.5, "blue on black");
  equal(ensureContrast("#000000", "#ffffff"), "#000000", "already enough: unchanged");
}

function textPairs(palette) {
  const pairs = TEXT_KEYS.map((key) => [key, palette[key]]);
  for (const [family, colors] of Object.entries(palette.events)) pairs.push([`events.${family}.text`, colors.text]);
  return pairs;
}

export function test_static_palettes_reach_4_5_to_1() {
  for (const palette of [LIGHT_PALETTE, DARK_PALETTE]) {
    for (const [key, color] of textPairs(palette)) {
      const ratio = contrastRatio(color, palette.background);
      ok(ratio >= 4.5, `${palette.name} ${key} ${color} on ${palette.background}: ${ratio.toFixed(2)}`);
    }
  }
}

export function test_every_theme_palette_reaches_4_5_to_1() {
  const themes = [
    { dark: false }, { dark: true },
    { dark: false, background: "#f7f7f7", text: "rgba(0, 0, 0, 0.87)", muted: "rgba(0, 0, 0, 0.54)" }, // JupyterLab light
    { dark: true, background: "#111111", text: "rgba(255, 255, 255, 1)", muted: "rgba(255, 255, 255, 0.54)" }, // Lab dark
    { dark: true, background: "#1e1e1e", text: "#cccccc" },  // VS Code dark
    { dark: true, background: "#383838" },                  // Colab dark
    { dark: false, background: "#fffbe6", text: "#777777" }, // a pale custom theme, weak text
    { dark: true, highContrast: true, background: "#000000" },
    { dark: false, highContrast: true, background: "#ffffff" },
  ];
  for (const theme of themes) {
    const palette = paletteFor(theme);
    for (const [key, color] of textPairs(palette)) {
      const ratio = contrastRatio(color, palette.background);
      ok(ratio >= 4.5, `${JSON.stringify(theme)} ${key} ${color} on ${palette.background}: ${ratio.toFixed(2)}`);
    }
  }
}

export function test_high_contrast_draws_thicker_lines() {
  ok(paletteFor({ dark: true, highContrast: true }).lineScale > 1);
  equal(paletteFor({ dark: true }).lineScale, 1);
}

export function test_light_colours_are_the_package_colours() {
  equal(LIGHT_PALETTE.train, "#1f77b4");
  equal(LIGHT_PALETTE.validation, "#e8710a");
  equal(LIGHT_PALETTE.rate, "#2ca02c");
  equal(paletteFor({ dark: false }).name, "light");
  equal(paletteFor({ dark: true }).name, "dark");
}

export function test_detects_jupyterlab() {
  const [doc, el, remove] = frameDocument();
  try {
    doc.body.setAttribute("data-jp-theme-light", "false");
    doc.body.setAttribute("data-jp-theme-name", "JupyterLab Dark");
    doc.body.style.setProperty("--jp-layout-color0", "#111111");
    doc.body.style.setProperty("--jp-ui-font-color1", "rgba(255, 255, 255, 1)");
    const theme = detectTheme(el);
    equal(theme.source, "jupyterlab");
    equal(theme.dark, true);
    equal(theme.highContrast, false);
    equal(theme.background, "#111111");
    equal(paletteFor(theme).background, "#111111");
    doc.body.setAttribute("data-jp-theme-light", "true");
    equal(detectTheme(el).dark, false);
  } finally {
    remove();
  }
}

export function test_detects_vscode() {
  const [doc, el, remove] = frameDocument();
  try {
    doc.body.className = "vscode-dark";
    doc.documentElement.style.setProperty("--vscode-editor-background", "#1e1e1e");
    doc.documentElement.style.setProperty("--vscode-editor-foreground", "#d4d4d4");
    let theme = detectTheme(el);
    deepEqual([theme.source, theme.dark, theme.highContrast, theme.background, theme.text],
              ["vscode", true, false, "#1e1e1e", "#d4d4d4"]);
    doc.body.className = "vscode-high-contrast";
    theme = detectTheme(el);
    deepEqual([theme.dark, theme.highContrast], [true, true]);
    doc.body.className = "vscode-light";
    equal(detectTheme(el).dark, false);
  } finally {
    remove();
  }
}

export function test_detects_colab() {
  const [doc, el, remove] = frameDocument();
  try {
    doc.documentElement.setAttribute("theme", "dark");
    const theme = detectTheme(el);
    deepEqual([theme.source, theme.dark], ["colab", true]);
  } finally {
    remove();
  }
}

export function test_detects_background_luminance() {
  const [doc, el, remove] = frameDocument();
  try {
    doc.body.style.background = "rgb(20, 20, 30)";
    let theme = detectTheme(el);
    deepEqual([theme.source, theme.dark], ["background", true]);
    doc.body.style.background = "rgb(250, 250, 250)";
    theme = detectTheme(el);
    deepEqual([theme.source, theme.dark], ["background", false]);
  } finally {
    remove();
  }
}

export function test_falls_back_to_media_query() {
  const [doc, el, remove] = frameDocument();
  try {
    const theme = detectTheme(el);
    equal(theme.source, "media");
    equal(theme.dark, doc.defaultView.matchMedia("(prefers-color-scheme: dark)").matches);
  } finally {
    remove();
  }
}

export async function test_watch_follows_a_switch_and_stops() {
  const [doc, el, remove] = frameDocument();
  try {
    doc.body.setAttribute("data-jp-theme-light", "true");
    const seen = [];
    const stop = watchTheme(el, (theme) => seen.push(theme.dark));
    doc.body.setAttribute("data-jp-theme-light", "false");
    await new Promise((resolve) => setTimeout(resolve, 20));
    deepEqual(seen, [true], "one change, to dark");
    stop();
    doc.body.setAttribute("data-jp-theme-light", "true");
    await new Promise((resolve) => setTimeout(resolve, 150));
    deepEqual(seen, [true], "nothing after stop()");
  } finally {
    remove();
  }
}
