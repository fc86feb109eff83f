# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
"""Options, the record of the run and main()."""

import argparse
import datetime
import os
import platform
import re
import shutil
import signal
import subprocess
import sys

from . import TOP, __doc__ as DOC, log
from .context import Ctx
from .paths import ALL_PATHS, TWINNABLE, twin_name
from .report import make_plot, plot, summarize, write_results
from .rounds import run_all

ALL_SIZES = [64, 128, 256, 512, 1024, 1518]
MIN_SIZE, MAX_SIZE = 64, 1518
MAX_QUEUES = 16    # queue pairs: the sim device's limit (queues=1..16)


def machine():
    model = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return "%s, %d CPU(s), Linux %s" % (model, os.cpu_count() or 0,
                                        platform.release())


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return f.read().split()[0]
    except (OSError, IndexError):
        return "?"


def dpdk_version():
    r = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "dpdk"],
                       capture_output=True, text=True)
    return r.stdout.strip() or "?"


def tree_version():
    r = subprocess.run(["git", "-C", TOP, "describe", "--always", "--dirty"],
                       capture_output=True, text=True)
    return r.stdout.strip() or "?"


def parse_list(kind, text, accepted, conv=str, span=None):
    """Comma separated values out of accepted ("all": every one), or any
    value lo..hi when span is (lo, hi)."""
    if text == "all" and accepted:
        return list(accepted)
    ok = ", ".join(str(a) for a in accepted)
    if span:
        ok += "%sany %s %d..%d" % (" or " if ok else "", kind, *span)
    out = []
    for item in text.split(","):
        item = item.strip()
        try:
            v = conv(item)
        except ValueError:
            v = None
        if v not in accepted and not (span and v is not None and
                                      span[0] <= v <= span[1]):
            raise argparse.ArgumentTypeError(
                "bad %s '%s' (accepted: %s)" % (kind, item, ok))
        if v not in out:
            out.append(v)
    return out


class HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Defaults shown, except where there is none to show."""

    def _get_help_string(self, action):
        if action.default in (None, False, "", argparse.SUPPRESS):
            return action.help
        return super()._get_help_string(action)


def parser(ncpu):
    p = argparse.ArgumentParser(
        prog="bench.py", description=DOC.split("\n")[0],
        epilog="See doc/guides/perf.rst.",
        formatter_class=HelpFormatter)
    p.add_argument("--rounds", type=int, default=5,
                   help="rounds; each runs every path at every size "
                   "and queue count")
    p.add_argument("--sizes", default=",".join(map(str, ALL_SIZES)),
                   help="frame sizes in bytes incl. FCS, comma separated")
    p.add_argument("--paths", default="all",
                   help="comma separated from: " + ", ".join(ALL_PATHS))
    p.add_argument("--queues", default="1",
                   help="queue pairs on both sides of every path, comma "
                   "separated (1..%d), e.g. 1,2" % MAX_QUEUES)
    p.add_argument("--duration", type=float, default=5.0,
                   help="measured interval per run (s)")
    p.add_argument("--warmup", type=float, default=2.0,
                   help="forwarding time before the interval (s)")
    p.add_argument("--out", help="results directory "
                   "(default build/bench-<timestamp>)")
    p.add_argument("--build", default=os.environ.get(
        "BUILD_DIR", os.path.join(TOP, "build")), help="build directory")
    p.add_argument("--plugin-dir", help="driver directory for EAL -d "
                   "(default: devtools/plugin-dir.sh or lib.sh plugin_dir)")
    p.add_argument("--plugin-dir-b", metavar="DIR",
                   help="A/B mode: every path that loads our drivers (%s) "
                   "also runs as <path>@<label-b> with EAL -d DIR, "
                   "alternating with it in the same rounds" %
                   ", ".join(TWINNABLE))
    p.add_argument("--label-b", default="b", metavar="TEXT",
                   help="suffix naming the --plugin-dir-b twins "
                   "(letters, digits, '.', '_', '-')")
    p.add_argument("--testpmd", default=os.environ.get(
        "TESTPMD", "dpdk-testpmd"), help="dpdk-testpmd to run")
    p.add_argument("--vdpa-app", help="vdpa application (default: ours in "
                   "build/examples, else DPDK's examples/vdpa built from "
                   "dpdk-doc into build/bench-tools)")
    p.add_argument("--cpus", default="0,%d" % (1 if ncpu > 1 else 0),
                   help="CPU A (device side),CPU B (measured forwarding)")
    p.add_argument("--ref", default="vhost-split",
                   help="path the 'vs' column divides by")
    p.add_argument("--sim-engine", choices=["thread", "service"],
                   default="thread", help="sim engine: its own thread "
                   "pinned to CPU A, or a service lcore on CPU A")
    p.add_argument("--sim-devargs", default="",
                   help="extra mdev_sim0 devargs, e.g. queue_size=256")
    p.add_argument("--tx-first", type=int, default=32,
                   help="bursts sent by 'start tx_first'")
    p.add_argument("--mbufs", type=int, default=16384,
                   help="testpmd --total-num-mbufs")
    p.add_argument("--startup-timeout", type=float, default=30.0,
                   help="bound for a process to come up (s)")
    p.add_argument("--l1", action="store_true",
                   help="count 20 B preamble+IFG per frame in Gbit/s")
    p.add_argument("--no-plot", action="store_true",
                   help="write no plot.png")
    # Plot a results.json again (and the plot under Debian's Python).
    p.add_argument("--plot-only", metavar="RESULTS_JSON",
                   help=argparse.SUPPRESS)
    return p


def parse_args(argv):
    ncpu = os.cpu_count() or 1
    p = parser(ncpu)
    a = p.parse_args(argv)
    if not a.plot_only:
        check_lists(p, a, ncpu)
        check_values(p, a)
        check_ab(p, a)
    return a


def check_lists(p, a, ncpu):
    """--sizes, --queues, --paths and --cpus, turned into lists."""
    try:
        a.sizes = parse_list("size", a.sizes, ALL_SIZES, int,
                             (MIN_SIZE, MAX_SIZE))
        a.queues = parse_list("queue count", a.queues, [], int,
                              (1, MAX_QUEUES))
        a.paths = parse_list("path", a.paths, ALL_PATHS)
        cpus = [int(x) for x in a.cpus.split(",")]
        if len(cpus) != 2 or min(cpus) < 0 or max(cpus) >= ncpu:
            raise ValueError
        a.cpus = cpus
    except argparse.ArgumentTypeError as e:
        p.error(str(e))
    except ValueError:
        p.error("bad --cpus '%s' (accepted: A,B with CPUs 0..%d)" %
                (a.cpus, ncpu - 1))


def check_values(p, a):
    if a.rounds < 1:
        p.error("bad --rounds %d (accepted: 1 or more)" % a.rounds)
    if a.duration < 0.5 or a.warmup < 0:
        p.error("bad --duration/--warmup (accepted: duration >= 0.5 s, "
                "warmup >= 0 s)")
    if a.tx_first < 1 or a.tx_first > 512:
        p.error("bad --tx-first %d (accepted: 1..512)" % a.tx_first)
    if re.search(r"(^|,)\s*queues=", a.sim_devargs):
        p.error("bad --sim-devargs '%s': give the queue pairs with "
                "--queues" % a.sim_devargs)


def world_writable(d):
    """The first world-writable directory from / down to d's real path, or
    .so in it, or None: EAL refuses such plugins (as lib.sh plugin_dir
    knows), so that B's twins would all fail (/tmp is one)."""
    real = os.path.realpath(d)
    ups = [real]
    while ups[-1] != os.path.dirname(ups[-1]):
        ups.append(os.path.dirname(ups[-1]))
    sos = [os.path.join(real, f) for f in sorted(os.listdir(real))
           if f.endswith(".so")]
    for f in ups[::-1] + sos:
        if os.stat(f).st_mode & 0o002:
            return f
    return None


LABEL_RE = re.compile(r"[A-Za-z0-9._-]{1,32}$")


def check_ab(p, a):
    """--plugin-dir-b, --label-b and --ref: usage errors now rather than a
    run of twins that all fail."""
    if not LABEL_RE.match(a.label_b):
        p.error("bad --label-b '%s' (accepted: 1 to 32 of A-Z a-z 0-9 . _ "
                "-; it names paths, logs and sockets)" % a.label_b)
    if a.plugin_dir_b:
        check_dir_b(p, a)
    # A twin may be the reference.
    refs = ALL_PATHS + ([twin_name(n, a.label_b) for n in TWINNABLE]
                        if a.plugin_dir_b else [])
    if a.ref not in refs:
        p.error("bad --ref '%s' (accepted: %s)" % (a.ref, ", ".join(refs)))


