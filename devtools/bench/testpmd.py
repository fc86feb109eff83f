# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
"""One measurement on the measured dpdk-testpmd: wait for its port, start
forwarding, read its counters over telemetry before and after the
interval."""

import re
import time

from . import RunError
from .telemetry import Telemetry, TelemetryError

# testpmd --record-core-cycles, in "show fwd stats all": the cycles its
# forwarding lcore spent in bursts that received packets (empty polls
# are not counted), the packets, the TSC clock.
FWD_CYCLES_RE = re.compile(r"CPU cycles/packet=[\d.]+ \((?:total|busy) "
                           r"cycles=(\d+) / total \S+ packets=(\d+)\) at "
                           r"(\d+) MHz")


def prompt_ready(text):
    return "testpmd> " in text


def fwd_cycles(text, interval):
    """The measured forwarding lcore over the interval, from its last two
    cycle records: busy cycles per packet (what the PMD and the mac swap
    cost, whatever the rate) and the busy share of the interval (near
    100 %: this core is what limits the loop).

    The one figure still scraped from testpmd's screen: DPDK 22.11 has no
    telemetry command for testpmd's forwarding-engine cycles."""
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


def connect(drv, tmo):
    """drv's telemetry socket (EAL creates it before the prompt; a retry
    covers a socket still being set up)."""
    end = time.monotonic() + tmo
    while True:
        try:
            return Telemetry(drv.file_prefix)
        except TelemetryError as e:
            if not drv.alive():
                raise drv.died("before its telemetry socket")
            if time.monotonic() >= end:
                raise RunError("%s: no telemetry: %s" % (drv.name, e),
                               drv.text())
        time.sleep(0.1)


def first_port(drv, tel):
    ports = tel.ports()
    if not ports:
        raise RunError("%s has no port (the device was not created): %s" %
                       (drv.name, why_no_port(drv.text())), drv.text())
    return min(ports)


def wait_link(drv, tel, port, tmo):
    """tx_first on a port whose link is down (memif before its handshake,
    a vhost-user front end before the back end is ready) drops every
    packet: wait until the link is up."""
    end = time.monotonic() + tmo
    while time.monotonic() < end:
        if tel.link_up(port):
            return
        if not drv.alive():
            raise drv.died("waiting for its link")
        time.sleep(0.1)
    raise RunError("%s: port %d link not up after %d s: %s" %
                   (drv.name, port, tmo, drv.tail()))


def check_queues(drv, tel, port, queues):
    """The port has the queue pairs asked for."""
    got = (tel.info(port) or {}).get("nb_rx_queues")
    if got is not None and got != queues:
        raise RunError("%s: port %d has %s rx queue(s), not %d" %
                       (drv.name, port, got, queues), drv.text())


def read_stats(drv, tel, port):
    """(monotonic time, rte_eth_stats) of the port."""
    try:
        st = tel.stats(port)
    except TelemetryError as e:
        raise RunError("%s: could not read port statistics: %s" %
                       (drv.name, e), drv.text())
    if not st or "ipackets" not in st:
        raise RunError("%s: could not read port statistics" % drv.name,
                       drv.text())
    return time.monotonic(), st


def measure(args, drv, queues, meter_fn):
    """The measurement on the driver-side testpmd, common to all paths:
    a sample dict (see report.summarize for what is made of it)."""
    drv.wait_for(prompt_ready, args.startup_timeout, "testpmd prompt")
    tel = connect(drv, args.startup_timeout)
    try:
        port = first_port(drv, tel)
        wait_link(drv, tel, port, args.startup_timeout)
        check_queues(drv, tel, port, queues)
        return forward(args, drv, tel, port, meter_fn)
    finally:
        tel.close()


def forward(args, drv, tel, port, meter_fn):
    drv.send("start tx_first %d" % args.tx_first)
    time.sleep(args.warmup)
    meter = meter_fn()
    t0, s0 = read_stats(drv, tel, port)
    drv.send("show fwd stats all")
    if meter:
        meter.begin(args.duration)
    time.sleep(args.duration)
    t1, s1 = read_stats(drv, tel, port)
    drv.send("show fwd stats all")
    cyc = meter.end() if meter else (None, "n/a")
    try:
        drv.wait_for(lambda t: len(FWD_CYCLES_RE.findall(t)) >= 2, 3,
                     "second forwarding cycles record")
    except RunError:
        pass    # a testpmd without them: the columns say n/a
    # The log before "stop", which prints a third cycles record.
    text = drv.text()
    drv.send("stop")
    return sample(s0, s1, t1 - t0, cyc, text, meter)


def sample(s0, s1, interval, cyc, text, meter):
    pkts = s1["ipackets"] - s0["ipackets"]
    interval = max(interval, 1e-6)
    out = {"mpps": pkts / interval / 1e6, "packets": pkts,
           "interval_s": round(interval, 3),
           "tx_mpps": (s1["opackets"] - s0["opackets"]) / interval / 1e6,
           "cycles_per_pkt": None, "cycles_method": cyc[1]}
    if cyc[0] is not None and pkts > 0:
        out["cycles_per_pkt"] = cyc[0] / pkts
    out.update(fwd_cycles(text, interval))
    if meter:
        out["engine"] = meter.label
    return out
