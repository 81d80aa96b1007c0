"""Where ipywidgets 7 and 8 differ for nbcallbacks, and one way to write each for both.

Verified on ipywidgets 7.7.1 (with IPython 7.34.0, ipykernel 6.17.1: Google
Colab's stack) and ipywidgets 8.1.9 (with IPython 9, ipykernel 7.4).

What differs, and what this module offers for it:

* **Showing a widget inside a bigger output.** nbcallbacks puts a widget's
  view into its own display bundle (next to ``text/html`` or ``image/png``
  copies for viewers that cannot run widgets), and later updates that display
  in place. ipywidgets 8 builds the view bundle in ``Widget._repr_mimebundle_``;
  ipywidgets 7 has no such method: its ``_ipython_display_`` builds the same
  bundle and publishes it at once, so it cannot be combined with anything.
  :func:`widget_mimebundle` returns the bundle on both. If a later ipywidgets
  changes the view format, the 8 path follows it (it asks ipywidgets); the 7
  path is frozen on ``get_view_spec()``, public on both and answering
  ``{"version_major": 2, "version_minor": 0, "model_id": ...}``.
  Not reproduced on 7: the ``on_displayed`` callbacks that 7's own display
  fires (8 removed them; nbcallbacks registers none and shows no
  ``interactive``, the one ipywidgets widget that needs them).
* **Tooltips.** ipywidgets 8 has ``tooltip`` on every widget and keeps
  ``description_tooltip`` as a deprecated alias. ipywidgets 7 has ``tooltip``
  only on ``Button`` and ``ToggleButton``; every other described widget takes
  ``description_tooltip`` and warns "Passing unrecognized arguments" (then
  drops the text) when given ``tooltip``. :func:`tooltip_kwargs` picks the
  keyword the widget class knows.
* **A new Accordion's open page.** ipywidgets 7 opens the first page
  (``selected_index=0``), 8 starts collapsed (``None``). nbcallbacks passes
  ``selected_index=None``, which both accept.

Checked and the same on both (nothing to adapt): ``Image.value`` takes PNG
``bytes``; ``Text.continuous_update``; ``Button.on_click``; ``observe(...,
"value")``; ``ToggleButton``, ``ToggleButtons(tooltips=...)`` and its
``button_width`` style; ``FloatLogSlider``; ``Accordion.set_title``; the
``Layout`` traits nbcallbacks sets (``width``, ``max_width``, ``min_width``,
``height``, ``margin``, ``flex``, ``flex_flow``, ``align_items``,
``grid_gap``); ``display(bundle, raw=True, display_id=True)`` and
``DisplayHandle.update(bundle, raw=True)`` on IPython 7.34 and 9.

What the user sees if this stops working: an ipywidgets with neither
``Widget._repr_mimebundle_`` nor ``Widget.get_view_spec`` makes showing a
dashboard, tracer or schedule preview fail with a ``RuntimeError`` that names
the installed version and the verified ones; a widget class with neither
tooltip trait shows no tooltip.

Example:
    >>> import ipywidgets
    >>> label = ipywidgets.HTML("hello")
    >>> bundle = widget_mimebundle(label)
    >>> bundle[WIDGET_VIEW_MIMETYPE]["model_id"] == label.model_id
    True
    >>> sorted(tooltip_kwargs(ipywidgets.Button, "click me"))
    ['tooltip']
"""

from __future__ import annotations

from typing import Any

WIDGET_VIEW_MIMETYPE = "application/vnd.jupyter.widget-view+json"

_PLAIN_TEXT_LIMIT = 110  # what both versions cut a widget's repr to


def ipywidgets_major() -> int:
    """The major version of the installed ipywidgets (7 or 8 on the verified versions).

    Example:
        >>> ipywidgets_major() >= 7
        True
    """
    import ipywidgets

    return int(str(ipywidgets.__version__).split(".")[0])


def widget_mimebundle(widget: Any) -> dict:
    """The display bundle of ``widget``'s view: ``text/plain`` and the widget-view JSON.

    Returns a new dict the caller may add keys to. A widget without a view
    (a ``Layout``) gives ``text/plain`` only, as ipywidgets itself does.

    Example:
        >>> import ipywidgets
        >>> box = ipywidgets.VBox([ipywidgets.HTML("a")])
        >>> view = widget_mimebundle(box)[WIDGET_VIEW_MIMETYPE]
        >>> (view["version_major"], view["model_id"] == box.model_id)
        (2, True)
    """
    build = getattr(widget, "_repr_mimebundle_", None)
    if callable(build):  # ipywidgets 8, and anywidget on 7 and 8
        built = build()
        # anywidget (0.9.21 - 0.11.0) returns IPython's (data, metadata) pair.
        return dict((built[0] if isinstance(built, tuple) else built) or {})
    if not callable(getattr(widget, "get_view_spec", None)):
        import ipywidgets

        raise RuntimeError(
            f"nbcallbacks cannot show widgets with ipywidgets {ipywidgets.__version__}: its "
            "widgets have neither _repr_mimebundle_ nor get_view_spec. Verified versions: "
            "7.7.1 and 8.1.9; install one of them (pip install 'ipywidgets>=7.7.1,<9').")
    # ipywidgets 7: what its _ipython_display_ publishes, without publishing it.
    plaintext = repr(widget)
    if len(plaintext) > _PLAIN_TEXT_LIMIT:
        plaintext = plaintext[:_PLAIN_TEXT_LIMIT] + "…"
    bundle: dict[str, Any] = {"text/plain": plaintext}
    if getattr(widget, "_view_name", None) is not None:
        bundle[WIDGET_VIEW_MIMETYPE] = dict(widget.get_view_spec())
    return bundle


def tooltip_kwargs(widget_class: Any, text: str) -> dict:
    """The keyword argument that gives a ``widget_class`` instance the tooltip ``text``.

    ``tooltip`` where the class has it (8: every widget; 7: buttons),
    otherwise ``description_tooltip`` (7's described widgets).

    Example:
        >>> import ipywidgets
        >>> kwargs = tooltip_kwargs(ipywidgets.Checkbox, "fold batch hooks")
        >>> list(kwargs) == (["tooltip"] if ipywidgets_major() >= 8 else ["description_tooltip"])
        True
        >>> ipywidgets.Checkbox(**kwargs).get_state()[next(iter(kwargs))]
        'fold batch hooks'
    """
    traits = widget_class.class_trait_names()
    if "tooltip" in traits:
        return {"tooltip": text}
    if "description_tooltip" in traits:
        return {"description_tooltip": text}
    return {}
