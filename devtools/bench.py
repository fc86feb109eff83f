#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
"""devtools/bench.py [options]: the benchmark, kept at this path for the
README, the perf guide and tests/e2e/bench_smoke.sh. The code is the
package devtools/bench/ (python3 -m devtools.bench is the same)."""

import os
import sys

# The source tree first, so that "devtools.bench" is this tree's package.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))

from devtools.bench.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
