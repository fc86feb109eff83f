# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
"""Counters of a running DPDK process, as JSON, over its telemetry socket.

Reading them this way rather than from testpmd's "show port stats" screen
gives exact numbers, no parsing of a layout that changes between
releases, and a read that does not mix with the process's other output.
"""

import json
import os
import socket

SOCKET_NAME = "dpdk_telemetry.v2"


def runtime_dir(file_prefix):
    """EAL's runtime directory of a process started with --file-prefix:
    /var/run/dpdk for root, else $XDG_RUNTIME_DIR (or /tmp)/dpdk."""
    if os.geteuid() == 0:
        base = "/var/run"
    else:
        base = os.environ.get("XDG_RUNTIME_DIR", "/tmp")
    return os.path.join(base, "dpdk", file_prefix)


class TelemetryError(Exception):
    """The socket is not there yet, or the process went away."""


class Telemetry:
    """One connection to a process's telemetry socket."""

    def __init__(self, file_prefix, timeout=5.0):
        self.path = os.path.join(runtime_dir(file_prefix), SOCKET_NAME)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.sock.settimeout(timeout)
        try:
            self.sock.connect(self.path)
            # The greeting says how long a reply may be: a SEQPACKET
            # read shorter than the message would truncate it.
            greeting = json.loads(self.sock.recv(4096))
        except (OSError, ValueError) as e:
            self.sock.close()
            raise TelemetryError("%s: %s" % (self.path, e))
        self.bufsize = max(int(greeting.get("max_output_len", 0)), 16384)

    def query(self, cmd):
        """The value the command returns (None for an invalid port)."""
        try:
            self.sock.send(cmd.encode())
            reply = json.loads(self.sock.recv(self.bufsize))
        except (OSError, ValueError) as e:
            raise TelemetryError("%s %s: %s" % (self.path, cmd, e))
        return reply.get(cmd.split(",", 1)[0])

    def ports(self):
        return self.query("/ethdev/list") or []

    def stats(self, port):
        """ipackets, opackets, imissed... (rte_eth_stats)."""
        return self.query("/ethdev/stats,%d" % port)

    def link_up(self, port):
        st = self.query("/ethdev/link_status,%d" % port)
        return bool(st) and st.get("status") == "UP"

    def info(self, port):
        """nb_rx_queues, dev_started... (rte_eth_dev_info and state)."""
        return self.query("/ethdev/info,%d" % port)

    def close(self):
        self.sock.close()
