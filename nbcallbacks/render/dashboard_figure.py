"""The dashboard's matplotlib figure: built once, updated with new data, PNG out.

No pyplot: the figure lives on its own Agg canvas, so it never touches the
user's figures or the inline backend, and it can be drawn from a worker thread.
The axes and line artists are created when the set of panels changes (a new
metric appears, the person hides one) and otherwise only receive new data via
``set_data``; draw time depends on the bounded number of points drawn, not on
the length of the history.
"""

from __future__ import annotations

import math
import threading
import weakref
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.transforms import blended_transform_factory

from nbcallbacks.records.column_table import TableSnapshot
from nbcallbacks.records.decimation import minmax_decimate
from nbcallbacks.records.events import Event
from nbcallbacks.records.metric_columns import LEARNING_RATE_PANEL, available_panels
from nbcallbacks.records.metric_names import higher_is_better
from nbcallbacks.records.metric_store import StoreSnapshot
from nbcallbacks.records.smoothing import ema
from nbcallbacks.render import palette
from nbcallbacks.render.chart_style import LABEL_SIZE, TITLE_SIZE, encode_png, style_axes
from nbcallbacks.render.event_colors import KIND_COLORS, event_label
from nbcallbacks.render.log_ticks import plain_label, scientific_label, use_log_ticks
from nbcallbacks.render.view_options import ViewOptions

NO_FINITE_VALUES = "no finite values"
TRAIN_COLOR = palette.TRAIN
VALIDATION_COLOR = palette.VALIDATION
MAX_COLUMNS = 3
COMPACT_FORMATTER = FuncFormatter(lambda value, _: f"{value:.4g}")

# Layout, in inches unless named otherwise. Fixed margins turned into figure
# fractions: layout engines cost tens of milliseconds per frame and would make
# the axes jump as tick labels change.
LEGEND_ROW_IN = 0.35      # added to the panels' height for the legend on top
LEFT_MARGIN_IN = 0.6      # room for the y tick labels
RIGHT_MARGIN_IN = 0.15
TOP_MARGIN_IN = 0.62      # the legend and the first row's titles
BOTTOM_MARGIN_IN = 0.45   # the last row's tick and axis labels
ROW_GAP_IN = 1.43         # between rows: tick labels, axis label, next title
COLUMN_GAP = 0.28         # between columns, as a fraction of a panel's width
X_LABEL_Y = -0.16         # the x axis label, in axes coordinates (below the tick labels)
PLACEHOLDER_SIZE = 12     # points: "waiting for the first batch…"
EVENT_LABEL_SIZE = 7
EVENT_LABEL_ROOM = 0.045  # share of the x range between two event names on a panel
MAX_EVENTS_DRAWN = 200    # the most recent; the event log lists all
# While training the x axis ends at the next round value above the data with this
# much room (at most the planned end); the final frame ends just after the data.
X_HEADROOM = 1.1
FINAL_X_ROOM = 1.02
PLANNED_RUN_DONE = 0.9    # a final frame this close to the planned end keeps that end
# Events drawn as full lines; all others are small ticks on the top edge.
# The x axis' label, per x axis of ViewOptions.
X_LABELS = {"steps": "step", "epochs": "epoch", "time": "time (s of training)"}
MAJOR_EVENT_KINDS = frozenset({"stop", "interrupt", "nan", "early_stopping", "best_weights",
                               "reduce_lr",
                               "lr_change", "lr_schedule", "mark", "backup_restore"})
# Set on each Axes by _rescale: its y limits were fitted to the current drawer's data.
_FITTED = "_nbcb_fitted"
# What the drawn markers depend on: fits, events, x axis, x limit.
_DecorationKey = tuple[int, tuple[tuple[int, str, str], ...], str, float]


