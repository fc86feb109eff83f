/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * fuzz_pmd: the virtio-mdev PMD (drivers/net/virtio_mdev) against a
 * hostile device. The device is the sim (class=net, manual engine), which
 * the harness overrides at will: between the PMD's bursts it writes used
 * entries of its choosing into the rings the PMD gave (ids, lengths and
 * indexes out of range or repeated, packed flags of any lap) and
 * arbitrary virtio-net headers (num_buffers, offload flags) into receive
 * buffers, or lets the real engine run a pass.
 *
 * Four ports: split and packed, each with and without mergeable rx
 * buffers (and with or without a control queue); ports 0 and 2 enable
 * every offload they offer (checksums, TSO, LRO), 1 and 3 none. Every input restarts its port (dev_stop resets the
 * device, dev_start sets it up again), then runs up to 64 operations.
 * Every mbuf the PMD returns must pass rte_mbuf_check() (refcount,
 * segments, lengths) and lie within its buffer, and each input must give
 * back every mbuf it took from the pool (checked after the port stops).
 *
 * Input: u8 port, then operations, each a u8 opcode and its arguments:
 *   0 tx n: n (1..8) packets, each u16 length, u8 offloads (bits: IP
 *       csum, TCP csum, UDP csum, TSO then u16 MSS, two segments then
 *       u16 split point)
 *   1 a pass of the real engine
 *   2/3 used entry on rx/tx: split: u16 id, u32 len, u8 index step;
 *       packed: u16 position, u16 id, u32 len, u8 flags mode
 *   4 rx burst
 *   5 a header in the rx buffer of descriptor u16: 12 bytes
 *   6 stats
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_bus_vdev.h>
#include <rte_byteorder.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "sim.h"
#include "sim_engine.h"

#include "fuzz_common.h"

#define NPORTS		4
#define QSIZE		64
#define NB_MBUF		2047
#define MAX_OPS		64
#define P_AVAIL		(1u << VRING_PACKED_DESC_F_AVAIL)
#define P_USED		(1u << VRING_PACKED_DESC_F_USED)

static const char * const port_args[NPORTS] = {
	"queues=1,queue_size=64,mq=0,ctrl_vq=0",
	"queues=1,queue_size=64,mq=0,mrg_rxbuf=0",
	"queues=1,queue_size=64,packed_vq=1",
	"queues=1,queue_size=64,packed_vq=1,mrg_rxbuf=0,ctrl_vq=0,mq=0",
};

static struct {
	uint16_t port;
	struct rte_mdev_device *mdev;
	bool started;
} ports[NPORTS];

static struct rte_mempool *pool;
static bool verbose;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
die(const char *what)
{
	fprintf(stderr, "fuzz_pmd: %s\n", what);
	exit(1);
}

/*
 * Close the ports at exit: their private data is in EAL memory, which
 * LeakSanitizer does not scan, so what only it points to would be
 * reported as leaked.
 */
static void
close_ports(void)
{
	int i;

	for (i = 0; i < NPORTS; i++)
		rte_eth_dev_close(ports[i].port);
}

