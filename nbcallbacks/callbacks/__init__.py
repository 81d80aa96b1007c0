"""The Keras callbacks people pass to ``fit``, and what drives them while it runs.

``Dashboard`` (live curves and controls), ``CallbackTracer`` (every hook as it
fires), ``BuiltinCallbackWatcher`` (what Keras' own callbacks did), the
``TrainingController`` that applies the person's requests between batches, and
``await dash.fit`` (training in a worker thread).
"""
