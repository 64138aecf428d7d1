"""What one step of a hidden check costs through the channel to a kernel (autograder/channel).

    .venv/bin/python bench/bench_channel.py [--repeats 200]

In one run, against one plain kernel (not sandboxed: the sandbox changes the start, not the
messages), the median wall time of:
- the baseline: a `kernel_info` request and its reply, the cheapest round trip Jupyter has;
- a request: the student's function called on a number, its answer parsed (a hidden check's
  unit of work);
- a stand-in question: the student's code calling a grader object (a callback) once;
- a large request: the same function on 90,000 float64 numbers (a 300 x 300 layer).
Each is printed in milliseconds and as a ratio to the baseline. Other processes share this
machine: compare the ratios, not the milliseconds. PYTHONDONTWRITEBYTECODE is printed.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from jupyter_client.manager import AsyncKernelManager
from nbclient.util import run_sync

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from autograder.channel.kernel import KernelChannel  # noqa: E402

SETUP = "def identity(x):\n    return x\n\ndef calls(callback, n):\n    for i in range(n):\n        callback(i)\n"


def median_ms(step, repeats):
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    return 1000 * statistics.median(times)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=200)
    args = parser.parse_args(argv)
    print(f"PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '(unset)')}")
    manager = AsyncKernelManager(kernel_name="python3")
    run_sync(manager.start_kernel)()
    client = manager.client()
    client.start_channels()
    try:
        run_sync(client.wait_for_ready)(timeout=60)
        run_sync(client.execute_interactive)(SETUP, timeout=60)
        channel = KernelChannel(client, manager, timeout=60)
        layer = np.random.default_rng(0).normal(size=90_000)

        def kernel_info():
            run_sync(client._async_recv_reply)(client.kernel_info(), timeout=60)

        # first: while the agent serves a hidden cell, the kernel takes no other request
        baseline = median_ms(kernel_info, args.repeats)
        identity, calls = channel.lookup("identity"), channel.lookup("calls")
        figures = {
            "kernel_info round trip (baseline)": baseline,
            "request: identity(1.0)": median_ms(lambda: identity(1.0), args.repeats),
            "stand-in question (one callback)": median_ms(
                lambda: calls(lambda i: i, 50), max(1, args.repeats // 10)
            )
            / 50,
            "request: identity(90,000 float64)": median_ms(
                lambda: identity(layer), max(1, args.repeats // 10)
            ),
        }
        channel.release()
    finally:
        client.stop_channels()
        run_sync(manager.shutdown_kernel)(now=True)
    print(f"load average: {os.getloadavg()}")
    for label, ms in figures.items():
        print(f"{label:40} {ms:8.2f} ms  {ms / baseline:6.2f}x baseline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
