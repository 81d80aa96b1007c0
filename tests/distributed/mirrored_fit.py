"""``model.fit`` under MirroredStrategy on two logical CPU devices, with a Dashboard.

Usage: mirrored_fit.py REPORT.json SAVE_PATH
"""

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import tensorflow as tf  # noqa: E402

# Two logical devices must be declared before TensorFlow initialises the CPU.
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)

from nbcallbacks import CallbackTracer, Dashboard  # noqa: E402
from scripted_run import (Person, StepTimes, gradient_scale, hook_calls, ones,  # noqa: E402
                          range_test, rate_summing_model, write_report)


def main(report_path, save_path):
    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    def fit_steps(model, steps):
        model.fit(ones(8 * steps), ones(8 * steps), batch_size=8, shuffle=False, verbose=0)

    with strategy.scope():
        scale = gradient_scale(fit_steps)
        model = rate_summing_model()
    dash, times, tracer = Dashboard(), StepTimes(), CallbackTracer(output="none")
    model.fit(ones(64), ones(64), batch_size=8, epochs=3, shuffle=False, verbose=0,
              callbacks=[Person(dash, save_path), dash, times, tracer])
    write_report(report_path, dash, model, times, gradient_scale=scale,
                 hooks=hook_calls(tracer), range_test=range_test(model),
                 replicas=strategy.num_replicas_in_sync,
                 variable_devices=sorted({v.device for v in
                                          model.weights[0].value.values}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
