"""``model.fit`` under ``keras.distribution.DataParallel`` over two JAX host devices.

Usage: jax_data_parallel_fit.py REPORT.json SAVE_PATH
"""

import contextlib
import os
import sys

# Two CPU devices for XLA, before JAX starts.
os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "")
                           + " --xla_force_host_platform_device_count=2").strip()
os.environ["KERAS_BACKEND"] = "jax"

import jax
import keras
from scripted_run import scripted_fit


def main(report_path, save_path):
    keras.distribution.set_distribution(keras.distribution.DataParallel(devices=jax.devices()))
    scripted_fit(report_path, save_path, contextlib.nullcontext(),
                 devices_of=lambda model: {str(d) for d in
                                           model.weights[0].value.sharding.device_set},
                 replicas=len(jax.devices()))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
