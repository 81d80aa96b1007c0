"""The callback tracer: every Keras hook as it fires, for teaching.

:class:`~nbcallbacks.tracer.callback_tracer.CallbackTracer` records each hook
call (:class:`~nbcallbacks.tracer.hook_call.HookCall`: which hook, which
epoch and batch, what ``logs`` held) into a
:mod:`~nbcallbacks.tracer.hook_timeline`, summarises them
(:mod:`~nbcallbacks.tracer.hook_summary`) and shows them as a timeline widget
(:mod:`~nbcallbacks.tracer.tracer_timeline`) or console lines.
"""
