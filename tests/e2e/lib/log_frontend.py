#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
"""A vhost-user front end that does what a migrating QEMU does to its
back end's dirty log, for tests of the vDPA path:

  1. sets up queue pair 0 (like bad_frontend.py), negotiating
     VHOST_F_LOG_ALL's prerequisites (the back end must offer it and the
     LOG_SHMFD protocol feature);
  1b. loops one packet through the device (tx queue 1 to rx queue 0)
     before logging starts;
  2. SET_LOG_BASE with a memfd bitmap (one bit per 4 KiB guest page),
     then SET_FEATURES with VHOST_F_LOG_ALL: the device must have marked
     both used rings;
  3. clears the bitmap, loops two packets through the device: exactly
     the rx buffer's page and the two used rings' pages must be marked,
     not the tx buffer nor any descriptor or avail ring;
  4. SET_FEATURES without VHOST_F_LOG_ALL, clears the bitmap, loops
     another packet: nothing may be marked;
  5. SEND_RARP (vhost then calls the driver's migration_done).

Exit status 0 when the back end behaved. With "event_idx" the front end
also negotiates VIRTIO_RING_F_EVENT_IDX (the back end must offer it).

  log_frontend.py SOCKET [event_idx]
"""

import mmap
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bad_frontend as bf  # noqa: E402

