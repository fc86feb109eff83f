# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
"""The rounds: every path at every frame size and queue count, the order
rotating each round, a path given up after failures in a row."""

import itertools
import re
import time

from . import RunError, Skip, log
from .context import MEM_MB
from .paths import make_paths
from .report import label


# EAL failing to start for want of hugepage memory that other processes
# hold for a while: wait for it and try again.
TRANSIENT = re.compile(r"Not enough memory available|Cannot init memory|"
                       r"Cannot get hugepage information|"
                       r"Cannot allocate memzone|Address already in use")
TRIES = 4


class TransientError(RunError):
    """A process could not start for want of memory: not the path's fault."""


def free_hugepage_mb():
    free = size_kb = None
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("HugePages_Free:"):
                    free = int(line.split()[1])
                elif line.startswith("Hugepagesize:"):
                    size_kb = int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    if free is None or size_kb is None:
        return None
    return free * size_kb // 1024


def wait_hugepages(need_mb, tmo):
    """Wait up to tmo s for need_mb of free hugepages; True if waited."""
    end = time.monotonic() + tmo
    waited = False
    while True:
        free = free_hugepage_mb()
        if free is None or free >= need_mb or time.monotonic() >= end:
            return waited
        if not waited:
            print(" (waiting for %d MB of hugepages, %d MB free)" %
                  (need_mb, free), end="", flush=True)
        waited = True
        time.sleep(1)


def run_once(path, size, queues, tag, sample):
    """One measurement; a start-up failure for want of memory is retried
    (up to TRIES times) once enough hugepages are free again."""
    need = MEM_MB * path.nprocs + 32
    for attempt in range(1, TRIES + 1):
        wait_hugepages(need, path.ctx.args.startup_timeout * 2)
        try:
            return path.run(size, queues, tag if attempt == 1 else
                            "%s-try%d" % (tag, attempt))
        except RunError as e:
            m = TRANSIENT.search(e.log_text or str(e))
            if not m:
                raise
            sample["retried"] = attempt
            if attempt == TRIES:
                raise TransientError(str(e), e.log_text)
            print(" (%s: retrying)" % m.group(0), end="", flush=True)
            time.sleep(2 * attempt)


def run_all(ctx, res):
    a = ctx.args
    paths = []
    for path in make_paths(ctx):
        try:
            path.check()
            paths.append(path)
        except Skip as e:
            res["skipped"][path.name] = str(e)
            log("SKIP %s: %s" % (path.name, e))
    res["paths_run"] = [p.name for p in paths]
    total = a.rounds * len(a.sizes) * len(a.queues) * len(paths)
    n = 0
    fails = {}
    t_start = time.monotonic()
    for rnd in range(1, a.rounds + 1):
        for size, queues in itertools.product(a.sizes, a.queues):
            # Rotate the order each round so no path is always first.
            k = (rnd - 1) % max(len(paths), 1)
            for path in paths[k:] + paths[:k]:
                n += 1
                # Failures count per path and queue count.
                key = label(path.name, queues)
                if key in res["gave_up"]:
                    continue
                tag = "r%d-%d-%dq" % (rnd, size, queues)
                eta = ""
                if n > 1:
                    per = (time.monotonic() - t_start) / (n - 1)
                    eta = ", ~%d s left" % (per * (total - n + 1))
                prefix = "[%d/%d] round %d/%d, %d B, %dq, %s" % (
                    n, total, rnd, a.rounds, size, queues, path.name)
                print(prefix + eta + " ...", end="", flush=True)
                s = {"round": rnd, "size": size, "queues": queues,
                     "path": path.name}
                procs = []
                try:
                    got, procs = run_once(path, size, queues, tag, s)
                    s.update(got)
                    fails[key] = 0
                    cyc = got.get("cycles_per_pkt")
                    fcyc = got.get("fwd_cycles_per_pkt")
                    print(" %.2f Mpps%s%s" % (
                        got["mpps"], "" if cyc is None else
                        ", %.0f dev cyc/pkt" % cyc, "" if fcyc is None else
                        ", %.0f fwd cyc/pkt" % fcyc), flush=True)
                except (RunError, Skip, OSError) as e:
                    s["mpps"] = None
                    s["error"] = str(e)
                    # Memory other processes held is not the path's fault.
                    if not isinstance(e, TransientError):
                        fails[key] = fails.get(key, 0) + 1
                    print(" failed: %s" % str(e)[:300], flush=True)
                    if fails.get(key, 0) >= a.max_failures:
                        res["gave_up"][key] = (
                            "%d measurements in a row failed, last: %s" %
                            (fails[key], str(e)[:300]))
                        log("bench: %s: giving up after %d failures in a "
                            "row" % (key, fails[key]))
                for pr in procs:
                    if pr.crashed():
                        s["crashed"] = "%s exited %s (log %s)" % (
                            pr.name, pr.status(), pr.logpath)
                res["samples"].append(s)
