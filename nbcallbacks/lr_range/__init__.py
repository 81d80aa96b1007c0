"""The learning-rate range test: ``find_lr`` and what it finds.

:func:`~nbcallbacks.lr_range.lr_finder.find_lr` trains the model one batch per
rate while the rate grows exponentially, stops once the loss diverges and
restores the weights and the optimizer as they were; the maths
(smoothing, the steepest descent, the suggestion) is
:mod:`~nbcallbacks.lr_range.lr_range_math`; the result,
:class:`~nbcallbacks.lr_range.lr_range_result.LRRangeTest`, draws itself with
:mod:`~nbcallbacks.lr_range.lr_range_chart`; :mod:`~nbcallbacks.lr_range.training_batches`
draws the batches from whatever the person passed (arrays, a dataset, a generator).
"""
