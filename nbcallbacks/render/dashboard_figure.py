"""The dashboard's matplotlib figure: built once, updated with new data, PNG out.

No pyplot: the figure lives on its own Agg canvas, so it never touches the
user's figures or the inline backend, and it can be drawn from a worker thread.
The axes and line artists are created when the set of panels changes (a new
metric appears, the person hides one) and otherwise only receive new data via
``set_data``; draw time depends on the bounded number of points drawn, not on
the length of the history.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator
from matplotlib.transforms import blended_transform_factory

from nbcallbacks.core.decimation import minmax_decimate
from nbcallbacks.core.events import Event
from nbcallbacks.core.metric_names import higher_is_better, panel_names
from nbcallbacks.core.metric_store import POSITION_COLUMNS, StoreSnapshot
from nbcallbacks.core.smoothing import ema
from nbcallbacks.core.view_options import ViewOptions
from nbcallbacks.render.event_colors import KIND_COLORS

LEARNING_RATE_PANEL = "learning rate"
TRAIN_COLOR = "#1f77b4"
VALIDATION_COLOR = "#e8710a"
LEARNING_RATE_COLOR = "#2ca02c"
EVENT_COLOR = "#7a7a7a"
MAX_COLUMNS = 3
COMPACT_FORMATTER = FuncFormatter(lambda value, _: f"{value:.4g}")
# Events drawn as full lines; all others are small ticks on the top edge.
MAJOR_EVENT_KINDS = frozenset({"stop", "interrupt", "nan", "early_stopping", "reduce_lr",
                               "lr_change", "lr_schedule", "mark", "backup_restore"})


@dataclass
class _PanelArtists:
    axes: object
    batch_raw: object
    batch_smooth: object
    epoch_train: object
    epoch_val: object
    best: object
    log_scale: bool = False


def available_panels(snapshot: StoreSnapshot) -> list[str]:
    """Metric panels the data supports, plus the learning-rate panel when known."""
    keys = [n for n in snapshot.batches.names + snapshot.epochs.names
            if n not in POSITION_COLUMNS]
    panels = panel_names(keys)
    has_lr = snapshot.learning_rates.rows > 0 or "learning_rate" in snapshot.epochs.names
    return panels + ([LEARNING_RATE_PANEL] if has_lr else [])


class DashboardFigure:
    """Draw a :class:`~nbcallbacks.core.MetricStore` snapshot as a grid of panels.

    Args:
        width: figure width in pixels.
        panel_height: height of one row of panels in pixels.
        dpi: resolution; text sizes follow it.
        max_points: points per drawn series after min/max decimation.

    Example:
        >>> from nbcallbacks.core import MetricStore
        >>> store = MetricStore()
        >>> for step in range(100):
        ...     store.record_batch(epoch=0, batch=step, logs={"loss": 1 / (step + 1)})
        >>> store.record_epoch(epoch=0, logs={"loss": 0.05, "val_loss": 0.07})
        >>> png = DashboardFigure().render_png(store.snapshot())
        >>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
        True
    """

    def __init__(self, width: int = 960, panel_height: int = 250, dpi: int = 96,
                 max_points: int = 2000):
        self.width = width
        self.panel_height = panel_height
        self.dpi = dpi
        self.max_points = max_points
        self.figure = Figure(dpi=dpi, facecolor="white")
        FigureCanvasAgg(self.figure)
        self._layout: tuple[str, ...] | None = None
        self._panels: dict[str, _PanelArtists] = {}
        self._lr_artists = None
        self._decorations: list = []
        self._placeholder = None
        self._legend, self._legend_key = None, None
        self._background, self._background_key = None, None
        self._decoration_key = None
        self.layout_builds = 0  # how often axes were (re)created; tests read it
        self.full_draws = 0     # how often the background was redrawn; tests read it

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
        fig.set_size_inches(self.width / self.dpi, rows * self.panel_height / self.dpi + 0.35)
        if not panels:
            self._placeholder = fig.text(0.5, 0.5, "waiting for the first batch…",
                                         ha="center", va="center", color="#888888",
                                         fontsize=12)
            return
        height = fig.get_figheight()
        # Fixed margins in inches, turned into fractions: layout engines cost
        # tens of milliseconds per frame and would make the axes jump.
        fig.subplots_adjust(left=0.6 / fig.get_figwidth() * (1 if columns > 1 else 1),
                            right=1 - 0.15 / fig.get_figwidth(),
                            top=1 - 0.62 / height, bottom=0.45 / height,
                            wspace=0.28, hspace=0.55 * (2.6 * self.dpi / self.panel_height))
        grid = fig.add_gridspec(rows, columns)
        for index, name in enumerate(panels):
            ax = fig.add_subplot(grid[index // columns, index % columns])
            # Fixed title and label positions: matplotlib would otherwise measure
            # the tick labels on every draw to place them (~20 % of a frame).
            ax.set_title(name, fontsize=10.5, loc="left", fontweight="bold", color="#333333",
                         y=1.0)
            ax.xaxis.set_label_coords(0.5, -0.16)
            ax.grid(True, color="#e6e6e6", linewidth=0.8)
            ax.set_axisbelow(True)
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
            ax.tick_params(which="both", labelsize=8, colors="#555555")
            ax.xaxis.set_major_locator(MaxNLocator(5, integer=True))
            ax.yaxis.set_major_locator(MaxNLocator(5))
            # Compact labels ("2e+33") instead of an offset text that would sit
            # on the panel title when a loss explodes.
            ax.yaxis.set_major_formatter(COMPACT_FORMATTER)
            if name == LEARNING_RATE_PANEL:
                (line,) = ax.plot([], [], color=LEARNING_RATE_COLOR, linewidth=1.6,
                                  drawstyle="steps-post", label="learning rate", animated=True)
                ax.set_yscale("log")
                # Rates rarely span decades: label 1, 2 and 5 x 10^k, as "5e-04".
                ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
                ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _rate_label(v)))
                ax.yaxis.set_minor_formatter(FuncFormatter(
                    lambda value, _, ax=ax: _narrow_log_label(ax, value, _rate_label)))
                self._lr_artists = (ax, line)
                continue
            artists = _PanelArtists(
                axes=ax,
                batch_raw=ax.plot([], [], color=TRAIN_COLOR, linewidth=0.8, alpha=0.45,
                                  label="train (per batch)")[0],
                batch_smooth=ax.plot([], [], color=TRAIN_COLOR, linewidth=1.3, alpha=0.9,
                                     label="train (smoothed)")[0],
                epoch_train=ax.plot([], [], color=TRAIN_COLOR, linewidth=1.8, marker="o",
                                    markersize=3.5, label="train (epoch)")[0],
                epoch_val=ax.plot([], [], color=VALIDATION_COLOR, linewidth=1.8, marker="o",
                                  markersize=3.5, label="validation (epoch)")[0],
                best=ax.plot([], [], linestyle="none", marker="*", markersize=11,
                             color="#ffbf00", markeredgecolor="#8a6d00", zorder=5,
                             label="best")[0],
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
                                          fontsize=8.5, bbox_to_anchor=(0.5, 1.0))
        self._legend_key = entries

    # -- drawing ---------------------------------------------------------------
    def update(self, snapshot: StoreSnapshot, view: ViewOptions = ViewOptions(),
               events: list[Event] | tuple = (), final: bool = False) -> None:
        """Put the snapshot's data into the figure (no drawing yet).

        While training (``final=False``) the x axis spans the whole planned
        fit, so the frame stays put and only the curves grow; the final frame
        fits the x axis to the data (a run that stopped early is not squashed).
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
            ax.set_xlabel("epoch" if view.x_axis == "epochs" else "step", fontsize=8.5,
                          color="#555555")
        events = list(events)[-200:]
        decoration_key = (len(snapshot.fits), tuple((e.step, e.kind) for e in events),
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
        for label, attr in (("train (per batch)", "batch_raw"), ("train (smoothed)", "batch_smooth"),
                            ("train (epoch)", "epoch_train"), ("validation (epoch)", "epoch_val"),
                            ("best", "best")):
            # Drawn = has a finite value (an all-NaN val_ line has x data but shows nothing).
            if any(_has_finite(getattr(a, attr).get_ydata()) for a in self._panels.values()):
                present.append(label)
        return tuple(present)

    def _update_metric(self, name, artists, snapshot, positions, view):
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
        use_log = view.log_scale and len(values) > 0 and values.min() > 0
        if use_log != artists.log_scale:
            ax.set_yscale("log" if use_log else "linear")
            if use_log:
                # Decades alone leave a loss between 0.6 and 0.8 without a single label:
                # label in plain numbers, and the 2..9 x 10^k ticks on narrow ranges.
                ax.yaxis.set_major_formatter(COMPACT_FORMATTER)
                ax.yaxis.set_minor_formatter(FuncFormatter(
                    lambda value, _, ax=ax: _narrow_log_label(ax, value)))
            else:
                ax.yaxis.set_major_locator(MaxNLocator(5))
                ax.yaxis.set_major_formatter(COMPACT_FORMATTER)
            artists.log_scale = use_log
        _rescale(ax, values, log=use_log)  # linear padding would go <= 0 on a log axis

    def _update_learning_rate(self, snapshot, positions):
        ax, line = self._lr_artists
        table = snapshot.learning_rates
        if table.rows:
            x = positions.x_for_steps(table.column("step"), table.column("epoch"))
            y = _finite(table.column("learning_rate"))
        else:  # only the epoch logs carry it (LearningRateScheduler, ReduceLROnPlateau)
            x, y = positions.epoch_x, _finite(snapshot.epochs.column("learning_rate"))
        positive = y[np.isfinite(y) & (y > 0)]
        line.set_data(x, np.where(y > 0, y, np.nan))
        _rescale(ax, positive, log=True)

    def _draw_markers(self, snapshot, positions, events):
        """Mark fits and events on every panel.

        Dotted lines show where a later ``fit`` began. Events that change the
        course of training (a stop, a rate change, a NaN, a user's mark) get a
        coloured dashed line, named on the first panel when there is room;
        routine ones (checkpoints, pauses) only a small triangle on the top
        edge, so that a save every epoch does not bury the curves.
        """
        lines = [(positions.x_for_steps(np.array([s]), None)[0], ":", f"fit {n}", EVENT_COLOR)
                 for n, s in enumerate((f.first_step for f in snapshot.fits[1:]), start=2)]
        ticks: dict[str, list[float]] = {}
        for event in events:  # the most recent ones; the event log lists all
            x = float(positions.x_for_steps(np.array([event.step]), None)[0])
            if event.kind in MAJOR_EVENT_KINDS:
                lines.append((x, "--", event.kind, KIND_COLORS.get(event.kind, EVENT_COLOR)))
            else:
                ticks.setdefault(event.kind, []).append(x)
        for index, ax in enumerate(self.figure.axes):
            transform = blended_transform_factory(ax.transData, ax.transAxes)
            low, high = ax.get_xlim()
            room = 0.045 * (high - low)
            last_label = None
            for x, style, label, colour in lines:
                self._decorations.append(ax.axvline(x, color=colour, linestyle=style,
                                                    linewidth=1.0, alpha=0.85, zorder=1))
                if index == 0 and (last_label is None or abs(x - last_label) > room):
                    last_label = x
                    self._decorations.append(ax.text(
                        x, 0.98, f" {label}", transform=transform, fontsize=7, color=colour,
                        va="top", ha="left", rotation=90 if style == "--" else 0,
                        clip_on=True))
            for kind, xs in ticks.items():
                self._decorations.append(ax.plot(
                    xs, [1.0] * len(xs), linestyle="none", marker="v", markersize=4,
                    color=KIND_COLORS.get(kind, EVENT_COLOR), transform=transform,
                    clip_on=False, zorder=6)[0])

    def render_png(self, snapshot: StoreSnapshot | None = None,
                   view: ViewOptions = ViewOptions(), events=(), final: bool = False) -> bytes:
        """Update (when a snapshot is given), draw and encode as PNG bytes.

        Axes, ticks, labels, legend and markers are drawn once into a cached
        background, reused while none of them changes; a frame then only
        redraws the curves over it (text layout is most of a full draw).
        """
        if snapshot is not None:
            self.update(snapshot, view, events, final)
        canvas = self.figure.canvas
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
        return _encode_png(canvas)

    def _frame_key(self) -> tuple:
        """What the background depends on: limits, scales, legend, markers, size."""
        axes = tuple((ax.get_xlim(), ax.get_ylim(), ax.get_yscale(), ax.get_xlabel())
                     for ax in self.figure.axes)
        return (self._layout, axes, self._legend_key, self._decoration_key,
                tuple(self.figure.get_size_inches()))


class _Positions:
    """x coordinates of batch and epoch rows for the chosen x axis."""

    def __init__(self, snapshot: StoreSnapshot, x_axis: str):
        self.x_axis = x_axis
        self._per_epoch = snapshot.batches_per_epoch
        batches = snapshot.batches
        epochs = snapshot.epochs
        if x_axis == "steps":
            # Steps are counted as "batches done": the first batch ends at 1.
            self.batch_x = batches.column("step").astype(np.float64) + 1
            self.epoch_x = epochs.column("step").astype(np.float64)
        else:
            self.batch_x = self._fractional_epoch(batches.column("epoch"),
                                                  batches.column("batch"))
            self.epoch_x = epochs.column("epoch").astype(np.float64) + 1
        self._step_table = (batches.column("step"), self.batch_x)

    def _fractional_epoch(self, epoch, batch):
        if len(epoch) == 0:
            return np.empty(0)
        lookup = np.ones(int(epoch.max()) + 1)
        for index, count in self._per_epoch.items():
            if index < len(lookup):
                lookup[index] = max(count, 1)
        return epoch + (batch + 1) / lookup[epoch]

    def x_for_steps(self, steps, epochs):
        """x of arbitrary step positions (learning-rate readings, events)."""
        steps = np.asarray(steps, dtype=np.float64)
        if self.x_axis == "steps":
            return steps
        if epochs is not None and len(epochs) == len(steps):
            return np.asarray(epochs, dtype=np.float64)
        known_steps, known_x = self._step_table
        if len(known_steps) == 0:
            return np.zeros(len(steps))
        # A step s is "after s batches": interpolate the batch positions.
        return np.interp(steps, known_steps.astype(np.float64) + 1, known_x,
                         left=0.0)


def _has_finite(values) -> bool:
    return bool(np.isfinite(np.asarray(values, dtype=np.float64)).any())


def _finite(values: np.ndarray) -> np.ndarray:
    values = np.asarray(values, dtype=np.float64)
    return np.where(np.isfinite(values), values, np.nan)


def _x_limit(positions, snapshot: StoreSnapshot, x_axis: str, final: bool) -> float:
    """Right end of the x axis: the planned end of the current fit while
    training (when known), else the data's end with a little room."""
    data_end = max([float(np.nanmax(a)) for a in (positions.batch_x, positions.epoch_x)
                    if len(a)] + [1.0])
    planned = None
    fit = snapshot.fits[-1] if snapshot.fits else None
    if fit is not None and fit.epochs:
        if x_axis == "epochs":
            planned = float(fit.epochs)
        elif fit.steps_per_epoch:
            planned = float(fit.first_step
                            + (fit.epochs - fit.initial_epoch) * fit.steps_per_epoch)
    fits_plan = planned is not None and planned >= data_end
    if final:
        if fits_plan and data_end >= 0.9 * planned:
            return planned  # the run went as planned: keep the frame and its background
        return data_end * 1.02
    return planned if fits_plan else _nice_ceiling(data_end * 1.1)


def _nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 x 10^k at or above ``value``."""
    exponent = math.floor(math.log10(value))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if step * 10 ** exponent >= value:
            return step * 10 ** exponent
    return 10.0 ** (exponent + 1)


def _rate_label(value: float) -> str:
    """A rate as "5e-04", with one more digit where that would hide a difference:
    over a narrow span matplotlib 3.10 puts major ticks at 1.2e-02 and 1.4e-02,
    which "{:.0e}" would print as copies of the "1e-02" below them.

    Example:
        >>> _rate_label(0.0005), _rate_label(0.012)
        ('5e-04', '1.2e-02')
    """
    text = f"{value:.0e}"
    if value > 0 and abs(float(text) - value) > 1e-6 * value:
        text = f"{value:.1e}"
    return text


def _narrow_log_label(ax, value: float, style=lambda v: f"{v:.4g}") -> str:
    """Label of a minor tick on a log axis: none when the axis spans a decade or more
    (the decades are labelled), 2, 3 and 5 x 10^k over 0.6 decade or more, else all."""
    low, high = ax.get_ylim()
    if value <= 0 or low <= 0 or high <= low:
        return ""
    decades = math.log10(high / low)
    if decades >= 1:
        return ""
    if sum(low <= tick <= high for tick in ax.yaxis.get_majorticklocs()) >= 3:
        return ""  # matplotlib 3.10 already put linear major ticks in the span
    mantissa = round(value / 10 ** math.floor(math.log10(value)))
    if decades >= 0.6 and mantissa not in (2, 3, 5):
        return ""
    return style(value)


def _rescale(ax, values: np.ndarray, log: bool = False) -> None:
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
    if not (inside and filled and getattr(ax, "_nbcb_fitted", False)):
        ax.set_ylim(*_snap(low, high, log))
        ax._nbcb_fitted = True


def _snap(low: float, high: float, log: bool) -> tuple[float, float]:
    """Widen limits to round values (a tenth of the span, or 0.1 decade), so
    that a curve creeping past its limit does not move the axis every frame."""
    if log:
        return (10 ** (math.floor(math.log10(low) * 10) / 10),
                10 ** (math.ceil(math.log10(high) * 10) / 10))
    unit = _nice_ceiling((high - low) / 10)
    return math.floor(low / unit) * unit, math.ceil(high / unit) * unit


def _encode_png(canvas: FigureCanvasAgg) -> bytes:
    # Encode the already-drawn buffer: savefig would draw the figure a second time.
    from PIL import Image

    width, height = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="png", compress_level=3)
    return buffer.getvalue()