SET_LOG_BASE = 6
SEND_RARP = 19
F_LOG_ALL = 1 << 26
F_EVENT_IDX = 1 << 29
PF_LOG_SHMFD = 1 << 1
PAGE = 4096
LOG_SIZE = ((bf.GPA + bf.MEM_SIZE) // PAGE + 7) // 8
RX_BUF = 0x20000            # offsets in the memory, each on its own page
TX_BUF = 0x30000
HDR_LEN = 12
FRAME_LEN = 60
VRING_DESC_F_WRITE = 2


def setup(sock, memfd, extra):
    bf.send(sock, bf.SET_OWNER)
    bf.send(sock, bf.GET_FEATURES)
    offered = bf.recv_u64(sock, bf.GET_FEATURES)
    want = bf.F_VERSION_1 | bf.F_PROTOCOL_FEATURES | extra
    if offered & (want | F_LOG_ALL) != want | F_LOG_ALL:
        raise RuntimeError("back end offers 0x%x: not all of 0x%x"
                           % (offered, want | F_LOG_ALL))
    bf.send(sock, bf.SET_FEATURES, struct.pack("<Q", want))
    bf.send(sock, bf.GET_PROTOCOL_FEATURES)
    pf = bf.recv_u64(sock, bf.GET_PROTOCOL_FEATURES)
    if not pf & PF_LOG_SHMFD:
        raise RuntimeError("back end protocol features 0x%x: no LOG_SHMFD"
                           % pf)
    bf.send(sock, bf.SET_PROTOCOL_FEATURES, struct.pack("<Q", PF_LOG_SHMFD))
    region = struct.pack("<QQQQ", bf.GPA, bf.MEM_SIZE, bf.QVA, 0)
    bf.send(sock, bf.SET_MEM_TABLE, struct.pack("<II", 1, 0) + region,
            [memfd])
    kicks = {}
    for q, (desc, avail, used) in bf.RINGS.items():
        bf.send(sock, bf.SET_VRING_NUM, struct.pack("<II", q, bf.QSIZE))
        bf.send(sock, bf.SET_VRING_BASE, struct.pack("<II", q, 0))
        bf.send(sock, bf.SET_VRING_ADDR, struct.pack(
            "<IIQQQQ", q, 0, bf.QVA + desc, bf.QVA + used, bf.QVA + avail,
            bf.GPA + used))
        kicks[q] = os.eventfd(0)
        bf.send(sock, bf.SET_VRING_KICK, struct.pack("<Q", q), [kicks[q]])
        bf.send(sock, bf.SET_VRING_CALL, struct.pack("<Q", q),
                [os.eventfd(0)])
    for q in bf.RINGS:
        bf.send(sock, bf.SET_VRING_ENABLE, struct.pack("<II", q, 1))
    return want, kicks


def post(mem, q, n, addr, length, flags):
    """Descriptor n of queue q, made available as the n-th chain."""
    desc, avail, _ = bf.RINGS[q]
    struct.pack_into("<QIHH", mem, desc + 16 * n, bf.GPA + addr, length,
                     flags, 0)
    bf.store_u16(mem, avail + 4 + 2 * n, n)
    bf.store_u16(mem, avail + 2, n + 1)


def used_idx(mem, q):
    return struct.unpack_from("<H", mem, bf.RINGS[q][2] + 2)[0]


def loop_packet(mem, kicks, n):
    """Packet n through the device; False if it did not come back
    (used indexes) or came back with other bytes."""
    mem[TX_BUF:TX_BUF + HDR_LEN] = bytes(HDR_LEN)
    mem[TX_BUF + HDR_LEN:TX_BUF + HDR_LEN + FRAME_LEN] = bytes(
        (i + n) & 0xff for i in range(FRAME_LEN))
    post(mem, 0, n, RX_BUF, 2048, VRING_DESC_F_WRITE)
    post(mem, 1, n, TX_BUF, HDR_LEN + FRAME_LEN, 0)
    os.eventfd_write(kicks[1], 1)
    frame = mem[TX_BUF + HDR_LEN:TX_BUF + HDR_LEN + FRAME_LEN]
    for _ in range(200):
        if used_idx(mem, 0) == n + 1 and used_idx(mem, 1) == n + 1:
            # The frame itself arrived, after the header the device wrote.
            return mem[RX_BUF + HDR_LEN:RX_BUF + HDR_LEN + FRAME_LEN] == \
                frame
        time.sleep(0.01)
    return False


def dirty_pages(log):
    pages = set()
    for i, b in enumerate(bytes(log)):
        for bit in range(8):
            if b >> bit & 1:
                pages.add(i * 8 + bit)
    return pages


def page_of(off):
    return (bf.GPA + off) // PAGE


def show(pages):
    return "{%s}" % ", ".join("0x%x" % p for p in sorted(pages))


def wait_pages(log, want, seconds=2.0):
    """The bitmap once it holds want (the device marks after writing)."""
    end = time.time() + seconds
    while True:
        got = dirty_pages(log)
        if want <= got or time.time() > end:
            return got
        time.sleep(0.01)


def main():
    path = sys.argv[1]
    extra = F_EVENT_IDX if sys.argv[2:3] == ["event_idx"] else 0
    memfd = os.memfd_create("log-frontend")
    os.ftruncate(memfd, bf.MEM_SIZE)
    mem = mmap.mmap(memfd, bf.MEM_SIZE)
    logfd = os.memfd_create("log-frontend-log")
    os.ftruncate(logfd, LOG_SIZE)
    log = mmap.mmap(logfd, LOG_SIZE)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(path)
    features, kicks = setup(sock, memfd, extra)
    time.sleep(1)          # the back end configures the device
    errors = []

    # 1b. Traffic before logging.
    if not loop_packet(mem, kicks, 0):
        errors.append("packet 0 (before logging) did not loop back "
                      "(used idx rx %d tx %d)"
                      % (used_idx(mem, 0), used_idx(mem, 1)))
    used_pages = {page_of(bf.RINGS[0][2]), page_of(bf.RINGS[1][2])}

    # 2. Logging on: the used rings are marked at once.
    bf.send(sock, SET_LOG_BASE, struct.pack("<QQ", LOG_SIZE, 0), [logfd])
    reply = sock.recv(12, socket.MSG_WAITALL)
    if len(reply) != 12 or struct.unpack("<I", reply[:4])[0] != SET_LOG_BASE:
        raise RuntimeError("bad reply to SET_LOG_BASE: %r" % reply)
    os.close(logfd)
    bf.send(sock, bf.SET_FEATURES, struct.pack("<Q", features | F_LOG_ALL))
    got = wait_pages(log, used_pages)
    if got != used_pages:
        errors.append("log on: dirty %s, expected the used rings %s"
                      % (show(got), show(used_pages)))

    # 3. Two packets: their rx buffer and the used rings, nothing else.
    log[:] = bytes(LOG_SIZE)
    for n in (1, 2):
        if not loop_packet(mem, kicks, n):
            errors.append("packet %d (logging) did not loop back "
                          "(used idx rx %d tx %d)"
                          % (n, used_idx(mem, 0), used_idx(mem, 1)))
    want = used_pages | {page_of(RX_BUF)}
    got = wait_pages(log, want)
    if got != want:
        errors.append("logging: dirty %s, expected %s (rx buffer 0x%x, "
                      "used rings; tx buffer 0x%x must be clean)"
                      % (show(got), show(want), page_of(RX_BUF),
                         page_of(TX_BUF)))

    # 4. Logging off: nothing more is marked.
    bf.send(sock, bf.SET_FEATURES, struct.pack("<Q", features))
    time.sleep(0.5)
    log[:] = bytes(LOG_SIZE)
    if not loop_packet(mem, kicks, 3):
        errors.append("packet 3 (logging off) did not loop back "
                      "(used idx rx %d tx %d)"
                      % (used_idx(mem, 0), used_idx(mem, 1)))
    time.sleep(0.2)
    got = dirty_pages(log)
    if got:
        errors.append("logging off: dirty %s" % show(got))

    # 5. The destination's announcement.
    bf.send(sock, SEND_RARP, struct.pack("<Q", 0x0200000000aa))
    time.sleep(0.5)
    sock.close()
    for e in errors:
        print("log_frontend: " + e)
    print("log_frontend: %s" % ("FAIL" if errors else "ok"))
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
