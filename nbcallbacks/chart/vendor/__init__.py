"""The vendored uPlot release and the script that fetches it (see update_uplot.py)."""
