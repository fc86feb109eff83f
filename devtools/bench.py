#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
"""Throughput benchmark: virtio-mdev against DPDK's own software paths.

Every path is a forwarding loop measured on the same two CPUs, in the same
run, alternating path after path at each frame size and queue count
(--queues: queue pairs on both sides) and repeating for a number of
rounds. Each measurement starts fresh processes, sends
"start tx_first N" to the measured dpdk-testpmd, waits for the warm-up,
then takes two "show port stats all" samples: the received-packet rate of
the second (testpmd's own counter difference over the clock between the
two) is the figure.

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
never makes the script fail: it exits 0 once the table is written, 2 on a
usage error and 1 when it could not write its results.
"""

import argparse
import datetime
import itertools
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ALL_PATHS = ["pmd-sim", "pmd-sim-packed", "vhost-split", "vhost-packed",
             "memif", "vdpa-sim", "vdpa-vhost"]
ALL_SIZES = [64, 128, 256, 512, 1024, 1518]
FCS = 4            # testpmd's --txpkts is the frame without its FCS
L1_OVERHEAD = 20   # preamble + SFD (8) and inter-frame gap (12)
MIN_SIZE, MAX_SIZE = 64, 1518
MEM_MB = 256       # EAL -m of every DPDK process
MAX_QUEUES = 16    # queue pairs: the sim device's limit (queues=1..16)

# Ratios printed per frame size and queue count: (numerator, denominator),
# both measured in the same round.
PAIRS = [("pmd-sim", "vhost-split"), ("pmd-sim", "vhost-packed"),
         ("pmd-sim", "memif"), ("pmd-sim-packed", "vhost-packed"),
         ("pmd-sim-packed", "memif"), ("pmd-sim-packed", "pmd-sim"),
         ("vhost-packed", "vhost-split"),
         ("memif", "vhost-split"), ("vdpa-sim", "vdpa-vhost")]

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CRASH_CODES = {-4: "SIGILL", -6: "SIGABRT", -7: "SIGBUS", -8: "SIGFPE",
               -11: "SIGSEGV", 132: "SIGILL", 134: "SIGABRT",
               135: "SIGBUS", 136: "SIGFPE", 139: "SIGSEGV"}


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


# ---------------------------------------------------------------- processes

class Proc:
    """A DPDK process fed commands on a pipe, bounded by timeout(1).

    The pipe stays open until quit (testpmd and the vdpa example read
    stdin), output is line-buffered into a log file so that the prompt and
    the statistics can be waited for.
    """

    def __init__(self, name, argv, logpath, limit):
        self.name = name
        self.logpath = logpath
        self.argv = argv
        self.logf = open(logpath, "wb")
        self.logf.write(("# " + " ".join(argv) + "\n").encode())
        self.logf.flush()
        cmd = ["timeout", "-k", "3", "%d" % limit]
        if shutil.which("stdbuf"):
            cmd += ["stdbuf", "-oL", "-eL"]
        self.p = subprocess.Popen(cmd + argv, stdin=subprocess.PIPE,
                                  stdout=self.logf, stderr=subprocess.STDOUT)

    def alive(self):
        return self.p.poll() is None

    def send(self, line):
        try:
            self.p.stdin.write((line + "\n").encode())
            self.p.stdin.flush()
        except (BrokenPipeError, ValueError, OSError):
            pass

    def text(self):
        try:
            with open(self.logpath, "rb") as f:
                return f.read().decode(errors="replace")
        except OSError:
            return ""

    def tail(self, n=8):
        lines = [ln for ln in self.text().splitlines() if ln.strip()]
        return " | ".join(lines[-n:])

    def wait_for(self, cond, tmo, what):
        """Poll the log until cond(text) holds; RunError on death or timeout."""
        end = time.monotonic() + tmo
        while time.monotonic() < end:
            if cond(self.text()):
                return
            if not self.alive():
                raise RunError("%s exited (status %s) waiting for %s: %s" %
                               (self.name, self.status(), what,
                                self.tail()), self.text())
            time.sleep(0.05)
        raise RunError("%s: no %s after %d s: %s" %
                       (self.name, what, tmo, self.tail()), self.text())

    def child_pid(self):
        """PID of the DPDK process itself (timeout's child)."""
        try:
            with open("/proc/%d/task/%d/children" %
                      (self.p.pid, self.p.pid)) as f:
                kids = f.read().split()
            return int(kids[0]) if kids else None
        except (OSError, ValueError):
            return None

    def status(self):
        rc = self.p.poll()
        if rc is None:
            return "running"
        if rc in CRASH_CODES:
            return "%d (%s)" % (rc, CRASH_CODES[rc])
        return str(rc)

    def crashed(self):
        return self.p.poll() in CRASH_CODES

    def stop(self, quit_cmd="quit", grace=8.0):
        """Ask it to quit (a command, or SIGTERM when quit_cmd is None),
        then signal its PID (and only that PID)."""
        if self.alive() and quit_cmd:
            self.send(quit_cmd)
        try:
            if quit_cmd:
                self.p.wait(timeout=grace)
            else:
                raise subprocess.TimeoutExpired(self.argv, 0)
        except subprocess.TimeoutExpired:
            child = self.child_pid()
            # timeout(1) passes SIGTERM on to its child.
            self.p.send_signal(signal.SIGTERM)
            try:
                self.p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                for pid in (child, self.p.pid):
                    if pid:
                        try:
                            os.kill(pid, signal.SIGKILL)
                        except ProcessLookupError:
                            pass
                self.p.wait()
        try:
            self.p.stdin.close()
        except OSError:
            pass
        self.logf.close()


def threads_of(pid):
    """{tid: comm} of a process."""
    out = {}
    try:
        for tid in os.listdir("/proc/%d/task" % pid):
            try:
                with open("/proc/%d/task/%s/comm" % (pid, tid)) as f:
                    out[int(tid)] = f.read().strip()
            except OSError:
                pass
    except OSError:
        pass
    return out


