# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
"""What the paths share: options, tools, CPUs, directories, and where our
drivers and the vdpa application are."""

import os
import shutil
import subprocess
import tempfile

from . import TOP, Skip
from .processes import cpu_hz, perf_cycles_work

MEM_MB = 256       # EAL -m of every DPDK process
FCS = 4            # testpmd's --txpkts is the frame without its FCS


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
        self._found = {}

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
        testpmd records its forwarding cycles (see testpmd.fwd_cycles)."""
        a = ["-i", "--forward-mode=mac", "--txpkts=%d" % (size - FCS),
             "--total-num-mbufs=%d" % self.args.mbufs,
             "--rxq=%d" % queues, "--txq=%d" % queues, "--nb-cores=1"]
        if auto_start:
            a.append("--auto-start")
        if measured:
            a.append("--record-core-cycles")
        return a

    def _once(self, key, find):
        """find() once: its result, or the Skip it raised, is kept."""
        if key not in self._found:
            try:
                self._found[key] = (find(), None)
            except Skip as e:
                self._found[key] = (None, str(e))
        value, err = self._found[key]
        if err:
            raise Skip(err)
        return value

    def plugin_dir(self):
        """Our drivers, as a directory EAL accepts for -d."""
        return self._once("plugin_dir", self._find_plugin_dir)

    def plugin_dir_found(self):
        """A's driver directory when a path has looked it up, for the
        record (an A/B table names both); never looked up for this alone."""
        d = self._found.get("plugin_dir", (None, None))[0]
        return os.path.abspath(d) if d else None

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
        return self._once("vdpa_app", self._find_vdpa_app)

    def _find_vdpa_app(self):
        if self.args.vdpa_app:
            return self.args.vdpa_app
        for cand in ("examples/vdpa/vdpa-mdev", "examples/vdpa/dpdk-vdpa"):
            p = os.path.join(self.build, cand)
            if os.path.isfile(p) and os.access(p, os.X_OK):
                return p
        return build_dpdk_vdpa(self.build)


def build_dpdk_vdpa(build):
    """DPDK's own examples/vdpa, built from Debian's dpdk-doc into
    build/bench-tools (once: rebuilt only when the source is newer)."""
    src = "/usr/share/dpdk/examples/vdpa"
    if not os.path.isfile(os.path.join(src, "main.c")):
        raise Skip("no vdpa application: neither ours in %s/examples "
                   "nor DPDK's (apt-get install dpdk-doc)" % build)
    dst = os.path.join(build, "bench-tools", "vdpa")
    binary = os.path.join(dst, "build", "vdpa-shared")
    if os.path.exists(binary) and os.path.getmtime(binary) >= \
            os.path.getmtime(os.path.join(src, "main.c")):
        return binary
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst)
    r = subprocess.run(["make", "-C", dst], capture_output=True, text=True)
    if r.returncode != 0 or not os.path.exists(binary):
        raise Skip("building DPDK's examples/vdpa failed: %s" %
                   r.stderr.strip().splitlines()[-1:])
    return binary
