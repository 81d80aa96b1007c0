// widget.js — the anywidget entry: connects the kernel's model to the chart.
//
// On render: build the run's data from the `snapshot` traits, draw, and tell the kernel
// "ready" with the rows held (it then sends what is missing). Afterwards the kernel
// sends new rows as custom "append" messages; a gap in them is answered with "need".
// The person's changes of the view options are written back to the `view` trait.
// The cleanup returned by render() removes every listener it added, so re-running a
// cell (or closing the output) leaves nothing behind.

import { ChartView } from "./chart_view.js";
import { RunData } from "./run_data.js";

/** A buffer as widget managers deliver it (DataView, Uint8Array, ArrayBuffer), or null. */
function firstBuffer(buffers) {
  if (!buffers) return null;
  if (Array.isArray(buffers) || typeof buffers.length === "number") return buffers[0] ?? null;
  return buffers;
}

function renderChart({ model, el }) {
  const run = new RunData();
  const view = new ChartView(el, {
    scale: model.get("scale"),
    title: model.get("title"),
    onViewChange: (next) => {
      model.set("view", next);
      model.save_changes();
    },
  });
  view.setRun(run);
  const listeners = [];
  const listen = (name, callback) => {
    model.on(name, callback);
    listeners.push([name, callback]);
  };
  const send = (kind) => model.send({ kind, rows: run.contiguousRows() });

  let snapshotPending = false;
  let loaded = false;
  const loadSnapshot = () => {
    snapshotPending = false;
    // A live view already holds every row the snapshot has (the kernel refreshes it for
    // views that open later): reloading would only trade full rows for thinned ones.
    if (loaded && !run.lacksRows(model.get("snapshot_header"))) return;
    loaded = true;
    try {
      run.loadSnapshot(model.get("snapshot_header"), model.get("snapshot"));
    } catch (error) {
      // A header and its buffer change together; a mismatch means one is still on its
      // way. Keep the chart alive: the kernel's appends or next snapshot repair it.
      console.warn("nbcallbacks chart: snapshot not loaded:", error);
    }
    view.dataChanged();
  };
  // Both snapshot traits change in one kernel message, firing two change events in
  // a row: load once, after both.
  const snapshotChanged = () => {
    if (snapshotPending) return;
    snapshotPending = true;
    queueMicrotask(loadSnapshot);
  };

  const onMessage = (content, buffers) => {
    if (!content || content.kind !== "append") return;
    let gap = false;
    try {
      gap = run.applyAppend(content, firstBuffer(buffers));
    } catch (error) {
      console.warn("nbcallbacks chart: rows not applied:", error);
      gap = true;
    }
    if (gap) send("need");
    view.dataChanged();
  };

  listen("change:snapshot_header", snapshotChanged);
  listen("change:snapshot", snapshotChanged);
  // The panels in display order.
  const panels = () => model.get("panels");
  listen("change:panels", () => view.setLayout(panels()));
  listen("change:events", () => view.setEvents(model.get("events")));
  listen("change:fits", () => view.setFits(model.get("fits")));
  listen("change:view", () => view.setView(model.get("view")));
  listen("change:scale", () => view.setScale(model.get("scale")));
  listen("change:title", () => view.setTitle(model.get("title")));
  listen("msg:custom", onMessage);

  view.setLayout(panels());
  view.setEvents(model.get("events"));
  view.setFits(model.get("fits"));
  view.setView(model.get("view"));
  loadSnapshot();
  // Proof that the chart rendered, and which rows it holds: the kernel sends the rest.
  send("ready");

  return () => {
    for (const [name, callback] of listeners) model.off(name, callback);
    listeners.length = 0;
    view.destroy();
  };
}

export default { render: renderChart };
