#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
"""List the mdev devices of a running DPDK process, like mdevctl list.

Reads the process's telemetry socket (/mdev/list, /mdev/info) and prints
one line per device: UUID, alias, parent, type, class, consumer, driver,
status and the features the device offers.

With --kernel, lists instead the kernel's vDPA devices on this machine
(no DPDK process needed): name, driver, management device, and for
those bound to vhost_vdpa the character device to attach with
--vdev mdev_vhost_vdpaN,path=/dev/vhost-vdpa-M.
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


def kernel_devices():
    """The kernel's vDPA devices, from /sys/bus/vdpa/devices."""
    out = []
    for dev in sorted(glob.glob("/sys/bus/vdpa/devices/*")):
        real = os.path.realpath(dev)
        drv = os.path.join(dev, "driver")
        chars = sorted(glob.glob(os.path.join(real, "vhost-vdpa-*")))
        out.append({
            "name": os.path.basename(dev),
            "driver": os.path.basename(os.path.realpath(drv))
            if os.path.exists(drv) else None,
            "mgmtdev": os.path.basename(os.path.dirname(real)),
            "path": "/dev/" + os.path.basename(chars[0]) if chars else None,
        })
    return out


def print_kernel(as_json):
    devices = kernel_devices()
    if as_json:
        print(json.dumps(devices, indent=2))
        return
    if not devices:
        print("no kernel vDPA device (/sys/bus/vdpa/devices is empty or "
              "absent: load vdpa and a vDPA driver, then "
              "'vdpa dev add ...')")
    for i, dev in enumerate(devices):
        line = "%s driver=%s mgmtdev=%s" % (dev["name"], dev["driver"] or "-",
                                           dev["mgmtdev"])
        if dev["path"]:
            line += " path=%s (--vdev mdev_vhost_vdpa%d,path=%s)" % (
                dev["path"], i, dev["path"])
        else:
            line += " (not bound to vhost_vdpa)"
        print(line)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-f", "--file-prefix", default="rte",
                        help="EAL --file-prefix of the process (default rte)")
    parser.add_argument("-s", "--socket", help="telemetry socket path")
    parser.add_argument("-j", "--json", action="store_true",
                        help="print JSON instead of a table")
    parser.add_argument("-k", "--kernel", action="store_true",
                        help="list the kernel's vDPA devices instead")
    args = parser.parse_args()
    if args.kernel:
        print_kernel(args.json)
        return

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
