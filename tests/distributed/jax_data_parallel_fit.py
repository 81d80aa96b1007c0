"""``model.fit`` under ``keras.distribution.DataParallel`` over two JAX host devices.

Usage: jax_data_parallel_fit.py REPORT.json SAVE_PATH
"""

import os
import sys

# Two CPU devices for XLA, before JAX starts.
os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "")
                           + " --xla_force_host_platform_device_count=2").strip()
os.environ["KERAS_BACKEND"] = "jax"

import jax  # noqa: E402
import keras  # noqa: E402

from nbcallbacks import CallbackTracer, Dashboard  # noqa: E402
from scripted_run import (Person, StepTimes, gradient_scale, hook_calls, ones,  # noqa: E402
                          range_test, rate_summing_model, write_report)


def main(report_path, save_path):
    keras.distribution.set_distribution(keras.distribution.DataParallel(devices=jax.devices()))
    def fit_steps(model, steps):
        model.fit(ones(8 * steps), ones(8 * steps), batch_size=8, shuffle=False, verbose=0)

    scale = gradient_scale(fit_steps)
    model = rate_summing_model()
    dash, times, tracer = Dashboard(), StepTimes(), CallbackTracer(output="none")
    model.fit(ones(64), ones(64), batch_size=8, epochs=3, shuffle=False, verbose=0,
              callbacks=[Person(dash, save_path), dash, times, tracer])
    write_report(report_path, dash, model, times, gradient_scale=scale,
                 hooks=hook_calls(tracer), range_test=range_test(model),
                 replicas=len(jax.devices()),
                 variable_devices=sorted(str(d) for d in
                                         model.weights[0].value.sharding.device_set))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
