"""Time from moving a control of Appendix A3's panel to the new PNG.

Builds the panel of ``utils.landscape_widget`` without a browser, then,
for each control, sets its value from Python many times. Setting a
widget's value runs its observers synchronously, so the time until the
call returns is the time until the new PNG is in the panel's image: the
kernel's share of the latency. (The browser adds the round trip and the
decoding of the image, which depend on the machine and the network.)

Reports the median and the 90th percentile per control, in ms, and the
load average, since a busy machine slows everything down. The panel
races all six optimizers, the heaviest setting.

Run it from the repository root with the course's environment:

    .venv/bin/python benchmarks/slider_latency.py [--repeat N]
"""

import argparse
import os
import platform
import statistics
import time

import numpy as np

from utils.landscape_widget import LandscapePanel
from utils.landscapes import OPTIMIZERS


def timed(control, values):
    """Wall-clock and CPU seconds of ``control.value = v`` for each v."""
    wall, cpu = [], []
    for value in values:
        w0, c0 = time.perf_counter(), time.process_time()
        control.value = value
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
    return wall, cpu


def report(label, wall, cpu):
    wall_ms = 1000 * np.array(wall)
    print(f"{label:<24} {statistics.median(wall_ms):10.1f} "
          f"{np.percentile(wall_ms, 90):8.1f} "
          f"{1000 * statistics.median(cpu):14.1f}")


def cases(repeat):
    """(label, control name, values) for each control timed."""
    lrs = np.geomspace(0.002, 0.05, repeat)
    steps = [100 + 10 * (i % 20) for i in range(1, repeat + 1)]
    frames = [(7 * i) % 100 for i in range(1, repeat + 1)]
    azims = [-60 + (5 * i) % 120 for i in range(1, repeat + 1)]
    keys = ["rosenbrock", "saddle", "valley", "penguin", "rugged",
            "tilted-valley", "penguin-raw", "himmelblau"]
    landscapes = [keys[i % len(keys)] for i in range(repeat)]
    return [("lr", "lr", [float(v) for v in lrs]),
            ("steps", "steps", steps),
            ("play step", "play", frames),
            ("view angle", "azim", azims),
            ("landscape", "landscape", landscapes)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=40,
                        help="changes timed per control (default 40)")
    args = parser.parse_args()
    panel = LandscapePanel("himmelblau", optimizers=tuple(OPTIMIZERS),
                           lr=0.01, steps=100)
    print(f"Python {platform.python_version()}, "
          f"{os.cpu_count()} CPUs, load average before: "
          f"{os.getloadavg()[0]:.2f}")
    print(f"{'control':<24} {'median ms':>10} {'p90 ms':>8} "
          f"{'median CPU ms':>14}")
    for label, name, values in cases(args.repeat):
        if label == "landscape":
            # The first visit builds each landscape's grids and figure,
            # once per landscape; later visits reuse them.
            first = values[:7]
            report("landscape, first visit",
                   *timed(panel.controls[name], first))
            label = "landscape, cached"
        if label == "play step":
            panel.controls["steps"].value = 100
        report(label, *timed(panel.controls[name], values))
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
