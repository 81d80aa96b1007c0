// toolbar.js — the controls above the chart: log y, smoothing, x axis, reset zoom and
// one chip per panel to show or hide it.
//
// The toolbar only reports what the person changed (`onChange({smoothing: 0.6})`);
// the chart view applies it and writes it back to the kernel. Listeners are added with
// the view's AbortSignal, so destroying the view removes them all at once.

import { makeElement } from "./dom.js";
import { X_AXIS_CHOICES } from "./positions.js";

/** The controls; `update()` shows a view's state without firing `onChange`. */
export class Toolbar {
  /**
   * @param {HTMLElement} parent
   * @param {AbortSignal} signal aborts every listener added here
   * @param {(change: object) => void} onChange a partial view: {log_scale}, {smoothing},
   *   {x_axis}, {hidden}; `final` is true once a slider is released
   * @param {() => void} onResetZoom
   */
  constructor(parent, signal, onChange, onResetZoom) {
    this.signal = signal;
    this.onChange = onChange;
    this.hidden = [];
    this.panelNames = [];
    this.root = makeElement("div", "nbc-chart-toolbar", { role: "toolbar", "aria-label": "Chart options" });

    this.logInput = makeElement("input", "nbc-chart-switch-input", { type: "checkbox", "data-control": "log" });
    this.logLabel = makeElement("label", "nbc-chart-control nbc-chart-switch");
    this.logLabel.append(this.logInput, makeElement("span", "nbc-chart-switch-track"),
                         makeElement("span", "nbc-chart-control-text", null, "Log y"));
    this.logInput.addEventListener("change", () => onChange({ log_scale: this.logInput.checked }), { signal });

    this.smoothingInput = makeElement("input", "nbc-chart-slider", {
      type: "range", min: "0", max: "0.99", step: "0.01", "data-control": "smoothing",
      "aria-label": "Smoothing" });
    this.smoothingValue = makeElement("output", "nbc-chart-slider-value", null, "0.00");
    const smoothing = makeElement("label", "nbc-chart-control");
    smoothing.append(makeElement("span", "nbc-chart-control-text", null, "Smoothing"),
                     this.smoothingInput, this.smoothingValue);
    smoothing.title = "Exponential moving average of the per-batch curves (as TensorBoard)";
    // Dragging redraws at once; the kernel hears the value when the slider is released.
    const smoothed = (final) => {
      const value = Math.min(0.99, Math.max(0, Number(this.smoothingInput.value) || 0));
      this.smoothingValue.textContent = value.toFixed(2);
      onChange({ smoothing: value, final });
    };
    this.smoothingInput.addEventListener("input", () => smoothed(false), { signal });
    this.smoothingInput.addEventListener("change", () => smoothed(true), { signal });

    this.axisSelect = makeElement("select", "nbc-chart-select",
                                  { "data-control": "x-axis", "aria-label": "x axis" });
    for (const value of X_AXIS_CHOICES) {
      this.axisSelect.append(makeElement("option", null, { value }, value));
    }
    const axis = makeElement("label", "nbc-chart-control");
    axis.append(makeElement("span", "nbc-chart-control-text", null, "x axis"), this.axisSelect);
    this.axisSelect.addEventListener("change", () => onChange({ x_axis: this.axisSelect.value }), { signal });

    this.resetButton = makeElement("button", "nbc-chart-button",
                                   { type: "button", "data-control": "reset-zoom" }, "Reset zoom");
    this.resetButton.title = "Show the whole run (or double-click a panel)";
    this.resetButton.addEventListener("click", () => onResetZoom(), { signal });

    this.chips = makeElement("div", "nbc-chart-chips", { role: "group", "aria-label": "Panels" });
    const controls = makeElement("div", "nbc-chart-controls");
    controls.append(this.logLabel, smoothing, axis, this.resetButton);
    this.root.append(controls, this.chips);
    parent.append(this.root);
  }

  _buildChips(names) {
    this.chips.replaceChildren();
    for (const name of names) {
      const input = makeElement("input", null, { type: "checkbox", "data-panel": name });
      const chip = makeElement("label", "nbc-chart-chip", { "data-panel": name });
      chip.append(input, makeElement("span", null, null, name));
      input.addEventListener("change", () => {
        const hidden = this.hidden.filter((n) => n !== name);
        if (!input.checked) hidden.push(name);
        this.onChange({ hidden });
      }, { signal: this.signal });
      this.chips.append(chip);
    }
    this.panelNames = names;
  }

  /**
   * Show the view's state.
   * @param {{log_scale: boolean, smoothing: number, x_axis: string, hidden: string[]}} view
   * @param {string[]} panelNames every panel of the layout, hidden ones included
   * @param {{zoomed: boolean, logNote: string}} state `logNote` explains panels that
   *   stay linear although log y is on
   */
  update(view, panelNames, state) {
    this.hidden = [...view.hidden];
    this.logInput.checked = Boolean(view.log_scale);
    this.logLabel.title = state.logNote ||
      "Logarithmic y axis on panels whose values are all positive (the learning rate always is)";
    this.logLabel.classList.toggle("nbc-chart-control-noted", Boolean(view.log_scale && state.logNote));
    if (document.activeElement !== this.smoothingInput) {
      this.smoothingInput.value = String(view.smoothing);
    }
    this.smoothingValue.textContent = Number(view.smoothing).toFixed(2);
    this.axisSelect.value = view.x_axis;
    this.resetButton.disabled = !state.zoomed;
    if (panelNames.join("\n") !== this.panelNames.join("\n")) this._buildChips(panelNames);
    for (const input of this.chips.querySelectorAll("input")) {
      input.checked = !this.hidden.includes(input.dataset.panel);
    }
    this.chips.hidden = panelNames.length < 2;
  }
}
