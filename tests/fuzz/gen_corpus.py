#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
"""Write the seed corpus of tests/fuzz (valid inputs, see each harness's
header comment for the layout): python3 tests/fuzz/gen_corpus.py"""

import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))

# Feature choice bits of fuzz_sim.c (feature_bits[]).
IN_ORDER, MRG, EVENT_IDX, INDIRECT, CSUM, TSO4, TSO6, CTRL_VQ, MQ, \
    GUEST_CSUM, GUEST_TSO4, GUEST_TSO6, CTRL_RX, CTRL_VLAN, CTRL_MAC, \
    MAC = [1 << i for i in range(16)]
NEXT, WRITE, IND = 1, 2, 4
HDR = 12


def desc(mode, off, length, flags, aux=0):
    return struct.pack('<BHHBH', mode << 5, off, length, flags, aux)


def frame(plen, proto=17):
    """Ethernet + IPv4 + UDP/TCP header, payload to plen bytes."""
    eth = b'\xff' * 6 + b'\x02\x00\x00\x00\x00\x01' + b'\x08\x00'
    l4 = 8 if proto == 17 else 20
    tot = plen - 14
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, tot, 1, 0, 64, proto, 0,
                     bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
    if proto == 17:
        l4h = struct.pack('!HHHH', 1000, 2000, tot - 20, 0)
    else:
        l4h = struct.pack('!HHIIBBHHH', 1000, 2000, 1, 0, 0x50, 0x18,
                          65535, 0, 0)
    body = bytes((i * 7) & 0xff for i in range(plen - 14 - 20 - l4))
    return eth + ip + l4h + body


def nethdr(flags=0, gso=0, hdr_len=0, mss=0, cstart=0, coff=0):
    return struct.pack('<BBHHHHH', flags, gso, hdr_len, mss, cstart, coff, 0)


def split_q(lg, start, descs, avail, cnt=None, aflags=0, uev=0):
    num = 1 << lg
    ring = list(avail) + [0] * (num - len(avail))
    d = list(descs) + [desc(0, 0, 0, 0)] * (num - len(descs))
    return (struct.pack('<BHBHH', lg, start,
                        len(avail) if cnt is None else cnt, aflags, uev) +
            struct.pack('<%dH' % num, *ring) + b''.join(d))


def packed_q(num, descs, last=0, uidx=0, wraps=3, evf=0, offw=0):
    d = list(descs) + [desc(0, 0, 0, 0)] * (num - len(descs))
    return struct.pack('<BBBBHH', num - 1, last, uidx, wraps, evf,
                       offw) + b''.join(d)


AV = 8  # packed: "available in the right lap"


def sim_seeds(packed):
    seeds = {}
    rxd = [desc(0, 2048 + 256 * i, 256, WRITE | (AV if packed else 0), i)
           for i in range(4)]
    big_rx = [desc(3, 8192 + 2048 * i, 2048, WRITE | (AV if packed else 0),
                   i) for i in range(8)]
    pkt = nethdr() + frame(64)
    tso = nethdr(1, 1, 54, 1000, 34, 16) + frame(3054, proto=6)
    av = AV if packed else 0

    def q(descs, n_avail, lg=4):
        if packed:
            return packed_q(1 << lg, descs)
        return split_q(lg, 0, descs, list(range(n_avail)))

    def head(feat, present, more=0, log=0, asid=0, unmap=0):
        return struct.pack('<HBBBBB', feat | MAC, present, more, log, asid,
                           unmap)

    # One packet through the loopback.
    seeds['loop'] = (head(0, 3, 1, unmap=0x80 | 15) + q([desc(0, 0, len(pkt), av)], 1) +
                     q(rxd, 4) + b'\x00' + pkt)
    # Header and frame in two buffers, rx with mergeable buffers.
    seeds['chain_mrg'] = (head(MRG, 3, 2, log=0xff, asid=1) +
                          q([desc(0, 0, HDR, NEXT | av, 1),
                             desc(0, HDR, len(pkt) - HDR, av)], 1) +
                          q(rxd, 4) + b'\x00' + pkt)
    # An indirect table at the end of the read-only page.
    seeds['indirect'] = (head(INDIRECT | EVENT_IDX, 3) +
                         q([desc(6, 0, 32, IND | av)], 1) + q(rxd, 4) +
                         b'\x02' + desc(0, 0, HDR, NEXT, 1) +
                         desc(0, HDR, len(pkt) - HDR, 0) + pkt)
    # TSO in software into big receive buffers.
    seeds['tso'] = (head(CSUM | TSO4 | MRG | IN_ORDER, 3, log=0x90) +
                    q([desc(0, 0, len(tso), av)], 1) + q(big_rx, 8) +
                    b'\x00' + tso)
    # Control queue (MQ: qid 4, slot 4): VQ_PAIRS_SET 2, then RX promisc 0.
    mq = struct.pack('<BBH', 4, 0, 2)
    promisc = struct.pack('<BBB', 0, 0, 0)
    ctrl = [desc(0, 512, 2, NEXT | av, 0), desc(0, 514, 2, NEXT | av, 0),
            desc(0, 600, 1, WRITE | av, 0),
            desc(0, 700, 2, NEXT | av, 0), desc(0, 702, 1, NEXT | av, 0),
            desc(0, 800, 1, WRITE | av, 0)]
    if not packed:
        ctrl[0] = desc(0, 512, 2, NEXT, 1)
        ctrl[1] = desc(0, 514, 2, NEXT, 2)
        ctrl[3] = desc(0, 700, 2, NEXT, 4)
        ctrl[4] = desc(0, 702, 1, NEXT, 5)
        cq = split_q(3, 0, ctrl, [0, 3])
    else:
        cq = packed_q(8, [ctrl[0], ctrl[1], ctrl[2], ctrl[3], ctrl[4],
                          ctrl[5]])
    body = bytearray(pkt + b'\x00' * 1024)
    body[512:516] = mq
    body[700:703] = promisc
    seeds['ctrl_mq'] = (head(CTRL_VQ | MQ | CTRL_RX, 0x13) +
                        q([desc(0, 0, len(pkt), av)], 1) + q(rxd, 4) + cq +
                        b'\x00' + bytes(body))
    return seeds


