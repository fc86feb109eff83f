#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
"""A misbehaving vhost-user front end, for tests of the vDPA path.

Connects to a vhost-user socket, sets up queue pair 0 (split rings of
256 entries in a memfd it shares as its memory table) like a real front
end, then puts one malformed chain on the transmit queue and kicks it:

  oob   a descriptor whose buffer lies outside the memory table
  loop  a descriptor chain that points back at itself
  private  a descriptor at the first page above the memory table, where
        the vDPA driver keeps its own control queue (in an address
        space of its own that the front end's queues cannot name)

The device must refuse the chain (never touch the memory, count it,
stop the queue); this script checks the front end's memory outside the
rings was not written and that nothing was returned as used, then
closes the connection. Exit status 0 when the device behaved.

  bad_frontend.py SOCKET oob|loop|private|ring|memtable|memwrap
"""

import mmap
import os
import socket
import struct
import sys
import time

# vhost-user requests (vhost-user protocol, QEMU docs/interop).
GET_FEATURES = 1
SET_FEATURES = 2
SET_OWNER = 3
SET_MEM_TABLE = 5
SET_VRING_NUM = 8
SET_VRING_ADDR = 9
SET_VRING_BASE = 10
SET_VRING_KICK = 12
SET_VRING_CALL = 13
GET_PROTOCOL_FEATURES = 15
SET_PROTOCOL_FEATURES = 16
SET_VRING_ENABLE = 18

VERSION = 0x1
REPLY = 0x4
F_VERSION_1 = 1 << 32
F_PROTOCOL_FEATURES = 1 << 30

MEM_SIZE = 4 << 20
GPA = 0x100000            # guest physical address of the memfd
QVA = 0x7f0000000000      # the front end's own address of it
QSIZE = 256
# Offsets in the memory of each queue's desc, avail and used rings.
RINGS = {0: (0x00000, 0x01000, 0x02000), 1: (0x10000, 0x11000, 0x12000)}
BUF = 0x20000             # a legitimate buffer area (oob case unused)
VRING_DESC_F_NEXT = 1


def send(sock, req, payload=b"", fds=()):
    msg = struct.pack("<III", req, VERSION, len(payload)) + payload
    if fds:
        socket.send_fds(sock, [msg], list(fds))
    else:
        sock.sendall(msg)


def recv_u64(sock, req):
    hdr = sock.recv(12, socket.MSG_WAITALL)
    r, flags, size = struct.unpack("<III", hdr)
    body = sock.recv(size, socket.MSG_WAITALL)
    if r != req or not flags & REPLY or size != 8:
        raise RuntimeError("bad reply to request %d: %r" % (req, hdr))
    return struct.unpack("<Q", body)[0]


def setup(sock, memfd, case):
    send(sock, SET_OWNER)
    send(sock, GET_FEATURES)
    offered = recv_u64(sock, GET_FEATURES)
    want = F_VERSION_1 | F_PROTOCOL_FEATURES
    if offered & want != want:
        raise RuntimeError("back end offers 0x%x, no VERSION_1" % offered)
    send(sock, SET_FEATURES, struct.pack("<Q", want))
    send(sock, GET_PROTOCOL_FEATURES)
    recv_u64(sock, GET_PROTOCOL_FEATURES)
    send(sock, SET_PROTOCOL_FEATURES, struct.pack("<Q", 0))
    gpa = GPA
    if case == "memwrap":
        # Guest memory that ends at 2^64: IOVAs above it would wrap.
        gpa = (1 << 64) - MEM_SIZE
    region = struct.pack("<QQQQ", gpa, MEM_SIZE, QVA, 0)
    if case == "memtable":
        # A second region whose guest addresses overlap the first one.
        other = os.memfd_create("bad-frontend-overlap")
        os.ftruncate(other, MEM_SIZE)
        region += struct.pack("<QQQQ", GPA + MEM_SIZE // 2, MEM_SIZE,
                              QVA + 2 * MEM_SIZE, 0)
        send(sock, SET_MEM_TABLE, struct.pack("<II", 2, 0) + region,
             [memfd, other])
    else:
        send(sock, SET_MEM_TABLE, struct.pack("<II", 1, 0) + region,
             [memfd])
    kicks = {}
    for q, (desc, avail, used) in RINGS.items():
        if case == "ring" and q == 1:
            # A used ring 2 bytes off its required 4-byte alignment.
            used += 2
        send(sock, SET_VRING_NUM, struct.pack("<II", q, QSIZE))
        send(sock, SET_VRING_BASE, struct.pack("<II", q, 0))
        send(sock, SET_VRING_ADDR, struct.pack("<IIQQQQ", q, 0,
             QVA + desc, QVA + used, QVA + avail, gpa + used))
        kicks[q] = os.eventfd(0)
        send(sock, SET_VRING_KICK, struct.pack("<Q", q), [kicks[q]])
        send(sock, SET_VRING_CALL, struct.pack("<Q", q), [os.eventfd(0)])
    for q in RINGS:
        send(sock, SET_VRING_ENABLE, struct.pack("<II", q, 1))
    return kicks


def store_u16(mem, off, value):
    """One 16-bit store, for ring fields the device reads concurrently
    (avail idx): struct.pack_into zero-fills its bytes before writing
    them, so the device could see 0 for a moment and rightly call the
    index bogus. off must be even."""
    view = memoryview(mem).cast("H")
    view[off // 2] = value
    view.release()


def post_bad_chain(mem, case):
    desc, avail, _ = RINGS[1]
    if case in ("ring", "memtable", "memwrap"):
        # A good chain: the device must still not touch a refused queue.
        struct.pack_into("<QIHH", mem, desc, GPA + BUF, 64, 0, 0)
    elif case == "oob":
        # 64 bytes at a guest address far beyond the memory table.
        struct.pack_into("<QIHH", mem, desc, 0xdead0000000, 64, 0, 0)
    elif case == "private":
        # The driver's control queue page, right above guest memory.
        struct.pack_into("<QIHH", mem, desc, GPA + MEM_SIZE, 64, 0, 0)
    else:
        # NEXT pointing at itself: a chain that never ends.
        struct.pack_into("<QIHH", mem, desc, GPA + BUF, 64,
                         VRING_DESC_F_NEXT, 0)
    store_u16(mem, avail + 4, 0)      # ring[0] = head 0
    store_u16(mem, avail + 2, 1)      # idx = 1


def main():
    path, case = sys.argv[1], sys.argv[2]
    cases = ("oob", "loop", "private", "ring", "memtable", "memwrap")
    if case not in cases:
        sys.exit("case must be one of %s, not %r" % (", ".join(cases), case))
    memfd = os.memfd_create("bad-frontend")
    os.ftruncate(memfd, MEM_SIZE)
    mem = mmap.mmap(memfd, MEM_SIZE)
    # A pattern the device must not overwrite outside the used rings.
    mem[BUF:MEM_SIZE] = b"\xa5" * (MEM_SIZE - BUF)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(path)
    kicks = setup(sock, memfd, case)
    time.sleep(1)          # the back end configures the device
    post_bad_chain(mem, case)
    os.eventfd_write(kicks[1], 1)
    time.sleep(2)
    used_idx = struct.unpack_from("<H", mem, RINGS[1][2] + 2)[0]
    intact = mem[BUF + 64:MEM_SIZE] == b"\xa5" * (MEM_SIZE - BUF - 64)
    sock.close()
    print("%s: used idx %d, memory %s" %
          (case, used_idx, "intact" if intact else "WRITTEN"))
    if used_idx != 0 or not intact:
        sys.exit(1)


if __name__ == "__main__":
    main()
