#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
"""List the mdev devices of a running DPDK process, like mdevctl list.

Reads the process's telemetry socket (/mdev/list, /mdev/info) and prints
one line per device: UUID, alias, parent, type, class, consumer, driver,
status and the features the device offers.
"""

import argparse
import glob
import json
import os
import socket
import sys

STATUS_BITS = [(1, "ACK"), (2, "DRIVER"), (4, "DRIVER_OK"),
               (8, "FEATURES_OK"), (64, "NEEDS_RESET"), (128, "FAILED")]


def socket_paths(prefix):
    """Telemetry sockets of running processes with this file prefix."""
    bases = ["/var/run/dpdk", os.path.expanduser("~/.dpdk")]
    xdg = os.environ.get("XDG_RUNTIME_DIR")
    if xdg:
        bases.insert(0, os.path.join(xdg, "dpdk"))
    found = []
    for base in bases:
        pattern = os.path.join(base, prefix, "dpdk_telemetry.v2*")
        found.extend(sorted(glob.glob(pattern)))
    return found


class Telemetry:
    """One connection to a DPDK telemetry v2 socket."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.sock.connect(path)
        hello = json.loads(self.sock.recv(4096).decode())
        self.max_len = hello.get("max_output_len", 16384)

    def query(self, cmd):
        self.sock.send(cmd.encode())
        reply = json.loads(self.sock.recv(self.max_len).decode())
        return reply.get(cmd.split(",")[0])


def status_names(value):
    status = int(value, 16)
    if status == 0:
        return "RESET"
    return "|".join(name for bit, name in STATUS_BITS if status & bit)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-f", "--file-prefix", default="rte",
                        help="EAL --file-prefix of the process (default rte)")
    parser.add_argument("-s", "--socket", help="telemetry socket path")
    parser.add_argument("-j", "--json", action="store_true",
                        help="print JSON instead of a table")
    args = parser.parse_args()

    paths = [args.socket] if args.socket else socket_paths(args.file_prefix)
    if not paths:
        sys.exit("no telemetry socket for prefix '%s' (is the DPDK process "
                 "running, with telemetry enabled?)" % args.file_prefix)
    tel = Telemetry(paths[0])
    devices = [tel.query("/mdev/info," + uuid)
               for uuid in tel.query("/mdev/list") or []]
    if args.json:
        print(json.dumps(devices, indent=2))
        return
    for dev in devices:
        print("%s %s parent=%s type=%s class=%s consumer=%s driver=%s "
              "status=%s features=%s" % (
                  dev["uuid"], dev["alias"], dev["parent"], dev["type"],
                  dev["class"], dev["consumer"], dev["driver"] or "-",
                  status_names(dev["status"]), dev["device_features"]))


if __name__ == "__main__":
    main()
