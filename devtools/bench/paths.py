# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
"""The measured configurations: each path starts its processes, has the
measured testpmd forward for a while, and stops them."""

import os
import shutil
import time

from . import RunError, Skip, testpmd
from .processes import Proc, engine_meter

ALL_PATHS = ["pmd-sim", "pmd-sim-packed", "vhost-split", "vhost-packed",
             "memif", "vdpa-sim", "vdpa-vhost"]


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

    def measure(self, drv, queues, meter_fn):
        return testpmd.measure(self.ctx.args, drv, queues, meter_fn)


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

    # What the device side is told before it quits ("stop" and "quit" of
    # testpmd), None for SIGTERM.
    device_stop = "stop"
    device_quit = "quit"

    def device_ready(self, dev, sock):
        end = time.monotonic() + self.ctx.args.startup_timeout
        while time.monotonic() < end:
            if os.path.exists(sock):
                return
            if not dev.alive():
                raise dev.died("before creating its socket")
            time.sleep(0.05)
        raise RunError("%s: no socket %s after %d s: %s" %
                       (dev.name, sock, self.ctx.args.startup_timeout,
                        dev.tail()))

    def dev_meter(self, dev):
        return engine_meter(self.ctx, dev, r"^(rte|lcore)-worker-1$",
                            "device-side forwarding lcore")

    def start_driver(self, sock, size, queues, tag):
        c = self.ctx
        lcores = "0@%d,1@%d" % (c.cpu_b, c.cpu_b)
        argv = ([c.testpmd] + c.eal(lcores, "drv") +
                ["--vdev", self.driver_vdev(sock, queues), "--"] +
                c.testpmd_app(size, queues, measured=True))
        return Proc("testpmd(%s)" % self.name, argv,
                    self.logpath(tag, "testpmd"), c.limit())

    def run(self, size, queues, tag):
        c = self.ctx
        sock = self.sock("%s-%d.sock" % (self.name, c.seq))
        dev = Proc("device(%s)" % self.name,
                   self.device_argv(sock, size, queues),
                   self.logpath(tag, "device"), c.limit())
        drv = None
        try:
            self.device_ready(dev, sock)
            drv = self.start_driver(sock, size, queues, tag)
            return (self.measure(drv, queues, lambda: self.dev_meter(dev)),
                    [dev, drv])
        finally:
            self.stop_pair(dev, drv, sock)

    def stop_pair(self, dev, drv, sock):
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
