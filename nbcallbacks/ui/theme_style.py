"""The stylesheet that makes the widgets' HTML follow the notebook's theme, as a widget.

Our HTML (status line, tables, event log, messages) is coloured with
:data:`~nbcallbacks.render.palette.THEMED` variables; this hidden widget puts the
rules that give them their dark-theme values (:data:`~nbcallbacks.render.palette.THEME_STYLESHEET`)
into the page. Every panel carries one, so whichever is shown first brings the rules;
a theme switched while the panel is displayed applies at once (the rules key on the
page's theme attributes, not on anything computed when the panel was drawn).
"""

from __future__ import annotations

import ipywidgets as widgets

from nbcallbacks.render import palette


def theme_style() -> widgets.HTML:
    """A hidden widget holding the dark-theme colour rules.

    Example:
        >>> theme_style().value.startswith("<style>")
        True
    """
    return widgets.HTML(palette.THEME_STYLESHEET, layout=widgets.Layout(display="none"))
