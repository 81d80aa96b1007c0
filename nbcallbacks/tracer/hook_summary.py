"""The table a teacher shows: per Keras method, each hook in the order first called,
how often it was called and which log keys it received."""

from __future__ import annotations

import html
from dataclasses import dataclass

from nbcallbacks.tracer.hook_call import HookCall


@dataclass(frozen=True)
class HookSummaryRow:
    """One hook of one Keras method: ``calls`` times, with these ``log_keys``."""

    method: str
    hook: str
    calls: int
    log_keys: tuple[str, ...]


class HookSummary:
    """Counts of hook calls, kept up to date one call at a time (O(1) each).

    Counts include calls a tracer did not store (``max_batch_calls``).

    Example:
        >>> summary = HookSummary()
        >>> for hook, logs in [("on_train_begin", {}), ("on_epoch_end", {"loss": 0.5}),
        ...                    ("on_epoch_end", {"loss": 0.4}), ("on_train_end", {"loss": 0.4})]:
        ...     summary.add(HookCall(hook, "fit", 1, 0, None, None, logs, 0.0))
        >>> print(summary)
        method  hook            calls  log keys
        fit     on_train_begin      1  —
        fit     on_epoch_end        2  loss
        fit     on_train_end        1  loss
    """

    def __init__(self) -> None:
        self._counts: dict[tuple[str, str], int] = {}
        self._keys: dict[tuple[str, str], dict[str, None]] = {}

    def add(self, call: HookCall) -> None:
        key = (call.method, call.hook)
        self._counts[key] = self._counts.get(key, 0) + 1
        keys = self._keys.setdefault(key, {})
        for name in call.logs:
            keys.setdefault(name, None)

    @property
    def rows(self) -> list[HookSummaryRow]:
        """Grouped by method (in first-seen order), hooks in first-call order."""
        methods = list(dict.fromkeys(method for method, _ in self._counts))
        return [HookSummaryRow(method, hook, count, tuple(self._keys[(method, hook)]))
                for method in methods
                for (row_method, hook), count in self._counts.items() if row_method == method]

    def __len__(self) -> int:
        return len(self._counts)

    def __str__(self) -> str:
        rows = self.rows
        if not rows:
            return "no hook calls recorded"
        table = [("method", "hook", "calls", "log keys")] + [
            (row.method, row.hook, str(row.calls), ", ".join(row.log_keys) or "—")
            for row in rows]
        widths = [max(len(line[column]) for line in table) for column in range(3)]
        return "\n".join(f"{m:<{widths[0]}}  {h:<{widths[1]}}  {c:>{widths[2]}}  {k}".rstrip()
                         for m, h, c, k in table)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        rows = self.rows
        if not rows:
            return "<i>no hook calls recorded</i>"
        cell = "padding:2px 10px;text-align:left;"
        head = "".join(f'<th style="{cell}border-bottom:1px solid #ccc">{name}</th>'
                       for name in ("method", "hook", "calls", "log keys"))
        body = "".join(
            f'<tr><td style="{cell}">{html.escape(row.method)}</td>'
            f'<td style="{cell}"><code>{html.escape(row.hook)}</code></td>'
            f'<td style="{cell}text-align:right">{row.calls}</td>'
            f'<td style="{cell}">{html.escape(", ".join(row.log_keys) or "—")}</td></tr>'
            for row in rows)
        return (f'<table style="border-collapse:collapse;font:12px/1.5 ui-monospace,Menlo,'
                f'Consolas,monospace"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')