def vdpa_seeds():
    def region(gpa_pages, size_pages, hva_pages):
        return struct.pack('<BHHH', 0, gpa_pages, size_pages, hva_pages)

    def query(r, off, length):
        return struct.pack('<BiI', r, off, length)
    return {
        'two_regions': struct.pack('<BBH', 2, 0, 2) + region(0, 16, 0) +
        region(16, 16, 64) + query(0, 100, 64) + query(1, 4000, 200),
        # Contiguous in both spaces: a ring across the boundary.
        'contiguous': struct.pack('<BBH', 2, 1, 4) + region(0, 1, 0) +
        region(1, 1, 1) + query(0, 4000, 200),
        'overlap': struct.pack('<BBH', 2, 0, 2) + region(0, 16, 0) +
        region(8, 16, 64),
    }


def devargs_seeds():
    return {
        'basic': b'queues=2,queue_size=256,mtu=9000',
        'features': b'class=vdpa,packed_vq=1,in_order=1,mrg_rxbuf=0,'
                    b'csum=1,tso=1,guest_tso=1,log_dirty=0',
        'mac_uuid': b'mac=02:00:00:00:00:01,'
                    b'uuid=01234567-89ab-cdef-0123-456789abcdef',
        'engine': b'engine=thread,cpu=1,wire=net_null0,features=0xffff',
        'named': b'\xffmdev_sim7\nclass=net,mq=1,ctrl_vq=1',
    }


def pmd_seeds():
    seeds = {}
    tx4 = bytes([0, 3]) + b''.join(struct.pack('<HB', n, 0)
                                   for n in (60, 100, 1500, 64))
    # TCP checksum, TSO of a 1800-byte frame by 500, two segments.
    txo = (bytes([0, 1]) + struct.pack('<HB', 200, 2 | 0x10) +
           struct.pack('<H', 100) +
           struct.pack('<HBH', 1800, 8, 500))
    for port in range(4):
        # Honest: packets out, the engine loops them back, received.
        seeds['loop%d' % port] = bytes([port]) + tx4 + b'\x01\x04'
        # Hostile: a used rx entry with a huge length, a tx id twice.
        seeds['hostile%d' % port] = (bytes([port]) + tx4 + b'\x01' +
                                     b'\x02' + struct.pack('<HIB', 0, 65536, 1) +
                                     b'\x04' +
                                     b'\x03' + struct.pack('<HIB', 0, 0, 1) +
                                     tx4)
    seeds['offload0'] = b'\x00' + txo + b'\x01\x04'
    seeds['offload2'] = b'\x02' + txo + b'\x01\x04'
    # num_buffers of 40 in the first rx buffer, then the loopback.
    seeds['num_buffers'] = (b'\x00\x05' + struct.pack('<H', 0) +
                            bytes(10) + struct.pack('<H', 40) + tx4 +
                            b'\x01\x04')
    return seeds


def write(harness, seeds):
    d = os.path.join(HERE, 'corpus', harness)
    os.makedirs(d, exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(d, name), 'wb') as f:
            f.write(data)


write('fuzz_sim_split', sim_seeds(False))
write('fuzz_sim_packed', sim_seeds(True))
write('fuzz_vdpa_mem', vdpa_seeds())
write('fuzz_devargs', devargs_seeds())
write('fuzz_pmd', pmd_seeds())
