// chart_page.js — the page of tests/test_chart_view_in_chromium.py: the chart's bundle
// imported from its text, a fake anywidget model, and helpers the tests call as nbc.*.

/**
 * Load the bundle (`esm`, its text) and stylesheet, and define window.nbc.
 * @param {string} esm chart_esm()
 * @param {string} css chart_css()
 */
export async function setUpChartPage(esm, css) {
  const style = document.createElement("style");
  style.textContent = css;
  document.head.append(style);
  document.body.style.margin = "0";
  document.body.style.padding = "16px";
  document.body.style.background = "#ffffff";
  const url = URL.createObjectURL(new Blob([esm], {type: "text/javascript"}));
  const widget = (await import(url)).default;

  // Count observers, to prove that cleanup disconnects every one it made.
  const live = {resize: 0, mutation: 0};
  for (const [name, key] of [["ResizeObserver", "resize"], ["MutationObserver", "mutation"]]) {
    const Original = window[name];
    window[name] = class extends Original {
      constructor(callback) { super(callback); this.counted = false; }
      observe(...args) { if (!this.counted) { this.counted = true; live[key]++; } return super.observe(...args); }
      disconnect() { if (this.counted) { this.counted = false; live[key]--; } return super.disconnect(); }
    };
  }

  class FakeModel {
    constructor(state) {
      this.state = {...state};
      this.handlers = new Map();
      this.sent = [];
      this.saves = 0;
      this.setCalls = [];
    }
    get(name) { return this.state[name]; }
    set(name, value) {
      this.setCalls.push([name, value]);
      const old = this.state[name];
      this.state[name] = value;
      if (old !== value) this.emit(`change:${name}`, value);
    }
    save_changes() { this.saves++; }
    on(name, callback) {
      if (!this.handlers.has(name)) this.handlers.set(name, new Set());
      this.handlers.get(name).add(callback);
    }
    off(name, callback) {
      if (name == null) this.handlers.clear();
      else if (callback == null) this.handlers.delete(name);
      else if (this.handlers.has(name)) this.handlers.get(name).delete(callback);
    }
    emit(name, ...args) { for (const callback of [...(this.handlers.get(name) || [])]) callback(...args); }
    send(content) { this.sent.push(JSON.parse(JSON.stringify(content))); }
    listenerCount() { let n = 0; for (const set of this.handlers.values()) n += set.size; return n; }
  }

  const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  // A DataView at an odd offset inside a bigger buffer, as JupyterLab may deliver.
  const dataView = (b64) => {
    const data = bytes(b64);
    const big = new Uint8Array(data.length + 11);
    big.set(data, 3);
    return new DataView(big.buffer, 3, data.length);
  };
  window.nbc = {
    widget, live, FakeModel, bytes, dataView, charts: [],
    frames: () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
    render(state, width = 1100) {
      const host = document.createElement("div");
      host.className = "test-host";
      host.style.width = width + "px";
      document.body.append(host);
      const s = {...state};
      if (s.snapshot_b64 !== undefined) { s.snapshot = dataView(s.snapshot_b64); delete s.snapshot_b64; }
      const model = new FakeModel(s);
      const cleanup = widget.render({model, el: host});
      const chart = {model, host, cleanup};
      nbc.charts.push(chart);
      return nbc.charts.length - 1;
    },
    chart(i) { return nbc.charts[i]; },
    view(i) { return nbc.charts[i].host.querySelector(".nbc-chart").nbcChartView; },
    plot(i, name) { return nbc.view(i).plots().get(name); },
    append(i, header, b64) { nbc.charts[i].model.emit("msg:custom", header, [dataView(b64)]); },
    remove(i) {
      const chart = nbc.charts[i];
      if (chart.cleanup) chart.cleanup();
      chart.cleanup = null;
      chart.host.remove();
    },
    contrast(fg, bg) {
      const parse = (c) => c.match(/[\d.]+/g).slice(0, 3).map(Number);
      const lum = (rgb) => {
        const [r, g, b] = rgb.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      const [a, b] = [lum(parse(fg)), lum(parse(bg))];
      return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    },
  };
}
