# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
"""python3 -m devtools.bench [options]: see devtools/bench/__init__.py."""

import sys

from .cli import main

sys.exit(main(sys.argv[1:]))