@dataclass
class _PanelArtists:
    axes: Axes
    batch_raw: Line2D
    batch_smooth: Line2D
    epoch_train: Line2D
    epoch_val: Line2D
    best: Line2D
    no_finite_values: Text  # the panel's note, shown while nothing can be drawn
    log_scale: bool = False


class DashboardFigure:
    """Draw a :class:`~nbcallbacks.records.MetricStore` snapshot as a grid of panels.

    Args:
        width: figure width in pixels.
        panel_height: height of one row of panels in pixels.
        dpi: resolution; text sizes follow it.
        max_points: points per drawn series after min/max decimation.

    Example:
        >>> from nbcallbacks.records import MetricStore
        >>> store = MetricStore()
        >>> for step in range(100):
        ...     store.record_batch(epoch=0, batch=step, logs={"loss": 1 / (step + 1)})
        >>> store.record_epoch(epoch=0, logs={"loss": 0.05, "val_loss": 0.07})
        >>> png = DashboardFigure().render_png(store.snapshot())
        >>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
        True
    """

    def __init__(self, width: int = 960, panel_height: int = 250, dpi: int = 96,
                 max_points: int = 2000) -> None:
        self.width = width
        self.panel_height = panel_height
        self.dpi = dpi
        self.max_points = max_points
        self.figure = Figure(dpi=dpi, facecolor="white")
        FigureCanvasAgg(self.figure)
        self._layout: tuple[str, ...] | None = None
        self._panels: dict[str, _PanelArtists] = {}
        self._lr_artists: tuple[Axes, Line2D] | None = None
        self._decorations: list[Artist] = []
        self._placeholder: Text | None = None
        self._legend: Legend | None = None
        self._legend_key: tuple[str, ...] | None = None
        # The Agg renderer's saved region (a BufferRegion, which matplotlib does not type).
        self._background: object | None = None
        self._background_key: tuple[object, ...] | None = None
        self._decoration_key: _DecorationKey | None = None
        self.layout_builds = 0  # how often axes were (re)created; tests read it
        self.full_draws = 0     # how often the background was redrawn; tests read it
        # Held while drawing; the figure may be shared (shared_dashboard_figure).
        self.lock = threading.Lock()
        self._drawer: weakref.ref[object] | None = None  # who drew the marks last

    def drawn_for(self, drawer: object) -> None:
        """Say who the next frame is for (call with :attr:`lock` held). When it is not who
        drew the last one, the y limits are fitted to its data (they are otherwise kept
        while the data fills them) and the event markers drawn anew (the same steps are
        other times and epochs in another run). The axes, the costly part, are kept."""
        if self._drawer is None or self._drawer() is not drawer:
            self._drawer = weakref.ref(drawer)
            self._decoration_key = None
            for ax in self.figure.axes:
                setattr(ax, _FITTED, False)

    # -- layout ----------------------------------------------------------------
    def _build(self, panels: tuple[str, ...]) -> None:
        fig = self.figure
        fig.clear()
        self._panels, self._lr_artists, self._placeholder = {}, None, None
        self._legend, self._legend_key = None, None
        self._decorations = []
        self._background, self._background_key = None, None
        self._layout = panels
        self.layout_builds += 1
        count = max(1, len(panels))
        columns = min(MAX_COLUMNS, count)
        rows = math.ceil(count / columns)
        fig.set_size_inches(self.width / self.dpi,
                            rows * self.panel_height / self.dpi + LEGEND_ROW_IN)
        if not panels:
            self._placeholder = fig.text(0.5, 0.5, "waiting for the first batch…",
                                         ha="center", va="center", color=palette.PLACEHOLDER,
                                         fontsize=PLACEHOLDER_SIZE)
            return
        width, height = fig.get_figwidth(), fig.get_figheight()
        fig.subplots_adjust(left=LEFT_MARGIN_IN / width, right=1 - RIGHT_MARGIN_IN / width,
                            top=1 - TOP_MARGIN_IN / height, bottom=BOTTOM_MARGIN_IN / height,
                            wspace=COLUMN_GAP, hspace=ROW_GAP_IN * self.dpi / self.panel_height)
        grid = fig.add_gridspec(rows, columns)
        for index, name in enumerate(panels):
            ax = fig.add_subplot(grid[index // columns, index % columns])
            # Fixed title and label positions: matplotlib would otherwise measure
            # the tick labels on every draw to place them (~20 % of a frame).
            ax.set_title(name, fontsize=TITLE_SIZE, loc="left", fontweight="bold",
                         color=palette.TEXT, y=1.0)
            ax.xaxis.set_label_coords(0.5, X_LABEL_Y)
            style_axes(ax)
            ax.xaxis.set_major_locator(MaxNLocator(5, integer=True))
            ax.yaxis.set_major_locator(MaxNLocator(5))
            # Compact labels ("2e+33") instead of an offset text that would sit
            # on the panel title when a loss explodes.
            ax.yaxis.set_major_formatter(COMPACT_FORMATTER)
            if name == LEARNING_RATE_PANEL:
                (line,) = ax.plot([], [], color=palette.LEARNING_RATE, linewidth=1.6,
                                  drawstyle="steps-post", label="learning rate", animated=True)
                ax.set_yscale("log")
                # "5e-04", "1.2e-02": distinct labels whether the rate spans decades or
                # never changes (a constant rate leaves a sliver of a decade).
                use_log_ticks(ax.yaxis, scientific_label)
                self._lr_artists = (ax, line)
                continue
            artists = _PanelArtists(
                axes=ax,
                batch_raw=ax.plot([], [], color=palette.TRAIN, linewidth=0.8, alpha=0.45,
                                  label="train (per batch)")[0],
                batch_smooth=ax.plot([], [], color=palette.TRAIN, linewidth=1.3, alpha=0.9,
                                     label="train (smoothed)")[0],
                epoch_train=ax.plot([], [], color=palette.TRAIN, linewidth=1.8, marker="o",
                                    markersize=3.5, label="train (epoch)")[0],
                epoch_val=ax.plot([], [], color=palette.VALIDATION, linewidth=1.8, marker="o",
                                  markersize=3.5, label="validation (epoch)")[0],
                best=ax.plot([], [], linestyle="none", marker="*", markersize=11,
                             color=palette.BEST, markeredgecolor=palette.BEST_EDGE, zorder=5,
                             label="best")[0],
                # A metric that is NaN throughout (a correlation of a constant output)
                # would leave the panel blank without a word.
                no_finite_values=ax.text(0.5, 0.5, NO_FINITE_VALUES, transform=ax.transAxes,
                                         ha="center", va="center", color=palette.PLACEHOLDER,
                                         fontsize=TITLE_SIZE, visible=False),
            )
            self._panels[name] = artists
            for line in (artists.batch_raw, artists.batch_smooth, artists.epoch_train,
                         artists.epoch_val, artists.best):
                line.set_animated(True)

    def _update_legend(self, entries: tuple[str, ...]) -> None:
        """Show only the line kinds present; rebuilt only when that set changes."""
        if entries == self._legend_key or not self._panels:
            return
        if self._legend is not None:
            self._legend.remove()
        first = next(iter(self._panels.values()))
        by_label = {line.get_label(): line for line in first.axes.get_lines()}
        handles = [by_label[label] for label in entries if label in by_label]
        self._legend = self.figure.legend(handles=handles, loc="upper center",
                                          ncol=max(1, len(handles)), frameon=False,
                                          fontsize=LABEL_SIZE, bbox_to_anchor=(0.5, 1.0))
        self._legend_key = entries

    # -- drawing ---------------------------------------------------------------
    def update(self, snapshot: StoreSnapshot, view: ViewOptions = ViewOptions(),
               events: list[Event] | tuple = (), final: bool = False) -> None:
        """Put the snapshot's data into the figure (no drawing yet).

        While training (``final=False``) the x axis ends at the next round
        value (1, 2, 2.5 or 5 x 10^k) above the data, so the curves fill most of
        the width and the limit moves a few times per run, not every frame; the
        final frame fits the x axis to the data. The planned length is in the
        status line: an axis spanning it would squeeze the first epochs of a long
        run into a sliver at the left.
        """
        panels = tuple(p for p in available_panels(snapshot) if p not in view.hidden)
        if panels != self._layout:
            self._build(panels)
        if not panels:
            return
        positions = _Positions(snapshot, view.x_axis)
        for name, artists in self._panels.items():
            self._update_metric(name, artists, snapshot, positions, view)
        if self._lr_artists is not None:
            self._update_learning_rate(snapshot, positions)
        x_high = _x_limit(positions, snapshot, view.x_axis, final)
        for ax in self.figure.axes:
            if ax.get_xlim() != (0.0, x_high):
                ax.set_xlim(0.0, x_high)
            ax.set_xlabel(X_LABELS[view.x_axis], fontsize=LABEL_SIZE,
                          color=palette.TICK)
        events = list(events)[-MAX_EVENTS_DRAWN:]
        # Messages too: the background keeps the labels ("lr reduced to 0.001").
        decoration_key = (len(snapshot.fits), tuple((e.step, e.kind, e.message) for e in events),
                          view.x_axis, x_high)
        if decoration_key != self._decoration_key:
            for artist in self._decorations:
                artist.remove()
            self._decorations = []
            self._draw_markers(snapshot, positions, events)
            self._decoration_key = decoration_key
        self._update_legend(self._legend_entries(view))

    def _legend_entries(self, view: ViewOptions) -> tuple[str, ...]:
        present = []
        for label, attr in (("train (per batch)", "batch_raw"),
                            ("train (smoothed)", "batch_smooth"),
                            ("train (epoch)", "epoch_train"), ("validation (epoch)", "epoch_val"),
                            ("best", "best")):
            # Drawn = has a finite value (an all-NaN val_ line has x data but shows nothing).
            if any(_has_finite(getattr(a, attr).get_ydata()) for a in self._panels.values()):
                present.append(label)
        return tuple(present)

    def _update_metric(self, name: str, artists: _PanelArtists, snapshot: StoreSnapshot,
                       positions: _Positions, view: ViewOptions) -> None:
        batch_x, batch_y = positions.batch_x, snapshot.batches.column(name)
        if name in snapshot.batches and len(batch_y):
            bx, by = minmax_decimate(batch_x, batch_y, self.max_points)
        else:
            bx, by = np.empty(0), np.empty(0)
        artists.batch_raw.set_data(bx, by)
        if view.smoothing > 0 and len(by):
            artists.batch_smooth.set_data(bx, ema(by, view.smoothing))
            artists.batch_raw.set_alpha(0.2)
        else:
            artists.batch_smooth.set_data([], [])
            artists.batch_raw.set_alpha(0.45)
        train = _finite(snapshot.epochs.column(name))
        val = _finite(snapshot.epochs.column("val_" + name))
        artists.epoch_train.set_data(positions.epoch_x, train)
        artists.epoch_val.set_data(positions.epoch_x, val)
        # The best epoch of the validation curve when there is one, else of training.
        reference = val if np.isfinite(val).any() else train
        if np.isfinite(reference).any():
            pick = np.nanargmax if higher_is_better(name) else np.nanargmin
            best = int(pick(reference))
            artists.best.set_data([positions.epoch_x[best]], [reference[best]])
        else:
            artists.best.set_data([], [])
        ax = artists.axes
        values = np.concatenate([by[np.isfinite(by)], train[np.isfinite(train)],
                                 val[np.isfinite(val)]])
        artists.no_finite_values.set_visible(len(values) == 0)
        use_log = view.log_scale and len(values) > 0 and values.min() > 0
        if use_log != artists.log_scale:
            ax.set_yscale("log" if use_log else "linear")
            if use_log:
                # Decades alone leave a loss between 0.6 and 0.8 without a single
                # label: plain numbers at ticks chosen for the span.
                use_log_ticks(ax.yaxis, plain_label)
            else:
                ax.yaxis.set_major_locator(MaxNLocator(5))
                ax.yaxis.set_major_formatter(COMPACT_FORMATTER)
            artists.log_scale = use_log
        _rescale(ax, values, log=use_log)  # linear padding would go <= 0 on a log axis

    def _update_learning_rate(self, snapshot: StoreSnapshot, positions: _Positions) -> None:
        assert self._lr_artists is not None, "called only when there is a rate panel"
        ax, line = self._lr_artists
        table = snapshot.learning_rates
        if table.rows:
            x = positions.rate_x(table)
            y = _finite(table.column("learning_rate"))
        else:  # only the epoch logs carry it (LearningRateScheduler, ReduceLROnPlateau)
            x, y = positions.epoch_x, _finite(snapshot.epochs.column("learning_rate"))
        positive = y[np.isfinite(y) & (y > 0)]
        line.set_data(x, np.where(y > 0, y, np.nan))
        _rescale(ax, positive, log=True)

    def _draw_markers(self, snapshot: StoreSnapshot, positions: _Positions,
                      events: list[Event]) -> None:
        """Mark fits and events on every panel.

        Dotted lines show where a later ``fit`` began. Events that change the
        course of training (a stop, a rate change, a NaN, a user's mark) get a
        coloured dashed line, named on the first panel when there is room;
        routine ones (checkpoints, pauses) only a small triangle on the top
        edge, so that a save every epoch does not bury the curves.
        """
        lines = [(positions.x_for_steps(np.array([s]))[0], ":", f"fit {n}", palette.MUTED)
                 for n, s in enumerate((f.first_step for f in snapshot.fits[1:]), start=2)]
        ticks: dict[str, list[float]] = {}
        for event in events:  # the most recent ones; the event log lists all
            x = float(positions.x_for_steps(np.array([event.step]))[0])
            if event.kind in MAJOR_EVENT_KINDS:
                lines.append((x, "--", event_label(event.kind, event.message),
                              KIND_COLORS.get(event.kind, palette.MUTED)))
            else:
                ticks.setdefault(event.kind, []).append(x)
        for index, ax in enumerate(self.figure.axes):
            transform = blended_transform_factory(ax.transData, ax.transAxes)
            low, high = ax.get_xlim()
            room = EVENT_LABEL_ROOM * (high - low)
            last_label = None
            for x, style, label, colour in lines:
                self._decorations.append(ax.axvline(x, color=colour, linestyle=style,
                                                    linewidth=1.0, alpha=0.85, zorder=1))
                if index == 0 and (last_label is None or abs(x - last_label) > room):
                    last_label = x
                    self._decorations.append(ax.text(
                        x, 0.98, f" {label}", transform=transform, fontsize=EVENT_LABEL_SIZE,
                        color=colour,
                        va="top", ha="left", rotation=90 if style == "--" else 0,
                        clip_on=True))
            for kind, xs in ticks.items():
                self._decorations.append(ax.plot(
                    xs, [1.0] * len(xs), linestyle="none", marker="v", markersize=4,
                    color=KIND_COLORS.get(kind, palette.MUTED), transform=transform,
                    clip_on=False, zorder=6)[0])

    def render_png(self, snapshot: StoreSnapshot | None = None,
                   view: ViewOptions = ViewOptions(), events: list[Event] | tuple = (),
                   final: bool = False) -> bytes:
        """Update (when a snapshot is given), draw and encode as PNG bytes.

        Axes, ticks, labels, legend and markers are drawn once into a cached
        background, reused while none of them changes; a frame then only
        redraws the curves over it (text layout is most of a full draw).
        """
        if snapshot is not None:
            self.update(snapshot, view, events, final)
        canvas = self.figure.canvas
        assert isinstance(canvas, FigureCanvasAgg), "the figure's own canvas, made in __init__"
        key = self._frame_key()
        if key != self._background_key or self._background is None:
            canvas.draw()  # everything but the animated curves
            self._background = canvas.copy_from_bbox(self.figure.bbox)
            self._background_key = key
            self.full_draws += 1
        else:
            canvas.restore_region(self._background)
        for ax in self.figure.axes:
            for line in ax.get_lines():
                if line.get_animated():
                    ax.draw_artist(line)
        return encode_png(canvas)

    def _frame_key(self) -> tuple[object, ...]:
        """What the background depends on: limits, scales, legend, markers, notes, size."""
        axes = tuple((ax.get_xlim(), ax.get_ylim(), ax.get_yscale(), ax.get_xlabel())
                     for ax in self.figure.axes)
        notes = tuple(a.no_finite_values.get_visible() for a in self._panels.values())
        return (self._layout, axes, self._legend_key, self._decoration_key, notes,
                tuple(self.figure.get_size_inches()))


_shared_figures: dict[tuple[int, int], DashboardFigure] = {}
_shared_figures_lock = threading.Lock()


def shared_dashboard_figure(width: int = 960, max_points: int = 2000) -> DashboardFigure:
    """The process's figure of this size, which every dashboard draws with in turn.

    Building a figure's axes and ticks is ~40 % of a frame (~40 ms), and a notebook
    makes a new ``Dashboard`` for each ``fit``; the fits after the first then draw their
    static picture, or their frames, into axes already built. Draw with
    :attr:`DashboardFigure.lock` held, after :meth:`DashboardFigure.drawn_for`.

    Example:
        >>> shared_dashboard_figure(800) is shared_dashboard_figure(800)
        True
    """
    with _shared_figures_lock:
        key = (int(width), int(max_points))
        if key not in _shared_figures:
            _shared_figures[key] = DashboardFigure(width=width, max_points=max_points)
        return _shared_figures[key]


class _Positions:
    """x coordinates of batch and epoch rows for the chosen x axis."""

    def __init__(self, snapshot: StoreSnapshot, x_axis: str) -> None:
        self.x_axis = x_axis
        self._per_epoch = snapshot.batches_per_epoch
        batches = snapshot.batches
        epochs = snapshot.epochs
        if x_axis == "steps":
            # Steps are counted as "batches done": the first batch ends at 1.
            self.batch_x = batches.column("step").astype(np.float64) + 1
            self.epoch_x = epochs.column("step").astype(np.float64)
        elif x_axis == "time":
            self.batch_x = batches.column("seconds").astype(np.float64)
            self.epoch_x = epochs.column("seconds").astype(np.float64)
        else:
            self.batch_x = self._fractional_epoch(batches.column("epoch"),
                                                  batches.column("batch"))
            self.epoch_x = epochs.column("epoch").astype(np.float64) + 1
        self._step_table = (batches.column("step"), self.batch_x)

    def _fractional_epoch(self, epoch: np.ndarray, batch: np.ndarray) -> np.ndarray:
        if len(epoch) == 0:
            return np.empty(0)
        lookup = np.ones(int(epoch.max()) + 1)
        for index, count in self._per_epoch.items():
            if index < len(lookup):
                lookup[index] = max(count, 1)
        return epoch + (batch + 1) / lookup[epoch]

    def rate_x(self, rates: TableSnapshot) -> np.ndarray:
        """x of the learning-rate readings (their table carries every position)."""
        column = {"steps": "step", "epochs": "epoch", "time": "seconds"}[self.x_axis]
        return rates.column(column).astype(np.float64)

    def x_for_steps(self, steps: npt.ArrayLike) -> np.ndarray:
        """x of arbitrary step positions (events, fit boundaries)."""
        steps = np.asarray(steps, dtype=np.float64)
        if self.x_axis == "steps":
            return steps
        known_steps, known_x = self._step_table
        if len(known_steps) == 0:
            return np.zeros(len(steps))
        # A step s is "after s batches": interpolate the batch positions.
        return np.interp(steps, known_steps.astype(np.float64) + 1, known_x,
                         left=0.0)


def _has_finite(values: npt.ArrayLike) -> bool:
    return bool(np.isfinite(np.asarray(values, dtype=np.float64)).any())


def _finite(values: np.ndarray) -> np.ndarray:
    values = np.asarray(values, dtype=np.float64)
    return np.where(np.isfinite(values), values, np.nan)


def _x_limit(positions: _Positions, snapshot: StoreSnapshot, x_axis: str, final: bool) -> float:
    """Right end of the x axis.

    While training: the next round value above the data with some headroom,
    never past the planned end of the current fit (when known). It changes
    only when the data reaches it, a few times per run, so most frames reuse
    the drawn background. At the end: the data's end with a little room, or
    the planned end when the run got there.
    """
    data_end = max([float(np.nanmax(a)) for a in (positions.batch_x, positions.epoch_x)
                    if len(a)] + [1.0])
    planned = None
    fit = snapshot.fits[-1] if snapshot.fits else None
    if fit is not None and fit.epochs:
        if x_axis == "epochs":
            planned = float(fit.epochs)
        elif x_axis == "steps" and fit.steps_per_epoch:
            planned = float(fit.first_step
                            + (fit.epochs - fit.initial_epoch) * fit.steps_per_epoch)
    fitting_plan = planned if planned is not None and planned >= data_end else None
    if final:
        if fitting_plan is not None and data_end >= PLANNED_RUN_DONE * fitting_plan:
            return fitting_plan  # the run went as planned: keep the frame and its background
        return data_end * FINAL_X_ROOM
    limit = _nice_ceiling(data_end * X_HEADROOM)
    return min(limit, fitting_plan) if fitting_plan is not None else limit


def _nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 x 10^k at or above ``value``."""
    exponent = math.floor(math.log10(value))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if step * 10 ** exponent >= value:
            return step * 10 ** exponent
    return 10.0 ** (exponent + 1)


def _rescale(ax: Axes, values: np.ndarray, log: bool = False) -> None:
    """Fit the y axis to ``values`` with a margin, but keep the current limits
    while the data still fills most of them: every change of limits costs a
    full redraw of the background."""
    if len(values) == 0:
        return
    low, high = float(values.min()), float(values.max())
    if log:
        low, high = max(low, 1e-12), max(high, 1e-12)
        if high / low < 1.5:
            low, high = low / 1.5, high * 1.5
        else:
            low, high = low / 1.15, high * 1.15
    else:
        span = high - low or max(abs(high), 1.0) * 0.1
        low, high = low - 0.06 * span, high + 0.06 * span
    current_low, current_high = ax.get_ylim()
    if log:
        inside = current_low > 0 and current_low <= low and high <= current_high
        filled = inside and (math.log(high / low) >= 0.7 * math.log(current_high / current_low))
    else:
        inside = current_low <= low and high <= current_high
        filled = inside and (high - low) >= 0.7 * (current_high - current_low)
    if not (inside and filled and getattr(ax, _FITTED, False)):
        ax.set_ylim(*_snap(low, high, log))
        setattr(ax, _FITTED, True)


def _snap(low: float, high: float, log: bool) -> tuple[float, float]:
    """Widen limits to round values (a tenth of the span, or 0.1 decade), so
    that a curve creeping past its limit does not move the axis every frame."""
    if log:
        return (10 ** (math.floor(math.log10(low) * 10) / 10),
                10 ** (math.ceil(math.log10(high) * 10) / 10))
    unit = _nice_ceiling((high - low) / 10)
    return math.floor(low / unit) * unit, math.ceil(high / unit) * unit
