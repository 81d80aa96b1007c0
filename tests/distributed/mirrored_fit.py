"""``model.fit`` under MirroredStrategy on two logical CPU devices, with a Dashboard.

Usage: mirrored_fit.py REPORT.json SAVE_PATH
"""

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import tensorflow as tf

# Two logical devices must be declared before TensorFlow initialises the CPU.
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)

from scripted_run import scripted_fit  # noqa: E402


def main(report_path, save_path):
    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    scripted_fit(report_path, save_path, strategy.scope(),
                 devices_of=lambda model: {v.device for v in model.weights[0].value.values},
                 replicas=strategy.num_replicas_in_sync)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
