"""The hook calls as a timeline a class can read: batch-level calls folded, hooks filtered.

A fit of 3 epochs of 100 batches makes 600 batch-level calls around a dozen
others; folding each uninterrupted run of batch-level calls into one entry
keeps the shape of the lifecycle visible. Used by the printed timeline and by
the timeline widget alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from nbcallbacks.tracer.hook_call import HookCall, format_hook_call


@dataclass(frozen=True)
class FoldedBatches:
    """An uninterrupted run of batch-level calls, folded into one timeline entry.

    Attributes:
        method, run, depth, epoch: as in the :class:`HookCall` records folded.
        hooks: ``(hook, count)`` pairs in first-seen order.
        first_batch, last_batch: the batch indices covered.
        calls: how many calls were folded.
    """

    method: str
    run: int
    depth: int
    epoch: int | None
    hooks: tuple
    first_batch: int | None
    last_batch: int | None
    calls: int

    def describe(self) -> str:
        """``'8 batch calls: on_train_batch_begin ×4, on_train_batch_end ×4 (batches 0–3)'``."""
        hooks = ", ".join(f"{hook} ×{count}" for hook, count in self.hooks)
        batches = ""
        if self.first_batch is not None:
            batches = (f" (batch {self.first_batch})" if self.first_batch == self.last_batch
                       else f" (batches {self.first_batch}–{self.last_batch})")
        noun = "call" if self.calls == 1 else "calls"
        return f"{self.calls} batch {noun}: {hooks}{batches}"


def hook_filter_terms(text: str | None) -> tuple[str, ...]:
    """Split a filter text into lower-case terms: ``"epoch, test"`` -> ``('epoch', 'test')``."""
    return tuple(term for term in re.split(r"[\s,;|]+", (text or "").lower()) if term)


def matches_filter(hook: str, terms: tuple[str, ...]) -> bool:
    """Whether a hook name contains any of the terms (no terms: everything matches)."""
    return not terms or any(term in hook for term in terms)


def timeline_entries(calls: Iterable[HookCall], batches: bool = True,
                     hook_filter: str | None = None) -> list[HookCall | FoldedBatches]:
    """The calls to show, in order: :class:`HookCall` records and, when
    ``batches`` is False, :class:`FoldedBatches` in place of each run of
    batch-level calls. ``hook_filter`` keeps only hooks whose names contain
    one of its terms (a folded run is kept with the matching hooks only).

    Example:
        >>> calls = [HookCall(h, "fit", 1, 0, i, 0, {}, 0.0) for h, i in
        ...          [("on_epoch_begin", 0), ("on_train_batch_begin", 0),
        ...           ("on_train_batch_end", 0), ("on_train_batch_begin", 1),
        ...           ("on_train_batch_end", 1), ("on_epoch_end", 0)]]
        >>> for entry in timeline_entries(calls, batches=False):
        ...     print(entry.hook if isinstance(entry, HookCall) else entry.describe())
        on_epoch_begin
        4 batch calls: on_train_batch_begin ×2, on_train_batch_end ×2 (batches 0–1)
        on_epoch_end
        >>> [entry.hook for entry in timeline_entries(calls, hook_filter="epoch")]
        ['on_epoch_begin', 'on_epoch_end']
    """
    terms = hook_filter_terms(hook_filter)
    entries: list[HookCall | FoldedBatches] = []
    folding: list[HookCall] = []

    def fold() -> None:
        if folding:
            entries.append(_fold(folding))
            folding.clear()

    for call in calls:
        if not matches_filter(call.hook, terms):
            continue
        if not batches and call.level == "batch":
            if folding and (folding[-1].run, folding[-1].depth) != (call.run, call.depth):
                fold()
            folding.append(call)
            continue
        fold()
        entries.append(call)
    fold()
    return entries


def _fold(calls: list[HookCall]) -> FoldedBatches:
    counts: dict[str, int] = {}
    for call in calls:
        counts[call.hook] = counts.get(call.hook, 0) + 1
    indices = [call.index for call in calls if call.index is not None]
    first = calls[0]
    return FoldedBatches(first.method, first.run, first.depth, first.epoch,
                         tuple(counts.items()), min(indices) if indices else None,
                         max(indices) if indices else None, len(calls))


def format_folded_batches(entry: FoldedBatches) -> str:
    """The printed line of a folded run, aligned with :func:`format_hook_call` lines.

    Example:
        >>> entry = FoldedBatches("fit", 1, 0, 0, (("on_train_batch_begin", 2),), 0, 1, 2)
        >>> format_folded_batches(entry)
        'fit      … 2 batch calls: on_train_batch_begin ×2 (batches 0–1)'
    """
    return f"{entry.method:<8} {'  ' * entry.depth}… {entry.describe()}"


def timeline_lines(calls: Iterable[HookCall], batches: bool = True, values: bool = True,
                   hook_filter: str | None = None) -> list[str]:
    """The timeline as printed lines (see :func:`timeline_entries` for the options)."""
    return [format_hook_call(entry, values) if isinstance(entry, HookCall)
            else format_folded_batches(entry)
            for entry in timeline_entries(calls, batches, hook_filter)]
