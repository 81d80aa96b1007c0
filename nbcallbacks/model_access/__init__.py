"""Reading and changing a Keras model in the middle of ``fit``: its rate, its state, its variables.

Public Keras 3 API only, backend-neutral; the few private attributes these
need are read through :mod:`nbcallbacks.compat`.
"""
