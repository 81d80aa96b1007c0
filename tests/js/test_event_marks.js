// Event styles and label layout (nbcallbacks/chart/js/event_marks.js).
import { eventStyle, layoutLabels, legendKinds } from "../../nbcallbacks/chart/js/event_marks.js";
import { deepEqual, equal, ok } from "./assert.js";

const CHAR = 7; // a fake font: every character 7 px wide
const measure = (text) => text.length * CHAR;

function checkLayout(placed, items, width, gap = 6) {
  for (const label of placed) {
    ok(label.left >= 0 && label.left + label.width <= width + 1e-9,
       `"${label.text}" [${label.left}, ${label.left + label.width}] leaves the panel of ${width}`);
  }
  for (const a of placed) {
    for (const b of placed) {
      if (a === b || a.row !== b.row) continue;
      const apart = a.left + a.width + gap <= b.left + 1e-9 || b.left + b.width + gap <= a.left + 1e-9;
      ok(apart, `"${a.text}" and "${b.text}" overlap in row ${a.row}`);
    }
  }
  const accounted = placed.reduce((n, label) => n + label.items.length, 0);
  equal(accounted, items.filter((item) => item.x >= 0 && item.x <= width).length, "every event stands somewhere");
}

export function test_styles_of_kinds() {
  deepEqual(eventStyle({ kind: "stop", message: "Stop pressed" }),
            { kind: "stop", family: "stop", legend: "stopped", label: "stopped", major: true, priority: 5,
              hidden: false });
  equal(eventStyle({ kind: "nan" }).label, "NaN");
  equal(eventStyle({ kind: "early_stopping" }).label, "stopped early");
  equal(eventStyle({ kind: "best_weights" }).label, "best weights restored");
  equal(eventStyle({ kind: "best_weights" }).label, "best weights restored");
  equal(eventStyle({ kind: "reduce_lr" }).family, "rate");
  equal(eventStyle({ kind: "checkpoint" }).major, false);
  equal(eventStyle({ kind: "csv_logger" }).hidden, true);
  const mark = eventStyle({ kind: "mark", message: "switched to fine-tuning" });
  deepEqual([mark.label, mark.legend, mark.family], ["switched to fine-tuning", "your mark", "mark"]);
  deepEqual([eventStyle({ kind: "some_new_kind" }).label, eventStyle({ kind: "some_new_kind" }).family],
            ["some new kind", "routine"]);
}

export function test_legend_lists_each_kind_once_in_order() {
  const kinds = legendKinds([{ kind: "checkpoint" }, { kind: "reduce_lr" }, { kind: "checkpoint" },
                             { kind: "csv_logger" }, { kind: "stop" }]);
  deepEqual(kinds.map((k) => k.legend), ["stopped", "rate reduced", "checkpoint saved"]);
}

export function test_sparse_labels_sit_right_of_their_lines() {
  const items = [{ x: 10, text: "stopped" }, { x: 200, text: "rate reduced" }];
  const placed = layoutLabels(items, 400, measure);
  deepEqual(placed.map((l) => [l.text, l.row, l.left]), [["stopped", 0, 14], ["rate reduced", 0, 204]]);
  checkLayout(placed, items, 400);
}

export function test_label_near_the_right_edge_flips_left() {
  const items = [{ x: 395, text: "stopped" }];
  const placed = layoutLabels(items, 400, measure);
  equal(placed[0].left, 395 - 4 - measure("stopped"));
  checkLayout(placed, items, 400);
}

export function test_a_crowded_label_goes_left_of_its_line() {
  const items = [{ x: 100, text: "stopped", priority: 5 }, { x: 90, text: "NaN" }];
  const placed = layoutLabels(items, 400, measure);
  deepEqual(placed.map((l) => [l.text, l.left]), [["NaN", 90 - 4 - 21], ["stopped", 104]]);
  checkLayout(placed, items, 400);
}

export function test_important_labels_keep_their_place() {
  // A checkpoint first in x, but the person's mark matters more.
  const items = [{ x: 100, text: "checkpoint saved", priority: 0 }, { x: 110, text: "fine-tuning", priority: 4 }];
  const placed = layoutLabels(items, 400, measure);
  ok(placed.some((l) => l.text === "fine-tuning" && !l.group), "the mark is written out");
  ok(placed.some((l) => l.group && l.items[0].text === "checkpoint saved"), "the checkpoint folds into +1");
  checkLayout(placed, items, 400);
}

export function test_crowds_fold_into_groups() {
  const items = [0, 1, 2, 3, 4].map((i) => ({ x: 100 + i * 5, text: `event ${i}` }));
  const placed = layoutLabels(items, 400, measure);
  const group = placed.find((l) => l.group);
  ok(group, "a +N group");
  equal(placed.filter((l) => !l.group).length, 1, "the first label written out");
  equal(group.text, "+4");
  checkLayout(placed, items, 400);
  const rowsOfTwo = layoutLabels(items, 400, measure, { rows: 2 });
  equal(rowsOfTwo.filter((l) => !l.group).length, 2, "a second row holds one more");
  checkLayout(rowsOfTwo, items, 400);
}

export function test_too_long_label_is_shortened() {
  const items = [{ x: 50, text: "x".repeat(100) }];
  const placed = layoutLabels(items, 200, measure);
  ok(placed[0].text.endsWith("…"));
  checkLayout(placed, items, 200);
  const capped = layoutLabels(items, 200, measure, { maxWidth: 70 });
  ok(capped[0].width <= 70 && capped[0].text.endsWith("…"), "maxWidth caps a label");
}

export function test_never_overlaps_on_random_layouts() {
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const words = ["stopped", "NaN", "rate reduced", "checkpoint saved", "switched to fine-tuning", "fit 2"];
  for (let round = 0; round < 300; round++) {
    const width = 60 + Math.floor(random() * 700);
    const count = Math.floor(random() * 40);
    const items = Array.from({ length: count }, () => ({
      x: random() * (width + 40) - 20, text: words[Math.floor(random() * words.length)],
      priority: Math.floor(random() * 5) }));
    const rows = 1 + Math.floor(random() * 3);
    const placed = layoutLabels(items, width, measure, { rows });
    ok(placed.every((l) => l.row < rows), "rows respected");
    checkLayout(placed, items, width);
  }
}

export function test_nothing_fits_in_no_width() {
  deepEqual(layoutLabels([{ x: 0, text: "stopped" }], 0, measure), []);
}