int
LLVMFuzzerInitialize(int *argc __rte_unused, char ***argv)
{
	struct rte_eth_dev_info info;
	struct rte_eth_conf conf;
	char name[32];
	uint16_t before, pid;
	int i, j;

	verbose = getenv("FUZZ_VERBOSE") != NULL;
	fuzz_eal_init((*argv)[0]);
	pool = rte_pktmbuf_pool_create("fuzz_pmd", NB_MBUF, 0, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	if (pool == NULL)
		die("no mbuf pool");
	sim_engine_set_manual(true);
	for (i = 0; i < NPORTS; i++) {
		snprintf(name, sizeof(name), "mdev_simP%d", i);
		before = rte_eth_dev_count_avail();
		if (rte_vdev_init(name, port_args[i]) != 0 ||
				(ports[i].mdev = rte_mdev_find(name)) == NULL ||
				rte_eth_dev_count_avail() != before + 1)
			die("cannot create the ports");
		/* The port that was not there before. */
		RTE_ETH_FOREACH_DEV(pid) {
			for (j = 0; j < i && ports[j].port != pid; j++)
				;
			if (j == i)
				break;
		}
		ports[i].port = pid;
		memset(&conf, 0, sizeof(conf));
		/* Ports 0 and 2 with every offload, 1 and 3 without. */
		if (i % 2 == 0 && rte_eth_dev_info_get(pid, &info) == 0) {
			conf.rxmode.offloads = info.rx_offload_capa;
			conf.txmode.offloads = info.tx_offload_capa;
			conf.rxmode.max_lro_pkt_size = info.max_lro_pkt_size;
		}
		if (rte_eth_dev_configure(ports[i].port, 1, 1, &conf) != 0 ||
				rte_eth_rx_queue_setup(ports[i].port, 0, QSIZE,
					SOCKET_ID_ANY, NULL, pool) != 0 ||
				rte_eth_tx_queue_setup(ports[i].port, 0, QSIZE,
					SOCKET_ID_ANY, NULL) != 0)
			die("cannot set the ports up");
	}
	atexit(close_ports);
	return 0;
}

static void
bad_mbuf(const char *why)
{
	fprintf(stderr, "fuzz_pmd: received mbuf: %s\n", why);
	abort();
}

/* An mbuf the PMD delivered: sane, each segment within its buffer. */
static void
check_mbuf(struct rte_mbuf *m)
{
	const char *why = NULL;
	struct rte_mbuf *s;

	if (rte_mbuf_check(m, 1, &why) != 0)
		bad_mbuf(why);
	for (s = m; s != NULL; s = s->next) {
		if (s->pool != pool)
			bad_mbuf("not from the pool");
		if ((uint32_t)s->data_off + s->data_len > s->buf_len)
			bad_mbuf("data past the buffer's end");
		if (rte_mbuf_refcnt_read(s) != 1)
			bad_mbuf("refcount not 1");
	}
}

/*
 * A TCP/IPv4 (or UDP) frame of len bytes, its header fields consistent
 * (the device may parse them for checksums and segmentation), its
 * payload zero: packets are the same whatever mbuf they land in.
 */
static struct rte_mbuf *
tx_frame(uint16_t len, uint8_t ol, uint16_t mss, uint16_t split)
{
	static const uint8_t eth[14] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 8, 0 };
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool), *m2 = NULL;
	struct rte_ipv4_hdr *ip;
	uint8_t *p;

	if (m == NULL)
		return NULL;
	/* Two segments: the second one has the bytes after split. */
	if ((ol & 0x10) && split > 0 && split < len) {
		m2 = rte_pktmbuf_alloc(pool);
		if (m2 == NULL || rte_pktmbuf_append(m2, len - split) == NULL)
			goto fail;
		memset(rte_pktmbuf_mtod(m2, void *), 0, len - split);
		len = split;
	}
	p = (uint8_t *)rte_pktmbuf_append(m, len);
	if (p == NULL)
		goto fail;
	memset(p, 0, len);
	memcpy(p, eth, RTE_MIN(len, sizeof(eth)));
	if (len >= 54) {
		ip = (struct rte_ipv4_hdr *)(p + 14);
		ip->version_ihl = 0x45;
		ip->total_length = rte_cpu_to_be_16(len + (m2 ? m2->data_len : 0) - 14);
		ip->time_to_live = 64;
		ip->next_proto_id = (ol & 4) ? IPPROTO_UDP : IPPROTO_TCP;
		p[46] = 0x50;	/* TCP data offset: 20 bytes */
	}
	m->l2_len = 14;
	m->l3_len = 20;
	m->l4_len = (ol & 4) ? 8 : 20;
	if (ol & 1)
		m->ol_flags |= RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM;
	if (ol & 2)
		m->ol_flags |= RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_TCP_CKSUM;
	if (ol & 4)
		m->ol_flags |= RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_UDP_CKSUM;
	if (ol & 8) {
		m->ol_flags |= RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_TCP_SEG;
		m->tso_segsz = mss;
	}
	if (m2 != NULL && rte_pktmbuf_chain(m, m2) != 0)
		goto fail;
	return m;
fail:
	rte_pktmbuf_free(m2);
	rte_pktmbuf_free(m);
	return NULL;
}

static void
op_tx(struct fz *f, uint16_t port)
{
	struct rte_mbuf *m[8];
	uint16_t n = fz_u8(f) % 8 + 1, i, sent, len, mss, split;
	uint8_t ol;

	for (i = 0; i < n; i++) {
		len = fz_u16(f) % 1900 + 14;
		ol = fz_u8(f);
		mss = (ol & 8) ? fz_u16(f) : 0;
		split = (ol & 0x10) ? fz_u16(f) % len : 0;
		m[i] = tx_frame(len, ol, mss, split);
		if (m[i] == NULL)
			break;
	}
	n = i;
	sent = rte_eth_tx_burst(port, 0, m, n);
	for (i = sent; i < n; i++)
		rte_pktmbuf_free(m[i]);
}