def check_dir_b(p, a):
    d = a.plugin_dir_b = os.path.abspath(a.plugin_dir_b)
    if not os.path.isdir(d):
        p.error("bad --plugin-dir-b '%s': no such directory (expected a "
                "directory of driver plugins librte_*.so, e.g. a copy of "
                "another build's build/drivers/*.so)" % d)
    if not any(f.startswith("librte_") and f.endswith(".so")
               for f in os.listdir(d)):
        p.error("bad --plugin-dir-b '%s': no librte_*.so in it (expected "
                "the driver plugins of a build, e.g. a copy of its "
                "build/drivers/*.so)" % d)
    bad = world_writable(d)
    if bad:
        p.error("bad --plugin-dir-b '%s': %s is world-writable and EAL "
                "loads no plugin from there; copy the drivers elsewhere "
                "(devtools/plugin-dir.sh BUILD prints such a copy of "
                "BUILD/drivers)" % (d, bad))
    if not any(n in TWINNABLE for n in a.paths):
        p.error("--plugin-dir-b applies only to the paths that load our "
                "drivers (%s), and --paths selects none of them" %
                ", ".join(TWINNABLE))


def cycles_note(ctx):
    if ctx.perf_ok:
        return "perf stat -e cycles on the thread"
    if ctx.hz:
        return ("its CPU time x %.0f MHz, as perf has no cycle counter "
                "here; a polling thread is charged for empty polls" %
                (ctx.hz / 1e6))
    return "n/a"


OPTIONS_KEPT = ("rounds", "sizes", "queues", "paths", "duration", "warmup",
                "cpus", "ref", "sim_engine", "sim_devargs", "tx_first",
                "l1", "mbufs", "plugin_dir_b", "label_b")


def record(a, argv, started, ctx):
    """results.json before the samples: what was run, where, how."""
    return {"started": started,
            "command": " ".join(["devtools/bench.py"] + argv),
            "machine": machine(), "dpdk": dpdk_version(),
            "tree": tree_version(),
            "options": {k: getattr(a, k) for k in OPTIONS_KEPT},
            "cycles_note": cycles_note(ctx), "skipped": {}, "gave_up": {},
            "samples": [], "load_start": loadavg(), "paths_run": []}


def on_term(signum, frame):
    raise KeyboardInterrupt


def measure_all(ctx, res):
    """run_all; True when interrupted (Ctrl-C, or a SIGTERM: a test
    harness's timeout), which still stops the processes started here and
    writes what was measured."""
    signal.signal(signal.SIGTERM, on_term)
    try:
        run_all(ctx, res)
        return False
    except KeyboardInterrupt:
        log("\nbench: interrupted, writing what was measured")
        return True
    finally:
        shutil.rmtree(ctx.sockdir, ignore_errors=True)


def out_dir(a, started):
    if not a.out:
        a.out = os.path.join(os.path.abspath(a.build), "bench-" + started)
    a.out = os.path.abspath(a.out)
    os.makedirs(a.out, exist_ok=True)


def main(argv):
    a = parse_args(argv)
    if a.plot_only:
        plot(a.plot_only, a.out)
        return 0
    a.max_failures = 2
    started = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    try:
        out_dir(a, started)
    except OSError as e:
        print("bench: cannot create %s: %s" % (a.out, e), file=sys.stderr)
        return 1
    ctx = Ctx(a)
    res = record(a, argv, started, ctx)
    log("bench: results in %s (CPU A=%d, B=%d; %s)" %
        (a.out, a.cpus[0], a.cpus[1], res["cycles_note"]))
    interrupted = measure_all(ctx, res)
    res["load_end"] = loadavg()
    res["plugin_dir_a"] = ctx.plugin_dir_found()
    rows, ratios = summarize(res)
    res["rows"] = rows
    res["ratios"] = ratios
    try:
        md = write_results(a.out, res, rows, ratios)
    except OSError as e:
        print("bench: cannot write results: %s" % e, file=sys.stderr)
        return 1
    note = None
    if not a.no_plot and res["paths_run"]:
        note = make_plot(os.path.join(a.out, "results.json"),
                         os.path.join(a.out, "plot.png"))
    print()
    print(md)
    if note:
        log("bench: no plot: %s" % note)
    log("bench: wrote %s/table.md%s" % (
        a.out, "" if note or a.no_plot or not res["paths_run"]
        else " and plot.png"))
    return 130 if interrupted else 0
