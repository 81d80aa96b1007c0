// comparison_widget.js — the anywidget entry of `nbcallbacks.compare`: the runs, the
// panel names, the run table and the title are synced traits; the kernel rewrites them
// as live runs grow, and the view redraws what changed.

import { ComparisonView } from "./comparison_view.js";

function renderComparison({ model, el }) {
  const view = new ComparisonView(el, { scale: model.get("scale") });
  const update = () => view.setData({ runs: model.get("runs"), panels: model.get("panels"),
                                      table: model.get("table"), title: model.get("title") });
  // The traits change together in one kernel message: redraw once, after all of them.
  let pending = false;
  const changed = () => {
    if (pending) return;
    pending = true;
    queueMicrotask(() => {
      pending = false;
      update();
    });
  };
  const names = ["change:runs", "change:panels", "change:table", "change:title"];
  for (const name of names) model.on(name, changed);
  update();
  return () => {
    for (const name of names) model.off(name, changed);
    view.destroy();
  };
}

export default { render: renderComparison };