static void
op_rx(uint16_t port)
{
	struct rte_mbuf *m[32];
	uint16_t n, i;

	n = rte_eth_rx_burst(port, 0, m, RTE_DIM(m));
	if (verbose)
		fprintf(stderr, "fuzz_pmd: port %u: received %u\n", port, n);
	for (i = 0; i < n; i++) {
		check_mbuf(m[i]);
		rte_pktmbuf_free(m[i]);
	}
}

/* The hostile device writes one used entry of its choosing. */
static void
op_used(struct fz *f, struct sim_dev *d, uint16_t qid)
{
	struct sim_vq *vq = &d->vq[qid];
	uint16_t pos, id, idx, flags, mode;
	uint32_t len;

	if (!vq->ready)
		return;
	if (!vq->packed) {
		id = fz_u16(f);
		len = fz_u32(f);
		mode = fz_u8(f);
		idx = rte_le_to_cpu_16(vq->used->idx);
		vq->used->ring[idx & vq->mask].id =
			rte_cpu_to_le_32((mode & 0x80) ? id : id % vq->num);
		vq->used->ring[idx & vq->mask].len = rte_cpu_to_le_32(len);
		/* Mostly one entry; sometimes a jump of any size. */
		idx += (mode & 0x40) ? fz_u16(f) : (mode & 3);
		__atomic_store_n(&vq->used->idx, rte_cpu_to_le_16(idx),
			__ATOMIC_RELEASE);
		return;
	}
	pos = fz_u16(f) % vq->num;
	id = fz_u16(f);
	len = fz_u32(f);
	mode = fz_u8(f);
	flags = rte_le_to_cpu_16(vq->pdesc[pos].flags);
	if (mode & 0x80) {
		flags = mode | (uint16_t)fz_u8(f) << 8;	/* anything */
	} else {
		/* Used in the lap the driver made it available in. */
		flags &= ~P_USED;
		if (flags & P_AVAIL)
			flags |= P_USED;
		if (mode & 1)
			flags ^= P_AVAIL | P_USED;	/* the other lap */
	}
	vq->pdesc[pos].id = rte_cpu_to_le_16((mode & 0x40) ? id : id % vq->num);
	vq->pdesc[pos].len = rte_cpu_to_le_32(len);
	__atomic_store_n(&vq->pdesc[pos].flags, rte_cpu_to_le_16(flags),
		__ATOMIC_RELEASE);
}

/* The hostile device writes the virtio-net header of an rx buffer. */
static void
op_hdr(struct fz *f, struct sim_dev *d)
{
	struct sim_vq *vq = &d->vq[0];
	uint16_t i = fz_u16(f);
	uint8_t hdr[SIM_NET_HDR_LEN];
	uint64_t addr;
	uint8_t *va;

	fz_bytes(f, hdr, sizeof(hdr));
	if (!vq->ready)
		return;
	i %= vq->num;
	addr = rte_le_to_cpu_64(vq->packed ? vq->pdesc[i].addr :
		vq->desc[i].addr);
	va = sim_iova_lookup(&d->as[0], addr, sizeof(hdr),
		RTE_VIRTIO_MDEV_DMA_WRITE);
	if (va != NULL)
		memcpy(va, hdr, sizeof(hdr));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rte_eth_stats st;
	struct sim_dev *d;
	uint16_t port;
	struct fz f;
	int i, p;

	fz_init(&f, data, size);
	p = fz_u8(&f) % NPORTS;
	port = ports[p].port;
	d = sim_dev_of(ports[p].mdev);
	if (rte_eth_dev_start(port) != 0)
		return 0;
	for (i = 0; i < MAX_OPS && f.left > 0; i++) {
		switch (fz_u8(&f) % 7) {
		case 0:
			op_tx(&f, port);
			break;
		case 1:
			sim_engine_poll_mdev(ports[p].mdev);
			break;
		case 2:
			op_used(&f, d, 0);
			break;
		case 3:
			op_used(&f, d, 1);
			break;
		case 4:
			op_rx(port);
			break;
		case 5:
			op_hdr(&f, d);
			break;
		default:
			rte_eth_stats_get(port, &st);
			break;
		}
	}
	rte_eth_dev_stop(port);
	/* A stopped port holds no mbuf: the device's lies leaked none. */
	if (rte_mempool_avail_count(pool) != NB_MBUF) {
		fprintf(stderr, "fuzz_pmd: %u of %u mbufs in the pool after stop\n",
			rte_mempool_avail_count(pool), NB_MBUF);
		abort();
	}
	return 0;
}
