"""Every private internal of ipykernel, ipywidgets and Keras that nbcallbacks relies on.

One module per trick. Each names the versions it was verified on, what it does
when the internal is missing or changed, and what the user sees then — so the
list of things that can break on the next release is this folder.
"""
