"""nbcallbacks: interactive Keras training in the notebook.

Example:
    >>> from nbcallbacks import Dashboard
    >>> dash = Dashboard()          # pass to model.fit(..., callbacks=[dash])
"""

__version__ = "0.1.0"

from nbcallbacks.adapters.dashboard import Dashboard

__all__ = ["Dashboard", "__version__"]
