# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
"""Throughput benchmark: virtio-mdev against DPDK's own software paths.

Every path is a forwarding loop measured on the same two CPUs, in the same
run, alternating path after path at each frame size and queue count
(--queues: queue pairs on both sides) and repeating for a number of
rounds. Each measurement starts fresh processes, sends
"start tx_first N" to the measured dpdk-testpmd, waits for the warm-up,
then reads its port counters twice over DPDK telemetry: the received
packets between the two reads over the clock between them is the figure.

Paths (see doc/guides/perf.rst):
  pmd-sim       testpmd + our PMD on the sim device (engine on CPU A)
  pmd-sim-packed  the same with packed rings (sim devarg packed_vq=1)
  vhost-split   testpmd virtio-user <-> testpmd vhost PMD, split ring
  vhost-packed  the same, packed ring
  memif         testpmd memif client <-> testpmd memif server
  vdpa-sim      testpmd virtio-user -> vhost-user -> vdpa app with our vDPA
                driver on the sim device
  vdpa-vhost    the same front end -> testpmd vhost PMD (vdpa-sim's pair)

A/B mode (--plugin-dir-b DIR): every selected path that loads our drivers
(pmd-sim, pmd-sim-packed, vdpa-sim) also runs as a twin "<path>@b" (see
--label-b) that loads them from DIR, alternating with it in the same
rounds, with the same-round ratio "<path>@b / <path>": the one fair way
to compare two builds on a machine whose speed drifts.

Results (table.md, results.json, results.csv, plot.png and every process
log) go to build/bench-<timestamp>/ unless --out says otherwise. Timing
never makes the benchmark fail: it exits 0 once the table is written, 2 on
a usage error and 1 when it could not write its results.

Modules: cli (options, main), rounds (the order of the measurements),
context (what the paths share), paths (the measured configurations),
testpmd (one measurement), processes (peers by PID, time-bounded, and
their cycles), telemetry (counters as JSON), report (table, CSV, JSON,
plot, ratios).
"""

import os

# The source tree: devtools/bench/ is two levels below it.
TOP = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


class Skip(Exception):
    """A path cannot run here (a prerequisite is missing)."""


class RunError(Exception):
    """One measurement failed (a process died, no statistics...).

    log_text keeps the whole output of the process that failed, for
    telling a start-up failure for want of memory from a real one.
    """

    def __init__(self, msg, log_text=""):
        super().__init__(msg)
        self.log_text = log_text


def log(msg):
    print(msg, flush=True)
