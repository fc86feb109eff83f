# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
"""The DPDK processes of a measurement: started under timeout(1), fed
commands on a pipe, stopped by their own PID, and the CPU cycles of their
threads."""

import os
import re
import shutil
import signal
import subprocess
import tempfile
import time

from . import RunError
from .telemetry import runtime_dir

CRASH_CODES = {-4: "SIGILL", -6: "SIGABRT", -7: "SIGBUS", -8: "SIGFPE",
               -11: "SIGSEGV", 132: "SIGILL", 134: "SIGABRT",
               135: "SIGBUS", 136: "SIGFPE", 139: "SIGSEGV"}


class Proc:
    """A DPDK process fed commands on a pipe, bounded by timeout(1).

    The pipe stays open until quit (testpmd and the vdpa example read
    stdin); output is line-buffered into a log file so that the prompt can
    be waited for and a failure explained. file_prefix is the process's
    EAL --file-prefix, where its telemetry socket lives.
    """

    def __init__(self, name, argv, logpath, limit):
        self.name = name
        self.logpath = logpath
        self.argv = argv
        self.file_prefix = option_value(argv, "--file-prefix")
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

    def died(self, what):
        return RunError("%s exited (status %s) %s: %s" %
                        (self.name, self.status(), what, self.tail()),
                        self.text())

    def wait_for(self, cond, tmo, what):
        """Poll the log until cond(text) holds; RunError on death or timeout."""
        end = time.monotonic() + tmo
        while time.monotonic() < end:
            if cond(self.text()):
                return
            if not self.alive():
                raise self.died("waiting for " + what)
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
            if not quit_cmd:
                raise subprocess.TimeoutExpired(self.argv, 0)
            self.p.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self._terminate()
        try:
            self.p.stdin.close()
        except OSError:
            pass
        self.logf.close()
        if self.file_prefix:
            # A process that had to be killed leaves its runtime
            # directory (and telemetry socket) behind.
            shutil.rmtree(runtime_dir(self.file_prefix), ignore_errors=True)

    def _terminate(self):
        child = self.child_pid()
        # timeout(1) passes SIGTERM on to its child.
        self.p.send_signal(signal.SIGTERM)
        try:
            self.p.wait(timeout=5)
            return
        except subprocess.TimeoutExpired:
            pass
        for pid in (child, self.p.pid):
            if pid:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        self.p.wait()


def option_value(argv, opt):
    """The value after opt in argv, or None."""
    for i, arg in enumerate(argv[:-1]):
        if arg == opt:
            return argv[i + 1]
    return None


# ---------------------------------------------------------------- cycles

def threads_of(pid):
    """{tid: comm} of a process."""
    out = {}
    try:
        tids = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return out
    for tid in tids:
        try:
            with open("/proc/%d/task/%s/comm" % (pid, tid)) as f:
                out[int(tid)] = f.read().strip()
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


def perf_cycles(text):
    """The count of a 'perf stat -x, -e cycles' output, or None."""
    for line in text.splitlines():
        f = line.split(",")
        if len(f) > 2 and "cycles" in f[2] and f[0].strip().isdigit():
            return int(f[0])
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
    return perf_cycles(r.stderr) is not None


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
        self.start_ns = self._cpu_ns()

    def _cpu_ns(self):
        vals = [cpu_ns(self.pid, t) for t in self.tids]
        return None if None in vals else sum(vals)

    def _perf_end(self):
        try:
            self.perf.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.perf.kill()
            self.perf.wait()
        self.perf_out.seek(0)
        text = self.perf_out.read()
        self.perf_out.close()
        os.unlink(self.perf_out.name)
        return perf_cycles(text)

    def end(self):
        """(cycles, method) or (None, reason)."""
        now = self._cpu_ns()
        if self.perf is not None:
            cycles = self._perf_end()
            if cycles is not None:
                return cycles, "perf"
        if self.start_ns is None or now is None or not self.ctx.hz:
            return None, "thread gone"
        return (now - self.start_ns) * self.ctx.hz / 1e9, "cputime"


def engine_meter(ctx, proc, pattern, label):
    """A meter on proc's threads whose name matches, or None."""
    pid = proc.child_pid()
    if pid is None:
        return None
    rx = re.compile(pattern, re.I)
    tids = [t for t, comm in threads_of(pid).items() if rx.search(comm)]
    if not tids:
        return None
    return EngineMeter(ctx, pid, tids, label)
