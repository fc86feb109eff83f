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


def runnable(ctx, res):
    """The selected paths that can run here; the others go to
    res["skipped"] with the reason."""
    paths = []
    for path in make_paths(ctx):
        try:
            path.check()
            paths.append(path)
        except Skip as e:
            res["skipped"][path.name] = str(e)
            log("SKIP %s: %s" % (path.name, e))
    return paths


def schedule(a, paths):
    """(round, size, queues, path) in the order they run: every path at
    each size and queue count, the order rotated each round so that no
    path is always first (and A/B twins take turns at going first)."""
    for rnd in range(1, a.rounds + 1):
        for size, queues in itertools.product(a.sizes, a.queues):
            k = (rnd - 1) % max(len(paths), 1)
            for path in paths[k:] + paths[:k]:
                yield rnd, size, queues, path


class Progress:
    """"[n/total] round r/R, size B, Nq, path, ~s left ..." lines."""

    def __init__(self, total):
        self.total = total
        self.n = 0
        self.t_start = time.monotonic()

    def tick(self):
        self.n += 1

    def show(self, a, rnd, size, queues, name):
        eta = ""
        if self.n > 1:
            per = (time.monotonic() - self.t_start) / (self.n - 1)
            eta = ", ~%d s left" % (per * (self.total - self.n + 1))
        print("[%d/%d] round %d/%d, %d B, %dq, %s%s ..." % (
            self.n, self.total, rnd, a.rounds, size, queues, name, eta),
            end="", flush=True)


def figures(got):
    cyc = got.get("cycles_per_pkt")
    fcyc = got.get("fwd_cycles_per_pkt")
    return " %.2f Mpps%s%s" % (
        got["mpps"], "" if cyc is None else ", %.0f dev cyc/pkt" % cyc,
        "" if fcyc is None else ", %.0f fwd cyc/pkt" % fcyc)


def failed(a, res, fails, key, e):
    """Count a failure against the path at this queue count (not one for
    want of memory other processes held); give it up after
    a.max_failures in a row."""
    print(" failed: %s" % str(e)[:300], flush=True)
    if isinstance(e, TransientError):
        return
    fails[key] = fails.get(key, 0) + 1
    if fails[key] >= a.max_failures:
        res["gave_up"][key] = ("%d measurements in a row failed, last: %s" %
                               (fails[key], str(e)[:300]))
        log("bench: %s: giving up after %d failures in a row" %
            (key, fails[key]))


def measure_one(a, res, fails, rnd, size, queues, path):
    """One sample into res["samples"]."""
    key = label(path.name, queues)
    s = {"round": rnd, "size": size, "queues": queues, "path": path.name}
    procs = []
    try:
        got, procs = run_once(path, size, queues,
                              "r%d-%d-%dq" % (rnd, size, queues), s)
        s.update(got)
        fails[key] = 0
        print(figures(got), flush=True)
    except (RunError, Skip, OSError) as e:
        s["mpps"] = None
        s["error"] = str(e)
        failed(a, res, fails, key, e)
    for pr in procs:
        if pr.crashed():
            s["crashed"] = "%s exited %s (log %s)" % (
                pr.name, pr.status(), pr.logpath)
    res["samples"].append(s)


def run_all(ctx, res):
    a = ctx.args
    paths = runnable(ctx, res)
    res["paths_run"] = [p.name for p in paths]
    progress = Progress(a.rounds * len(a.sizes) * len(a.queues) * len(paths))
    fails = {}   # failures in a row, per path and queue count
    for rnd, size, queues, path in schedule(a, paths):
        progress.tick()
        if label(path.name, queues) in res["gave_up"]:
            continue
        progress.show(a, rnd, size, queues, path.name)
        measure_one(a, res, fails, rnd, size, queues, path)