def cpu_ns(pid, tid):
    """Time a thread has spent on a CPU, in ns (schedstat)."""
    try:
        with open("/proc/%d/task/%d/schedstat" % (pid, tid)) as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def cpu_hz():
    """Nominal CPU clock, for turning CPU time into cycles."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("cpu MHz"):
                    return float(line.split(":")[1]) * 1e6
    except (OSError, ValueError):
        pass
    return None


def perf_cycles_work():
    """Does 'perf stat -e cycles' count anything here (not in most VMs)?"""
    if not shutil.which("perf"):
        return False
    try:
        r = subprocess.run(["perf", "stat", "-x,", "-e", "cycles", "true"],
                           capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    for line in r.stderr.splitlines():
        f = line.split(",")
        if len(f) > 2 and "cycles" in f[2]:
            return f[0].strip().isdigit()
    return False


class EngineMeter:
    """Cycles a device-side thread spends over the measured interval.

    perf's cycle counter when it works here, else the thread's CPU time
    times the nominal clock (a busy-polling thread is charged for its empty
    polls too: see doc/guides/perf.rst).
    """

    def __init__(self, ctx, pid, tids, label):
        self.ctx = ctx
        self.pid = pid
        self.tids = tids
        self.label = label
        self.start_ns = None
        self.perf = None
        self.perf_out = None

    def begin(self, duration):
        if self.ctx.perf_ok:
            self.perf_out = tempfile.NamedTemporaryFile(
                "w+", prefix="perf-", suffix=".txt", delete=False)
            tids = ",".join(str(t) for t in self.tids)
            self.perf = subprocess.Popen(
                ["timeout", "%d" % (duration + 10), "perf", "stat", "-x,",
                 "-e", "cycles", "-t", tids, "--", "sleep",
                 "%.3f" % duration],
                stdout=subprocess.DEVNULL, stderr=self.perf_out)
        vals = [cpu_ns(self.pid, t) for t in self.tids]
        self.start_ns = None if None in vals else sum(vals)

    def end(self):
        """(cycles, method) or (None, reason)."""
        vals = [cpu_ns(self.pid, t) for t in self.tids]
        if self.perf is not None:
            try:
                self.perf.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.perf.kill()
                self.perf.wait()
            self.perf_out.seek(0)
            text = self.perf_out.read()
            self.perf_out.close()
            os.unlink(self.perf_out.name)
            for line in text.splitlines():
                f = line.split(",")
                if len(f) > 2 and "cycles" in f[2] and \
                        f[0].strip().isdigit():
                    return int(f[0]), "perf"
        if self.start_ns is None or None in vals or not self.ctx.hz:
            return None, "thread gone"
        return (sum(vals) - self.start_ns) * self.ctx.hz / 1e9, "cputime"


# ---------------------------------------------------------------- testpmd

STATS_RE = re.compile(r"NIC statistics for port (\d+)\s*#+")


def parse_port_stats(text):
    """Every 'show port stats' block: list of dicts in log order."""
    blocks = []
    parts = STATS_RE.split(text)
    # parts: [before, port, body, port, body, ...]
    for i in range(1, len(parts) - 1, 2):
        body = parts[i + 1].split("########################", 1)[0]
        d = {"port": int(parts[i])}
        for key, rx in (("rx_packets", r"RX-packets:\s+(\d+)"),
                        ("rx_missed", r"RX-missed:\s+(\d+)"),
                        ("tx_packets", r"TX-packets:\s+(\d+)"),
                        ("rx_pps", r"Rx-pps:\s+(\d+)"),
                        ("tx_pps", r"Tx-pps:\s+(\d+)")):
            m = re.search(rx, body)
            if m:
                d[key] = int(m.group(1))
        blocks.append(d)
    return blocks


def prompt_ready(text):
    return "testpmd> " in text


class Ctx:
    """Everything the paths share: options, tools, CPUs, directories."""

    def __init__(self, args):
        self.args = args
        self.build = os.path.abspath(args.build)
        self.testpmd = args.testpmd
        self.cpu_a, self.cpu_b = args.cpus
        self.out = args.out
        self.logdir = os.path.join(self.out, "logs")
        os.makedirs(self.logdir, exist_ok=True)
        # Sockets live in a private directory, removed at the end.
        self.sockdir = tempfile.mkdtemp(prefix="vmdev-bench-")
        self.hz = cpu_hz()
        self.perf_ok = perf_cycles_work()
        self.seq = 0
        self._plugin_dir = None
        self._plugin_err = None
        self._vdpa_app = None
        self._vdpa_err = None

    def prefix(self, role):
        self.seq += 1
        return "vmbench%d_%d_%s" % (os.getpid(), self.seq, role)

    def limit(self):
        """Bound for one DPDK process of one measurement."""
        a = self.args
        return int(a.startup_timeout + a.warmup + a.duration + 40)

    def eal(self, lcores, role):
        return ["--lcores", lcores, "--in-memory", "--no-pci",
                "-m", str(MEM_MB),
                "--single-file-segments", "--file-prefix", self.prefix(role)]

    def testpmd_app(self, size, queues, auto_start=False, measured=False):
        """One forwarding lcore serves all the queue pairs. The measured
        testpmd records its forwarding cycles (see FWD_CYCLES_RE)."""
        a = ["-i", "--forward-mode=mac", "--txpkts=%d" % (size - FCS),
             "--total-num-mbufs=%d" % self.args.mbufs,
             "--rxq=%d" % queues, "--txq=%d" % queues, "--nb-cores=1"]
        if auto_start:
            a.append("--auto-start")
        if measured:
            a.append("--record-core-cycles")
        return a

    # Our drivers, as a directory EAL accepts for -d.
    def plugin_dir(self):
        if self._plugin_dir or self._plugin_err:
            if self._plugin_err:
                raise Skip(self._plugin_err)
            return self._plugin_dir
        d = None
        try:
            d = self._find_plugin_dir()
        except Skip as e:
            self._plugin_err = str(e)
            raise
        self._plugin_dir = d
        return d

    def plugin_dir_found(self):
        """A's driver directory when a path has looked it up, for the
        record (an A/B table names both); never looked up for this alone."""
        return os.path.abspath(self._plugin_dir) if self._plugin_dir else None

    def _find_plugin_dir(self):
        if self.args.plugin_dir:
            return os.path.abspath(self.args.plugin_dir)
        drivers = os.path.join(self.build, "drivers")
        built = os.path.isdir(drivers) and any(
            f.endswith(".so") for f in os.listdir(drivers))
        if not built:
            raise Skip("no driver in %s: run devtools/build.sh" % drivers)
        env = dict(os.environ, BUILD_DIR=self.build)
        helper = os.path.join(TOP, "devtools", "plugin-dir.sh")
        if os.path.exists(helper):
            cmd = ["sh", helper]
        else:
            cmd = ["sh", "-c", 'top="$1"; . "$1/devtools/lib.sh"; '
                   'plugin_dir "$BUILD_DIR"', "sh", TOP]
        r = subprocess.run(cmd, capture_output=True, text=True, env=env)
        out = r.stdout.strip().splitlines()
        if r.returncode != 0 or not out:
            raise Skip("no plugin directory EAL accepts: %s" %
                       (r.stderr.strip() or "plugin_dir failed"))
        return out[-1]

    def need_plugins(self, d, names):
        """d: the directory a path loads (A's, or --plugin-dir-b's)."""
        have = os.listdir(d)
        for n in names:
            if not any(f.startswith("librte_%s" % n) and f.endswith(".so")
                       for f in have):
                raise Skip("librte_%s.so not built yet (not in %s)" % (n, d))
        return d

    def vdpa_app(self):
        if self._vdpa_app:
            return self._vdpa_app
        if self._vdpa_err:
            raise Skip(self._vdpa_err)
        try:
            self._vdpa_app = self._find_vdpa_app()
        except Skip as e:
            self._vdpa_err = str(e)
            raise
        return self._vdpa_app

    def _find_vdpa_app(self):
        if self.args.vdpa_app:
            return self.args.vdpa_app
        for cand in ("examples/vdpa/vdpa-mdev", "examples/vdpa/dpdk-vdpa"):
            p = os.path.join(self.build, cand)
            if os.path.isfile(p) and os.access(p, os.X_OK):
                return p
        # DPDK's own example, built from Debian's dpdk-doc.
        src = "/usr/share/dpdk/examples/vdpa"
        if not os.path.isfile(os.path.join(src, "main.c")):
            raise Skip("no vdpa application: neither ours in %s/examples "
                       "nor DPDK's (apt-get install dpdk-doc)" % self.build)
        dst = os.path.join(self.build, "bench-tools", "vdpa")
        binary = os.path.join(dst, "build", "vdpa-shared")
        if os.path.exists(binary) and \
                os.path.getmtime(binary) >= os.path.getmtime(
                    os.path.join(src, "main.c")):
            return binary
        shutil.rmtree(dst, ignore_errors=True)
        shutil.copytree(src, dst)
        r = subprocess.run(["make", "-C", dst], capture_output=True,
                           text=True)
        if r.returncode != 0 or not os.path.exists(binary):
            raise Skip("building DPDK's examples/vdpa failed: %s" %
                       r.stderr.strip().splitlines()[-1:])
        return binary


# ---------------------------------------------------------------- paths

class Path:
    """One forwarding loop. run() returns (sample dict, processes)."""

    name = "?"
    what = ""
    nprocs = 2       # DPDK processes per measurement (hugepage need)
    plugins = ()     # our drivers it loads with EAL -d (librte_<n>.so)

    def __init__(self, ctx, twin_of=None, plugin_override=None):
        """twin_of: the name of the A path this one is the B twin of (it
        loads our drivers from plugin_override instead of A's)."""
        self.ctx = ctx
        self.plugin_override = plugin_override
        if twin_of:
            self.name = twin_name(twin_of, ctx.args.label_b)

    def plugin_dir(self):
        """Where this path's EAL -d finds our drivers: A's (the build's or
        --plugin-dir), or --plugin-dir-b's for a twin."""
        return self.plugin_override or self.ctx.plugin_dir()

    def check(self):
        """Raise Skip when a prerequisite is missing."""
        if not shutil.which(self.ctx.testpmd):
            raise Skip("%s not found (apt-get install dpdk)" %
                       self.ctx.testpmd)
        if self.plugins:
            self.ctx.need_plugins(self.plugin_dir(), self.plugins)

    def logpath(self, tag, role):
        return os.path.join(self.ctx.logdir, "%s-%s-%s.log" %
                            (tag, self.name, role))

    def sock(self, base):
        p = os.path.join(self.ctx.sockdir, base)
        if os.path.exists(p):
            os.unlink(p)
        return p

    def run(self, size, queues, tag):
        raise NotImplementedError

    def wait_link(self, drv):
        """tx_first on a port whose link is down (memif before its
        handshake, a vhost-user front end before the back end is ready)
        drops every packet: wait until the link is up."""
        end = time.monotonic() + self.ctx.args.startup_timeout
        while time.monotonic() < end:
            seen = drv.text().count("Link status: up")
            drv.send("show port info 0")
            time.sleep(0.3)
            text = drv.text()
            if text.count("Link status: up") > seen:
                return
            if "Invalid port 0" in text:
                raise RunError("%s has no port (the device was not "
                               "created): %s" % (drv.name,
                                                 why_no_port(text)), text)
            if not drv.alive():
                break
        raise RunError("%s: port 0 link not up after %d s: %s" %
                       (drv.name, self.ctx.args.startup_timeout, drv.tail()))

    def check_queues(self, drv, queues):
        """The port has the queue pairs asked for ('show port info 0' of
        wait_link printed them)."""
        got = RXQ_RE.findall(drv.text())
        if got and int(got[-1]) != queues:
            raise RunError("%s: port 0 has %s rx queue(s), not %d" %
                           (drv.name, got[-1], queues), drv.text())

    # The measurement on the driver-side testpmd, common to all paths.
    def measure(self, drv, queues, meter_fn):
        c = self.ctx
        a = c.args
        drv.wait_for(prompt_ready, a.startup_timeout, "testpmd prompt")
        self.wait_link(drv)
        self.check_queues(drv, queues)
        drv.send("start tx_first %d" % a.tx_first)
        time.sleep(a.warmup)
        meter = meter_fn()
        drv.send("show port stats all")
        drv.send("show fwd stats all")
        t0 = time.monotonic()
        if meter:
            meter.begin(a.duration)
        time.sleep(a.duration)
        drv.send("show port stats all")
        drv.send("show fwd stats all")
        t1 = time.monotonic()
        cyc = (None, "n/a")
        if meter:
            cyc = meter.end()
        drv.wait_for(lambda t: len(parse_port_stats(t)) >= 2, 10,
                     "second statistics sample")
        try:
            drv.wait_for(lambda t: len(FWD_CYCLES_RE.findall(t)) >= 2, 3,
                         "second forwarding cycles record")
        except RunError:
            pass    # a testpmd without them: the columns say n/a
        drv.send("stop")
        blocks = parse_port_stats(drv.text())
        port = min(b["port"] for b in blocks)
        mine = [b for b in blocks if b["port"] == port]
        if len(mine) < 2 or "rx_packets" not in mine[1]:
            raise RunError("could not read port statistics")
        s0, s1 = mine[0], mine[1]
        pkts = s1["rx_packets"] - s0["rx_packets"]
        pps = s1.get("rx_pps") or pkts / max(t1 - t0, 1e-6)
        sample = {"mpps": pps / 1e6, "packets": pkts,
                  "interval_s": round(t1 - t0, 3),
                  "tx_mpps": s1.get("tx_pps", 0) / 1e6,
                  "cycles_per_pkt": None, "cycles_method": cyc[1]}
        if cyc[0] is not None and pkts > 0:
            sample["cycles_per_pkt"] = cyc[0] / pkts
        sample.update(fwd_cycles(drv.text(), t1 - t0))
        if meter:
            sample["engine"] = meter.label
        return sample


RXQ_RE = re.compile(r"Current number of RX queues:\s*(\d+)")

# testpmd --record-core-cycles, in "show fwd stats all": the cycles its
# forwarding lcore spent in bursts that received packets (empty polls
# are not counted), the packets, the TSC clock.
FWD_CYCLES_RE = re.compile(r"CPU cycles/packet=[\d.]+ \((?:total|busy) "
                           r"cycles=(\d+) / total \S+ packets=(\d+)\) at "
                           r"(\d+) MHz")


def fwd_cycles(text, interval):
    """The measured forwarding lcore over the interval, from its last two
    cycle records: busy cycles per packet (what the PMD and the mac swap
    cost, whatever the rate) and the busy share of the interval (near
    100 %: this core is what limits the loop)."""
    got = FWD_CYCLES_RE.findall(text)
    out = {"fwd_cycles_per_pkt": None, "fwd_busy": None}
    if len(got) < 2:
        return out
    (c0, p0, _), (c1, p1, mhz) = [tuple(map(int, g)) for g in got[-2:]]
    if p1 > p0:
        out["fwd_cycles_per_pkt"] = (c1 - c0) / (p1 - p0)
    if interval > 0 and mhz > 0:
        out["fwd_busy"] = min(1.0, (c1 - c0) / (interval * mhz * 1e6))
    return out


def why_no_port(text):
    """The error lines of a testpmd log that has no port."""
    rx = re.compile(r"error|invalid|fail|refus|unknown|cannot|not ", re.I)
    lines = [ln.strip() for ln in text.splitlines()
             if rx.search(ln) and "Invalid port" not in ln and
             "valid ports array" not in ln and not ln.startswith("#")]
    return " | ".join(lines[:4]) or "no error printed"


def tids_named(proc, pattern):
    pid = proc.child_pid()
    if pid is None:
        return None, []
    rx = re.compile(pattern, re.I)
    return pid, [t for t, comm in threads_of(pid).items() if rx.search(comm)]


def engine_meter(ctx, proc, pattern, label):
    """A meter on proc's threads whose name matches, or None."""
    pid, tids = tids_named(proc, pattern)
    if not tids:
        return None
    return EngineMeter(ctx, pid, tids, label)


def sim_lcores(ctx, fwd_cpu):
    """EAL lcores (and options) of a process hosting the sim: main lcore 0
    on CPU A; with --sim-engine service, service lcore 1 on CPU A (EAL
    accepts service lcores only among the ids of existing CPUs); then the
    forwarding lcore on fwd_cpu when there is one."""
    lcores = ["0@%d" % ctx.cpu_a]
    extra = []
    if ctx.args.sim_engine == "service":
        lcores.append("1@%d" % ctx.cpu_a)
        extra = ["-s", "0x2"]
    if fwd_cpu is not None:
        lcores.append("%d@%d" % (len(lcores), fwd_cpu))
    return ",".join(lcores), extra


def sim_meter(ctx, proc):
    """The sim's engine: its own thread ("sim-<name>"), else service
    lcore 1 (see sim_lcores)."""
    if ctx.args.sim_engine == "thread":
        return engine_meter(ctx, proc, r"^sim-", "sim engine thread")
    return engine_meter(ctx, proc, r"^(rte|lcore)-worker-1$",
                        "sim engine service lcore")


def sim_devargs(ctx, queues, extra_class=None, ring=None):
    """ring: "packed_vq=1" and the like, before --sim-devargs (which
    may override it)."""
    a = ctx.args
    parts = ["mdev_sim0"]
    if extra_class:
        parts.append("class=" + extra_class)
    parts.append("queues=%d" % queues)
    parts.append("engine=" + a.sim_engine)
    if a.sim_engine == "thread":
        parts.append("cpu=%d" % ctx.cpu_a)
    if ring:
        parts.append(ring)
    if a.sim_devargs:
        parts.append(a.sim_devargs)
    return ",".join(parts)


class PmdSim(Path):
    name = "pmd-sim"
    nprocs = 1
    ring = None
    plugins = ("bus_mdev", "mdev_sim", "net_virtio_mdev")
    what = ("dpdk-testpmd with our PMD on the sim device: forwarding on "
            "CPU B, the sim engine on CPU A")

    def run(self, size, queues, tag):
        c = self.ctx
        lcores, eal_extra = sim_lcores(c, c.cpu_b)
        argv = ([c.testpmd] + c.eal(lcores, "pmd") + eal_extra +
                ["-d", self.plugin_dir(), "--vdev",
                 sim_devargs(c, queues, ring=self.ring), "--"] +
                c.testpmd_app(size, queues, measured=True))
        drv = Proc("testpmd(%s)" % self.name, argv,
                   self.logpath(tag, "testpmd"), c.limit())
        try:
            return (self.measure(drv, queues, lambda: sim_meter(c, drv)),
                    [drv])
        finally:
            drv.stop()


class PmdSimPacked(PmdSim):
    name = "pmd-sim-packed"
    ring = "packed_vq=1"
    what = "the same with packed rings (mdev_sim devarg packed_vq=1)"


class TwoSided(Path):
    """A device-side testpmd on CPU A, the measured testpmd on CPU B."""

    def device_argv(self, sock, size, queues):
        raise NotImplementedError

    def driver_vdev(self, sock, queues):
        raise NotImplementedError

    def device_ready(self, dev, sock):
        end = time.monotonic() + self.ctx.args.startup_timeout
        while time.monotonic() < end:
            if os.path.exists(sock):
                return
            if not dev.alive():
                raise RunError("%s exited (status %s) before creating its "
                               "socket: %s" % (dev.name, dev.status(),
                                               dev.tail()), dev.text())
            time.sleep(0.05)
        raise RunError("%s: no socket %s after %d s: %s" %
                       (dev.name, sock, self.ctx.args.startup_timeout,
                        dev.tail()))

    def dev_meter(self, dev):
        return engine_meter(self.ctx, dev, r"^(rte|lcore)-worker-1$",
                            "device-side forwarding lcore")

    def run(self, size, queues, tag):
        c = self.ctx
        sock = self.sock("%s-%d.sock" % (self.name, c.seq))
        dev = Proc("device(%s)" % self.name,
                   self.device_argv(sock, size, queues),
                   self.logpath(tag, "device"), c.limit())
        procs = [dev]
        drv = None
        try:
            self.device_ready(dev, sock)
            lcores = "0@%d,1@%d" % (c.cpu_b, c.cpu_b)
            argv = ([c.testpmd] + c.eal(lcores, "drv") +
                    ["--vdev", self.driver_vdev(sock, queues), "--"] +
                    c.testpmd_app(size, queues, measured=True))
            drv = Proc("testpmd(%s)" % self.name, argv,
                       self.logpath(tag, "testpmd"), c.limit())
            procs.append(drv)
            return (self.measure(drv, queues, lambda: self.dev_meter(dev)),
                    procs)
        finally:
            # Device side stops forwarding before its peer goes away: the
            # memif server crashes when its client leaves mid-burst.
            if self.device_stop and dev.alive():
                dev.send(self.device_stop)
                time.sleep(0.3)
            if drv:
                drv.stop()
            dev.stop(self.device_quit)
            if os.path.exists(sock):
                os.unlink(sock)

    device_quit = "quit"
    device_stop = "stop"


def virtio_user_vdev(sock, queues):
    return "net_virtio_user0,path=%s,queues=%d" % (sock, queues)


class VhostPath(TwoSided):
    packed = False

    def device_argv(self, sock, size, queues):
        c = self.ctx
        lcores = "0@%d,1@%d" % (c.cpu_a, c.cpu_a)
        return ([c.testpmd] + c.eal(lcores, "vhost") +
                ["--vdev", "net_vhost0,iface=%s,queues=%d" % (sock, queues),
                 "--"] + c.testpmd_app(size, queues, auto_start=True))

    def driver_vdev(self, sock, queues):
        v = virtio_user_vdev(sock, queues)
        if self.packed:
            v += ",packed_vq=1"
        return v


class VhostSplit(VhostPath):
    name = "vhost-split"
    what = ("DPDK's virtio-user (testpmd, CPU B) <-> DPDK's vhost PMD "
            "(testpmd, CPU A) over a vhost-user socket, split ring")


class VhostPacked(VhostPath):
    name = "vhost-packed"
    packed = True
    what = "the same pair with a packed ring (virtio-user packed_vq=1)"


class Memif(TwoSided):
    name = "memif"
    what = ("DPDK's memif client (testpmd, CPU B) <-> memif server "
            "(testpmd, CPU A) on one socket")

    # memif takes its queue counts from the ethdev configuration.
    def device_argv(self, sock, size, queues):
        c = self.ctx
        lcores = "0@%d,1@%d" % (c.cpu_a, c.cpu_a)
        return ([c.testpmd] + c.eal(lcores, "memifs") +
                ["--vdev", "net_memif0,role=server,socket=%s,"
                 "socket-abstract=no" % sock, "--"] +
                c.testpmd_app(size, queues, auto_start=True))

    def driver_vdev(self, sock, queues):
        return "net_memif0,role=client,socket=%s,socket-abstract=no" % sock


class VdpaVhost(VhostPath):
    name = "vdpa-vhost"
    what = ("vdpa-sim's reference: the same virtio-user front end -> "
            "DPDK's vhost PMD in testpmd (mac forwarding, CPU A)")

    def check(self):
        super().check()
        # Only meaningful next to vdpa-sim: skip with it.
        try:
            VdpaSim(self.ctx).check()
        except Skip as e:
            raise Skip("runs only beside vdpa-sim, which cannot: %s" % e)


class VdpaSim(TwoSided):
    name = "vdpa-sim"
    what = ("DPDK's virtio-user front end (testpmd, CPU B) -> vhost-user "
            "-> vdpa application with our vDPA driver and the sim device "
            "(engine on CPU A)")
    # Both vdpa applications quit cleanly on SIGTERM (ours has no "q").
    device_quit = None
    device_stop = None
    plugins = ("bus_mdev", "mdev_sim", "vdpa_mdev")

    def check(self):
        super().check()
        self.ctx.vdpa_app()

    def device_argv(self, sock, size, queues):
        """The application offers vhost-user the queue pairs of the vDPA
        device: the sim's queues=N is all it needs."""
        c = self.ctx
        # The example names its sockets <iface>0, <iface>1, ...
        iface = sock[:-1]
        lcores, extra = sim_lcores(c, None)
        return ([c.vdpa_app()] + c.eal(lcores, "vdpa") + extra +
                ["-d", self.plugin_dir(), "--vdev",
                 sim_devargs(c, queues, "vdpa"), "--", "--iface", iface])

    def sock(self, base):
        # The example serves <iface>0: name the socket so.
        return super().sock(base.replace(".sock", "-") + "0")

    def driver_vdev(self, sock, queues):
        return virtio_user_vdev(sock, queues)

    def dev_meter(self, dev):
        return sim_meter(self.ctx, dev)


PATH_CLASSES = {cls.name: cls for cls in
                (PmdSim, PmdSimPacked, VhostSplit, VhostPacked, Memif,
                 VdpaSim, VdpaVhost)}
# The paths that load our drivers: the ones --plugin-dir-b twins.
TWINNABLE = [n for n in ALL_PATHS if PATH_CLASSES[n].plugins]


def twin_name(name, label_b):
    """The B twin of path name: "pmd-sim@b". '@' and the label's
    characters ([A-Za-z0-9._-]) are safe in log and socket file names."""
    return "%s@%s" % (name, label_b)


def make_paths(ctx):
    """The selected paths, each twinned path followed by its B twin, so
    that the rotation of run_all alternates A and B round after round."""
    paths = []
    for name in ctx.args.paths:
        cls = PATH_CLASSES[name]
        paths.append(cls(ctx))
        if ctx.args.plugin_dir_b and cls.plugins:
            paths.append(cls(ctx, name, ctx.args.plugin_dir_b))
    return paths


# ---------------------------------------------------------------- results

def fmt(v, digits=2):
    return "n/a" if v is None else "%.*f" % (digits, v)


def gbps(mpps, size, l1):
    return mpps * (size + (L1_OVERHEAD if l1 else 0)) * 8 / 1000.0


def label(path, queues):
    """A path at a queue count, as the plot and the give-ups name it."""
    return "%s %dq" % (path, queues)


def pairs(res):
    """PAIRS, after the A/B ratios "<path>@<label> / <path>" of the
    twins (--plugin-dir-b): the figures those runs are for."""
    o = res["options"]
    if not o.get("plugin_dir_b"):
        return PAIRS
    return [(twin_name(n, o["label_b"]), n) for n in TWINNABLE] + PAIRS


def median_of(samples, key):
    """Median of a per-sample figure over the samples that have it."""
    v = [s[key] for s in samples if s.get(key) is not None]
    return statistics.median(v) if v else None


def summarize(res):
    """Medians, ranges and same-round ratios from the raw samples, per
    frame size and queue count."""
    o = res["options"]
    l1 = o["l1"]
    ref = o["ref"]
    rows = []
    by = {}
    for s in res["samples"]:
        if s.get("mpps") is not None:
            by.setdefault((s["path"], s["size"], s["queues"]),
                          {})[s["round"]] = s
    points = list(itertools.product(o["sizes"], o["queues"]))
    for size, queues in points:
        for path in res["paths_run"]:
            got = by.get((path, size, queues), {})
            if not got:
                rows.append({"size": size, "queues": queues, "path": path,
                             "runs": 0})
                continue
            m = [s["mpps"] for s in got.values()]
            row = {"size": size, "queues": queues, "path": path,
                   "runs": len(m), "mpps": statistics.median(m),
                   "mpps_min": min(m), "mpps_max": max(m)}
            for key in ("cycles_per_pkt", "fwd_cycles_per_pkt", "fwd_busy"):
                row[key] = median_of(got.values(), key)
            row["gbps"] = gbps(row["mpps"], size, l1)
            row["gbps_min"] = gbps(row["mpps_min"], size, l1)
            row["gbps_max"] = gbps(row["mpps_max"], size, l1)
            refs = by.get((ref, size, queues), {})
            r = [got[k]["mpps"] / refs[k]["mpps"] for k in got
                 if k in refs and refs[k]["mpps"] > 0]
            if r and path != ref:
                row["ratio"] = statistics.median(r)
            rows.append(row)
    ratios = []
    for num, den in pairs(res):
        if num not in res["paths_run"] or den not in res["paths_run"]:
            continue
        for size, queues in points:
            a = by.get((num, size, queues), {})
            b = by.get((den, size, queues), {})
            r = [a[k]["mpps"] / b[k]["mpps"] for k in a
                 if k in b and b[k]["mpps"] > 0]
            if r:
                ratios.append({"pair": "%s / %s" % (num, den), "size": size,
                               "queues": queues,
                               "median": statistics.median(r),
                               "min": min(r), "max": max(r), "rounds": len(r),
                               "ahead": sum(1 for x in r if x > 1)})
    return rows, ratios


def markdown(res, rows, ratios):
    o = res["options"]
    unit = "L1: frame + 20 B preamble/IFG" if o["l1"] else \
        "L2: whole frame incl. FCS, no preamble/IFG"
    out = ["# virtio-mdev benchmark %s" % res["started"], ""]
    out.append("- command: `%s`" % res["command"])
    out.append("- machine: %s" % res["machine"])
    out.append("- DPDK: %s; tree: %s" % (res["dpdk"], res["tree"]))
    out.append("- load average (1 min) at start %s, at end %s: other work "
               "on these CPUs makes the figures vary" %
               (res["load_start"], res.get("load_end", "?")))
    out.append("- CPUs: A=%d (device side: sim engine, vhost/memif server),"
               " B=%d (measured testpmd forwarding lcore)" %
               (o["cpus"][0], o["cpus"][1]))
    out.append("- %d round(s) x %s s measured after %s s warm-up, paths "
               "alternating within each round; `start tx_first %d`; "
               "`--txpkts` = frame size - 4 (FCS)" %
               (o["rounds"], o["duration"], o["warmup"], o["tx_first"]))
    if o.get("plugin_dir_b"):
        out.append("- A/B: `<path>@%s` loads our drivers from B=`%s`, "
                   "`<path>` from A=`%s`, alternating in the same rounds" %
                   (o["label_b"], o["plugin_dir_b"],
                    res.get("plugin_dir_a") or "?"))
    out.append("- queues: queue pairs on both sides of every path "
               "(`--rxq`/`--txq`, vdev `queues=`), served by one "
               "forwarding lcore")
    out.append("- Mpps: packets received per second by the measured "
               "testpmd port (its own counter difference over the "
               "interval); Gbit/s %s" % unit)
    out.append("- dev cyc/pkt: CPU cycles of the device-side thread per "
               "packet (%s); vs %s: median of same-round ratios" %
               (res["cycles_note"], o["ref"]))
    out.append("- fwd cyc/pkt, fwd busy: the measured forwarding lcore's "
               "cycles per packet in bursts that received packets "
               "(testpmd --record-core-cycles; empty polls not counted) "
               "and their share of the interval (near 100 %: that lcore "
               "limits the loop)")
    out.append("")
    out.append("| frame B | queues | path | Mpps (median) | Mpps min-max |"
               " Gbit/s | vs %s | dev cyc/pkt | fwd cyc/pkt | fwd busy |"
               " runs |" % o["ref"])
    out.append("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        if not r["runs"]:
            out.append("| %d | %d | %s | failed | | | | | | | 0 |" %
                       (r["size"], r["queues"], r["path"]))
            continue
        busy = r.get("fwd_busy")
        out.append("| %d | %d | %s | %.2f | %.2f-%.2f | %.2f | %s | %s |"
                   " %s | %s | %d |" % (
                       r["size"], r["queues"], r["path"], r["mpps"],
                       r["mpps_min"], r["mpps_max"], r["gbps"],
                       "ref" if r["path"] == o["ref"] else
                       fmt(r.get("ratio")),
                       fmt(r["cycles_per_pkt"], 0),
                       fmt(r.get("fwd_cycles_per_pkt"), 0),
                       "n/a" if busy is None else "%.0f %%" % (100 * busy),
                       r["runs"]))
    if ratios:
        # "ahead": rounds in which the first path was faster. On a
        # machine whose rate flips between phases, a count such as 9/10
        # says more than a median over a range of 0.4-2.4.
        out += ["", "## Same-round ratios (Mpps)", "",
                "| pair | frame B | queues | median | min-max | rounds |"
                " ahead |",
                "|---|---:|---:|---:|---:|---:|---:|"]
        for q in ratios:
            out.append("| %s | %d | %d | %.2f | %.2f-%.2f | %d | %d/%d |" % (
                q["pair"], q["size"], q["queues"], q["median"], q["min"],
                q["max"], q["rounds"], q["ahead"], q["rounds"]))
    if res["skipped"]:
        out += ["", "## Skipped paths", ""]
        for p, why in res["skipped"].items():
            out.append("- %s: %s" % (p, why))
    if res["gave_up"]:
        out += ["", "## Paths given up during the run", ""]
        for p, why in res["gave_up"].items():
            out.append("- %s: %s" % (p, why))
    errs = [s for s in res["samples"] if s.get("error")]
    if errs:
        out += ["", "## Failed measurements", ""]
        for s in errs:
            out.append("- round %d, %d B, %dq, %s: %s" % (
                s["round"], s["size"], s["queues"], s["path"],
                s["error"][:400]))
    crashes = [s for s in res["samples"] if s.get("crashed")]
    if crashes:
        out += ["", "## Processes that crashed", ""]
        for s in crashes:
            out.append("- round %d, %d B, %dq, %s: %s" % (
                s["round"], s["size"], s["queues"], s["path"],
                s["crashed"]))
    return "\n".join(out) + "\n"


def write_csv(path, rows):
    keys = ["size", "queues", "path", "runs", "mpps", "mpps_min",
            "mpps_max", "gbps", "gbps_min", "gbps_max", "ratio",
            "cycles_per_pkt", "fwd_cycles_per_pkt", "fwd_busy"]
    with open(path, "w") as f:
        f.write(",".join(keys) + "\n")
        for r in rows:
            f.write(",".join("" if r.get(k) is None else
                             ("%.4f" % r[k] if isinstance(r[k], float)
                              else str(r[k])) for k in keys) + "\n")


# ---------------------------------------------------------------- plot

def have_matplotlib():
    try:
        import matplotlib
        return matplotlib is not None
    except ImportError:
        return False


def ensure_matplotlib():
    """Debian's python3-matplotlib, installed with apt-get when missing.

    Returns the Python to plot with (this one, or Debian's when this one is
    another installation that does not see Debian's packages), or None.
    """
    if have_matplotlib():
        return sys.executable
    syspy = "/usr/bin/python3"

    def sys_has():
        if not os.path.exists(syspy):
            return False
        return subprocess.run([syspy, "-c", "import matplotlib"],
                              capture_output=True).returncode == 0

    if not sys_has() and shutil.which("apt-get"):
        log("bench: installing python3-matplotlib with apt-get ...")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        r = subprocess.run(["apt-get", "install", "-y", "-q",
                            "python3-matplotlib"], capture_output=True,
                           text=True, env=env)
        if r.returncode != 0:
            subprocess.run(["apt-get", "update", "-q"], capture_output=True,
                           env=env)
            subprocess.run(["apt-get", "install", "-y", "-q",
                            "python3-matplotlib"], capture_output=True,
                           env=env)
    if have_matplotlib():
        return sys.executable
    return syspy if sys_has() else None


PLOT_LS = ["-", "--", ":", "-."]
PLOT_MARKERS = ["o", "s", "^", "D"]


def plot(json_path, png_path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with open(json_path) as f:
        res = json.load(f)
    rows = res["rows"]
    o = res["options"]
    fig, axes = plt.subplots(1, 2, figsize=(13.5, 4.8))
    # One line per path and queue count: a colour per path, a line style
    # and marker per queue count.
    lines = list(itertools.product(enumerate(res["paths_run"]),
                                   enumerate(o["queues"])))
    n = len(lines)
    for i, ((p, path), (q, queues)) in enumerate(lines):
        pts = [r for r in rows if r["path"] == path and
               r["queues"] == queues and r["runs"]]
        if not pts:
            continue
        # A small shift per line keeps the range bars apart.
        shift = 2 ** ((i - (n - 1) / 2.0) * 0.02)
        x = [r["size"] * shift for r in pts]
        style = {"color": "C%d" % (p % 10), "ls": PLOT_LS[q % len(PLOT_LS)],
                 "marker": PLOT_MARKERS[q % len(PLOT_MARKERS)]}
        for ax, key in ((axes[0], "mpps"), (axes[1], "gbps")):
            y = [r[key] for r in pts]
            lo = [r[key] - r[key + "_min"] for r in pts]
            hi = [r[key + "_max"] - r[key] for r in pts]
            ax.errorbar(x, y, yerr=[lo, hi], capsize=3,
                        label=label(path, queues), **style)
    axes[0].set_ylabel("Mpps (median, bars: min-max)")
    axes[1].set_ylabel("Gbit/s (%s)" % ("L1, +20 B/frame" if o["l1"]
                                        else "L2, frame incl. FCS"))
    for ax in axes:
        ax.set_xscale("log", base=2)
        ax.set_xlim(min(o["sizes"]) / 1.5, max(o["sizes"]) * 1.5)
        ax.set_xticks(o["sizes"])
        ax.set_xticklabels([str(s) for s in o["sizes"]])
        ax.set_xlabel("frame size (B)")
        ax.grid(True, alpha=0.3)
        ax.set_ylim(bottom=0)
    # Beside the axes: with a dozen lines it would hide some inside them.
    if axes[0].get_legend_handles_labels()[0]:
        fig.legend(*axes[0].get_legend_handles_labels(), loc="center right",
                   fontsize="small")
    fig.suptitle("virtio-mdev benchmark %s: %d round(s) x %s s" %
                 (res["started"], o["rounds"], o["duration"]))
    fig.tight_layout(rect=(0, 0, 0.86, 1))
    fig.savefig(png_path, dpi=100)


def make_plot(json_path, png_path):
    py = ensure_matplotlib()
    if py is None:
        return "matplotlib unavailable (apt-get install python3-matplotlib)"
    if py == sys.executable:
        try:
            plot(json_path, png_path)
            return None
        except Exception as e:  # a plot must never cost the table
            return "plot failed: %s" % e
    r = subprocess.run([py, os.path.abspath(__file__), "--plot-only",
                        json_path, "--out", png_path],
                       capture_output=True, text=True)
    if r.returncode != 0:
        return "plot failed: %s" % r.stderr.strip()[-300:]
    return None


# ---------------------------------------------------------------- main

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


def parse_args(argv):
    ncpu = os.cpu_count() or 1
    p = argparse.ArgumentParser(
        prog="bench.py", description=__doc__.split("\n")[0],
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
    p.add_argument("--plot-only", metavar="RESULTS_JSON",
                   help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.plot_only:
        return a
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
    check_ab(p, a)
    refs = ALL_PATHS + ([twin_name(n, a.label_b) for n in TWINNABLE]
                        if a.plugin_dir_b else [])
    if a.ref not in refs:
        p.error("bad --ref '%s' (accepted: %s)" % (a.ref, ", ".join(refs)))
    return a


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
    """--plugin-dir-b and --label-b: usage errors now rather than a run of
    twins that all fail."""
    if not LABEL_RE.match(a.label_b):
        p.error("bad --label-b '%s' (accepted: 1 to 32 of A-Z a-z 0-9 . _ "
                "-; it names paths, logs and sockets)" % a.label_b)
    if not a.plugin_dir_b:
        return
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


def main(argv):
    a = parse_args(argv)
    if a.plot_only:
        plot(a.plot_only, a.out)
        return 0
    a.max_failures = 2
    started = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    if not a.out:
        a.out = os.path.join(os.path.abspath(a.build), "bench-" + started)
    a.out = os.path.abspath(a.out)
    try:
        os.makedirs(a.out, exist_ok=True)
    except OSError as e:
        print("bench: cannot create %s: %s" % (a.out, e), file=sys.stderr)
        return 1
    ctx = Ctx(a)
    cycles_note = ("perf stat -e cycles on the thread" if ctx.perf_ok else
                   "its CPU time x %.0f MHz, as perf has no cycle counter "
                   "here; a polling thread is charged for empty polls" %
                   (ctx.hz / 1e6) if ctx.hz else "n/a")
    opts = {k: getattr(a, k) for k in ("rounds", "sizes", "queues",
                                       "paths", "duration", "warmup",
                                       "cpus", "ref",
                                       "sim_engine", "sim_devargs",
                                       "tx_first", "l1", "mbufs",
                                       "plugin_dir_b", "label_b")}
    res = {"started": started, "command": " ".join(
        ["devtools/bench.py"] + argv), "machine": machine(),
        "dpdk": dpdk_version(), "tree": tree_version(), "options": opts,
        "cycles_note": cycles_note, "skipped": {}, "gave_up": {},
        "samples": [], "load_start": loadavg(),
        "paths_run": []}
    log("bench: results in %s (CPU A=%d, B=%d; %s)" %
        (a.out, a.cpus[0], a.cpus[1], cycles_note))
    interrupted = False

    def on_term(signum, frame):
        raise KeyboardInterrupt

    # A SIGTERM (a test harness's timeout) stops the processes started
    # here and still writes the table, like Ctrl-C.
    signal.signal(signal.SIGTERM, on_term)
    try:
        run_all(ctx, res)
    except KeyboardInterrupt:
        interrupted = True
        log("\nbench: interrupted, writing what was measured")
    finally:
        shutil.rmtree(ctx.sockdir, ignore_errors=True)
    res["load_end"] = loadavg()
    res["plugin_dir_a"] = ctx.plugin_dir_found()
    rows, ratios = summarize(res)
    res["rows"] = rows
    res["ratios"] = ratios
    try:
        jpath = os.path.join(a.out, "results.json")
        with open(jpath, "w") as f:
            json.dump(res, f, indent=1)
        write_csv(os.path.join(a.out, "results.csv"), rows)
        md = markdown(res, rows, ratios)
        with open(os.path.join(a.out, "table.md"), "w") as f:
            f.write(md)
    except OSError as e:
        print("bench: cannot write results: %s" % e, file=sys.stderr)
        return 1
    note = None
    if not a.no_plot and res["paths_run"]:
        note = make_plot(jpath, os.path.join(a.out, "plot.png"))
    print()
    print(md)
    if note:
        log("bench: no plot: %s" % note)
    log("bench: wrote %s/table.md%s" % (
        a.out, "" if note or a.no_plot or not res["paths_run"]
        else " and plot.png"))
    return 130 if interrupted else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
