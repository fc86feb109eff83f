/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * mdev-payload: send sequence-numbered, checksummed frames through one
 * port and check every byte of what comes back. Meant for a port whose
 * wire loops back (the sim parent's default): what is sent on tx queue i
 * must come back, unchanged and in order, on rx queue i.
 *
 *   mdev-payload <EAL options> -- [--port N] [--queues N] [--sizes L,...]
 *       [--segs N] [--count N] [--burst N] [--window N] [--desc N]
 *       [--timeout S] [--verbose] [--inject-loss N] [--inject-corruption N]
 *
 * Frame: Ethernet header (to and from the port's own MAC, EtherType
 * 0x88B5, "local experimental"), a payload header (magic, sequence
 * number, queue, length, CRC32C of the body), and a body whose bytes
 * are a pseudo-random pattern chosen by the sequence number. Frame i has
 * the size sizes[i % number of sizes] and goes out on one queue after
 * the other, a burst at a time.
 *
 * --inject-loss N / --inject-corruption N skip sending, or flip the last
 * byte of, every Nth frame: they check the checker.
 *
 * Exit status: 0 when every frame came back once, intact, in order and
 * on its own queue; 1 when any was lost, corrupted, duplicated, out of
 * order or on another queue; 2 on a usage or set-up error.
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_hash_crc.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#define PAYLOAD_MAGIC 0x4d44504cu	/* "MDPL" */
#define PAYLOAD_ETHERTYPE 0x88B5	/* IEEE 802 local experimental */
#define MAX_SIZES 16
#define MAX_BURST 512
#define MIN_FRAME 60			/* Ethernet minimum without FCS */
#define MAX_FRAME 16384
#define PATTERN_SPAN 4096		/* distinct body offsets */
#define MAX_REPORTS 8			/* corruptions described in detail */
#define STALL_SECONDS 2			/* silence before in-flight is lost */

#define SEEN_INTACT 1	/* came back intact */
#define SEEN_DAMAGED 2	/* came back, but damaged */

struct payload_hdr {
	rte_be32_t magic;
	rte_be32_t len;		/* whole frame, Ethernet header included */
	rte_be64_t seq;
	rte_be16_t queue;
	rte_be16_t nb_segs;	/* segments it was sent in (information) */
	rte_be32_t crc;		/* CRC32C of the body after this header */
} __rte_packed;

#define HDR_LEN (sizeof(struct rte_ether_hdr) + sizeof(struct payload_hdr))
/*
 * Frame buffers start this far into an allocation so that the body (at
 * HDR_LEN, 38) is 8-byte aligned: rte_hash_crc() reads it in 8-byte words.
 */
#define BUF_SHIFT (RTE_ALIGN_CEIL(HDR_LEN, 8) - HDR_LEN)

struct options {
	uint16_t port;
	uint16_t queues;	/* 0: as many as the port has */
	uint32_t sizes[MAX_SIZES];
	unsigned int nb_sizes;
	unsigned int segs;
	uint64_t count;
	unsigned int burst;
	unsigned int window;	/* frames in flight per queue, 0: auto */
	unsigned int desc;
	unsigned int timeout;	/* seconds for the whole run */
	bool verbose;
	uint64_t inject_loss;	/* every Nth frame is not sent */
	uint64_t inject_corruption; /* every Nth frame has a byte flipped */
};

struct queue_state {
	struct rte_mbuf *pending[MAX_BURST];	/* built, not yet sent */
	unsigned int nb_pending;
	uint64_t sent;
	uint64_t received;	/* anything that came in on this queue */
	uint64_t credit;	/* frames written off as lost (window) */
	uint64_t last_seq;	/* highest good seq seen here, +1 */
};

struct totals {
	uint64_t sent;
	uint64_t received;
	uint64_t good;		/* distinct frames that came back intact */
	uint64_t corrupted;
	uint64_t duplicated;
	uint64_t out_of_order;
	uint64_t misrouted;
	uint64_t stalls;
};

static volatile bool force_quit;
static struct options opt = {
	.port = 0,
	.sizes = { 64, 1500 },
	.nb_sizes = 2,
	.segs = 1,
	.count = 10000,
	.burst = 32,
	.desc = 1024,
	.timeout = 30,
};

static uint8_t *pattern;	/* MAX_FRAME + PATTERN_SPAN bytes */
static uint8_t *seen;		/* per seq: SEEN_* */
static uint16_t *seq_queue;	/* per seq: the queue it was sent on */
static struct rte_ether_addr port_mac;
static unsigned int reports;

static void
on_signal(int sig)
{
	(void)sig;
	force_quit = true;
}

static void
usage(const char *prog)
{
	printf("Usage: %s <EAL options> -- [options]\n"
		"  --port N      port to use (default 0)\n"
		"  --queues N    queue pairs to spread frames over "
		"(default: all the port has)\n"
		"  --sizes L,..  frame sizes in bytes, %u..%u, without FCS "
		"(default 64,1500)\n"
		"  --segs N      mbuf segments per sent frame (default 1)\n"
		"  --count N     frames to send in all (default 10000)\n"
		"  --burst N     frames per tx/rx burst, 1..%u (default 32)\n"
		"  --window N    frames in flight per queue "
		"(default: half the rx ring)\n"
		"  --desc N      rx and tx ring size (default 1024)\n"
		"  --timeout S   give up after S seconds (default 30)\n"
		"  --verbose     describe every corrupted frame\n"
		"  --inject-loss N, --inject-corruption N\n"
		"                drop, or damage, every Nth frame on purpose "
		"(checks the checker)\n",
		prog, MIN_FRAME, MAX_FRAME, MAX_BURST);
}

/* Parse an unsigned number within [min, max]; false on anything else. */
static bool
parse_num(const char *name, const char *s, uint64_t min, uint64_t max,
		uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || end == s || *end != '\0' || s[0] == '-' ||
			v < min || v > max) {
		fprintf(stderr, "mdev-payload: --%s '%s': expected a number "
			"%" PRIu64 "..%" PRIu64 "\n", name, s, min, max);
		return false;
	}
	*out = v;
	return true;
}

static bool
parse_sizes(const char *arg)
{
	char buf[256];
	char *tok, *save = NULL;
	uint64_t v;

	if (strlen(arg) >= sizeof(buf)) {
		fprintf(stderr, "mdev-payload: --sizes: list too long\n");
		return false;
	}
	strcpy(buf, arg);
	opt.nb_sizes = 0;
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
			tok = strtok_r(NULL, ",", &save)) {
		if (opt.nb_sizes == MAX_SIZES) {
			fprintf(stderr, "mdev-payload: --sizes: at most %u "
				"sizes\n", MAX_SIZES);
			return false;
		}
		if (!parse_num("sizes", tok, MIN_FRAME, MAX_FRAME, &v))
			return false;
		opt.sizes[opt.nb_sizes++] = v;
	}
	if (opt.nb_sizes == 0) {
		fprintf(stderr, "mdev-payload: --sizes: empty list\n");
		return false;
	}
	return true;
}

static int
parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "queues", required_argument, NULL, 'q' },
		{ "sizes", required_argument, NULL, 's' },
		{ "segs", required_argument, NULL, 'g' },
		{ "count", required_argument, NULL, 'c' },
		{ "burst", required_argument, NULL, 'b' },
		{ "window", required_argument, NULL, 'w' },
		{ "desc", required_argument, NULL, 'd' },
		{ "timeout", required_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "inject-loss", required_argument, NULL, 'L' },
		{ "inject-corruption", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int c;

	while ((c = getopt_long(argc, argv, "hv", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (!parse_num("port", optarg, 0, RTE_MAX_ETHPORTS - 1,
					&v))
				return -1;
			opt.port = v;
			break;
		case 'q':
			if (!parse_num("queues", optarg, 1, 1024, &v))
				return -1;
			opt.queues = v;
			break;
		case 's':
			if (!parse_sizes(optarg))
				return -1;
			break;
		case 'g':
			if (!parse_num("segs", optarg, 1, 64, &v))
				return -1;
			opt.segs = v;
			break;
		case 'c':
			if (!parse_num("count", optarg, 1, 100000000, &v))
				return -1;
			opt.count = v;
			break;
		case 'b':
			if (!parse_num("burst", optarg, 1, MAX_BURST, &v))
				return -1;
			opt.burst = v;
			break;
		case 'w':
			if (!parse_num("window", optarg, 1, 65536, &v))
				return -1;
			opt.window = v;
			break;
		case 'd':
			if (!parse_num("desc", optarg, 64, 32768, &v))
				return -1;
			opt.desc = v;
			break;
		case 't':
			if (!parse_num("timeout", optarg, 1, 86400, &v))
				return -1;
			opt.timeout = v;
			break;
		case 'v':
			opt.verbose = true;
			break;
		case 'L':
			if (!parse_num("inject-loss", optarg, 1, UINT32_MAX,
					&v))
				return -1;
			opt.inject_loss = v;
			break;
		case 'C':
			if (!parse_num("inject-corruption", optarg, 1,
					UINT32_MAX, &v))
				return -1;
			opt.inject_corruption = v;
			break;
		case 'h':
			usage(argv[0]);
			exit(0);
		default:
			usage(argv[0]);
			return -1;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "mdev-payload: unexpected argument '%s'\n",
			argv[optind]);
		return -1;
	}
	return 0;
}

static uint32_t
max_size(void)
{
	uint32_t m = 0;
	unsigned int i;

	for (i = 0; i < opt.nb_sizes; i++)
		m = RTE_MAX(m, opt.sizes[i]);
	return m;
}

static uint32_t
frame_size(uint64_t seq)
{
	return opt.sizes[seq % opt.nb_sizes];
}

/* Fill the body pattern once: xorshift, so that no two offsets agree. */
static void
pattern_init(void)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	size_t i;

	for (i = 0; i < MAX_FRAME + PATTERN_SPAN; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		pattern[i] = x >> 24;
	}
}

/* The frame with sequence number seq, as it must arrive, into buf. */
static uint32_t
build_frame(uint8_t *buf, uint64_t seq, uint16_t queue, uint16_t segs)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)buf;
	struct payload_hdr *ph = (struct payload_hdr *)(eth + 1);
	uint32_t len = frame_size(seq);
	uint32_t body = len - HDR_LEN;
	const uint8_t *src = pattern + (seq * 97) % PATTERN_SPAN;

	rte_ether_addr_copy(&port_mac, &eth->dst_addr);
	rte_ether_addr_copy(&port_mac, &eth->src_addr);
	eth->ether_type = rte_cpu_to_be_16(PAYLOAD_ETHERTYPE);
	memcpy(buf + HDR_LEN, src, body);
	ph->magic = rte_cpu_to_be_32(PAYLOAD_MAGIC);
	ph->len = rte_cpu_to_be_32(len);
	ph->seq = rte_cpu_to_be_64(seq);
	ph->queue = rte_cpu_to_be_16(queue);
	ph->nb_segs = rte_cpu_to_be_16(segs);
	ph->crc = rte_cpu_to_be_32(rte_hash_crc(buf + HDR_LEN, body, 0));
	return len;
}

/* A chain of segs mbufs holding the frame seq. NULL when out of mbufs. */
static struct rte_mbuf *
make_packet(struct rte_mempool *mp, uint64_t seq, uint16_t queue,
		uint8_t *buf)
{
	unsigned int segs = RTE_MIN(opt.segs, frame_size(seq));
	uint32_t len = build_frame(buf, seq, queue, segs);
	uint32_t off = 0;
	struct rte_mbuf *head = NULL, *last = NULL, *m;
	unsigned int i;

	if (opt.inject_corruption && seq % opt.inject_corruption == 0)
		buf[len - 1] ^= 0x5a;

	/* Lengths differ by one at most: none exceeds the mbuf room. */
	for (i = 0; i < segs; i++) {
		uint32_t n = len / segs + (i < len % segs);

		m = rte_pktmbuf_alloc(mp);
		if (m == NULL) {
			rte_pktmbuf_free(head);
			return NULL;
		}
		memcpy(rte_pktmbuf_mtod(m, uint8_t *), buf + off, n);
		m->data_len = n;
		off += n;
		if (head == NULL) {
			head = m;
		} else {
			last->next = m;
			head->nb_segs++;
		}
		last = m;
	}
	head->pkt_len = len;
	return head;
}

static void
report(const char *what, uint16_t queue, uint64_t seq, const char *detail)
{
	if (reports < MAX_REPORTS || opt.verbose)
		printf("mdev-payload: %s on queue %u (seq %" PRIu64 "): %s\n",
			what, queue, seq, detail);
	else if (reports == MAX_REPORTS)
		printf("mdev-payload: (more errors; --verbose shows all)\n");
	reports++;
}

/* Check one received frame against the one that was sent. */
static void
check_packet(struct rte_mbuf *m, uint16_t queue, struct totals *t,
		struct queue_state *qs, uint8_t *got, uint8_t *want)
{
	const struct payload_hdr *ph;
	const uint8_t *data;
	const char *reason = NULL;
	char detail[160];
	uint32_t len = m->pkt_len, want_len, i;
	uint64_t seq;

	if (rte_mbuf_check(m, 1, &reason) != 0) {
		t->corrupted++;
		report("bad mbuf", queue, UINT64_MAX, reason);
		return;
	}
	if (len < HDR_LEN || len > MAX_FRAME) {
		t->corrupted++;
		snprintf(detail, sizeof(detail), "length %u", len);
		report("not a payload frame", queue, UINT64_MAX, detail);
		return;
	}
	data = rte_pktmbuf_read(m, 0, len, got);
	ph = (const struct payload_hdr *)(data + sizeof(struct rte_ether_hdr));
	seq = rte_be_to_cpu_64(ph->seq);
	if (ph->magic != rte_cpu_to_be_32(PAYLOAD_MAGIC) ||
			seq >= t->sent) {
		t->corrupted++;
		snprintf(detail, sizeof(detail), "length %u, magic %#x", len,
			rte_be_to_cpu_32(ph->magic));
		report("not a payload frame", queue, seq, detail);
		return;
	}
	want_len = build_frame(want, seq, seq_queue[seq],
		RTE_MIN(opt.segs, frame_size(seq)));
	if (len != want_len) {
		t->corrupted++;
		seen[seq] |= SEEN_DAMAGED;
		snprintf(detail, sizeof(detail), "length %u, sent %u", len,
			want_len);
		report("corrupted frame", queue, seq, detail);
		return;
	}
	if (memcmp(data, want, len) != 0) {
		for (i = 0; i < len && data[i] == want[i]; i++)
			;
		if (data != got)
			memcpy(got, data, len);
		t->corrupted++;
		seen[seq] |= SEEN_DAMAGED;
		snprintf(detail, sizeof(detail),
			"byte %u of %u is %#x, sent %#x (crc %s, %u segs)",
			i, len, data[i], want[i],
			rte_hash_crc(got + HDR_LEN, len - HDR_LEN, 0) ==
			rte_be_to_cpu_32(ph->crc) ? "ok" : "bad",
			m->nb_segs);
		report("corrupted frame", queue, seq, detail);
		return;
	}
	if (seq_queue[seq] != queue) {
		t->misrouted++;
		snprintf(detail, sizeof(detail), "sent on queue %u",
			seq_queue[seq]);
		report("frame on the wrong queue", queue, seq, detail);
	}
	if (seen[seq] & SEEN_INTACT) {
		t->duplicated++;
		report("duplicate", queue, seq, "already received");
		return;
	}
	seen[seq] |= SEEN_INTACT;
	t->good++;
	if (seq + 1 < qs->last_seq) {
		t->out_of_order++;
		snprintf(detail, sizeof(detail), "after seq %" PRIu64,
			qs->last_seq - 1);
		report("out of order", queue, seq, detail);
	} else {
		qs->last_seq = seq + 1;
	}
}

static int
port_setup(uint16_t nq, struct rte_mempool *rx_pool, uint16_t *nb_rxd,
		uint16_t *nb_txd, bool scatter, uint32_t max_len)
{
	struct rte_eth_conf conf;
	struct rte_eth_dev_info info;
	uint16_t q;
	int ret, socket = rte_eth_dev_socket_id(opt.port);

	if (socket < 0)
		socket = (int)rte_socket_id();
	memset(&conf, 0, sizeof(conf));
	ret = rte_eth_dev_info_get(opt.port, &info);
	if (ret != 0)
		return ret;
	if (max_len - RTE_ETHER_HDR_LEN > RTE_ETHER_MTU)
		conf.rxmode.mtu = max_len - RTE_ETHER_HDR_LEN;
	if (scatter)
		conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_SCATTER;
	if (opt.segs > 1)
		conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	ret = rte_eth_dev_configure(opt.port, nq, nq, &conf);
	if (ret != 0) {
		fprintf(stderr, "mdev-payload: configure port %u with %u "
			"queue pair(s), mtu %u: %s\n", opt.port, nq,
			conf.rxmode.mtu, rte_strerror(-ret));
		return ret;
	}
	*nb_rxd = opt.desc;
	*nb_txd = opt.desc;
	ret = rte_eth_dev_adjust_nb_rx_tx_desc(opt.port, nb_rxd, nb_txd);
	if (ret != 0)
		return ret;
	for (q = 0; q < nq; q++) {
		ret = rte_eth_rx_queue_setup(opt.port, q, *nb_rxd, socket,
			NULL, rx_pool);
		if (ret != 0) {
			fprintf(stderr, "mdev-payload: rx queue %u: %s\n", q,
				rte_strerror(-ret));
			return ret;
		}
		ret = rte_eth_tx_queue_setup(opt.port, q, *nb_txd, socket,
			NULL);
		if (ret != 0) {
			fprintf(stderr, "mdev-payload: tx queue %u: %s\n", q,
				rte_strerror(-ret));
			return ret;
		}
	}
	ret = rte_eth_dev_start(opt.port);
	if (ret != 0) {
		fprintf(stderr, "mdev-payload: start port %u: %s\n",
			opt.port, rte_strerror(-ret));
		return ret;
	}
	return rte_eth_stats_reset(opt.port);
}

/* Frames sent on a queue that are neither back nor written off. */
static uint64_t
in_flight(const struct queue_state *qs)
{
	uint64_t back = qs->received + qs->credit;

	return qs->sent > back ? qs->sent - back : 0;
}

/* Build up to a burst of new frames for queue q within its window. */
static void
fill_queue(struct queue_state *qs, uint16_t q, struct rte_mempool *mp,
		uint64_t *next_seq, unsigned int window, uint8_t *buf,
		struct totals *t)
{
	uint64_t busy = in_flight(qs);
	struct rte_mbuf *m;

	while (qs->nb_pending < opt.burst && *next_seq < opt.count &&
			busy + qs->nb_pending < window) {
		if (opt.inject_loss && *next_seq % opt.inject_loss == 0) {
			/* Counted as sent and written off at once. */
			seq_queue[(*next_seq)++] = q;
			qs->sent++;
			qs->credit++;
			t->sent++;
			continue;
		}
		m = make_packet(mp, *next_seq, q, buf);
		if (m == NULL)
			break;
		seq_queue[*next_seq] = q;
		qs->pending[qs->nb_pending++] = m;
		(*next_seq)++;
	}
}

/* Send what is pending on queue q, keeping the unsent ones in order. */
static void
send_queue(struct queue_state *qs, uint16_t q, struct totals *t)
{
	uint16_t n;

	if (qs->nb_pending == 0)
		return;
	n = rte_eth_tx_burst(opt.port, q, qs->pending, qs->nb_pending);
	if (n < qs->nb_pending)
		memmove(qs->pending, qs->pending + n,
			(qs->nb_pending - n) * sizeof(qs->pending[0]));
	qs->nb_pending -= n;
	qs->sent += n;
	t->sent += n;
}

static unsigned int
recv_queue(struct queue_state *qs, uint16_t q, struct totals *t,
		uint8_t *got, uint8_t *want)
{
	struct rte_mbuf *rx[MAX_BURST];
	uint16_t n, i;

	n = rte_eth_rx_burst(opt.port, q, rx, opt.burst);
	for (i = 0; i < n; i++) {
		check_packet(rx[i], q, t, qs, got, want);
		rte_pktmbuf_free(rx[i]);
	}
	qs->received += n;
	t->received += n;
	/* Frames written off that came back after all are in flight no more. */
	if (qs->received + qs->credit > qs->sent)
		qs->credit = qs->sent - RTE_MIN(qs->sent, qs->received);
	return n;
}

/*
 * Send and receive until every frame is back or the time is up. When
 * nothing comes back for STALL_SECONDS while frames are in flight, those
 * are written off so that sending goes on; they count as lost unless
 * they still come back before the end. The run ends when all frames are
 * back, or when all were sent and nothing came for STALL_SECONDS more.
 */
static void
run(uint16_t nq, struct queue_state *qs, struct rte_mempool *tx_pool,
		unsigned int window, struct totals *t)
{
	uint64_t hz = rte_get_timer_hz(), stall = STALL_SECONDS * hz;
	uint64_t deadline = rte_get_timer_cycles() + opt.timeout * hz;
	uint64_t last_rx = rte_get_timer_cycles();
	uint64_t next_seq = 0, now;
	uint8_t *mem = malloc(3 * (MAX_FRAME + 8));
	uint8_t *got, *want, *buf;
	bool idle, stalled;
	uint16_t q;

	if (mem == NULL)
		rte_exit(2, "mdev-payload: out of memory\n");
	got = mem + BUF_SHIFT;
	want = got + MAX_FRAME + 8;
	buf = want + MAX_FRAME + 8;
	while (!force_quit) {
		idle = next_seq == opt.count;
		for (q = 0; q < nq; q++) {
			fill_queue(&qs[q], q, tx_pool, &next_seq, window,
				buf, t);
			send_queue(&qs[q], q, t);
			if (recv_queue(&qs[q], q, t, got, want) > 0)
				last_rx = rte_get_timer_cycles();
			if (qs[q].nb_pending > 0 || in_flight(&qs[q]) > 0)
				idle = false;
		}
		if (t->good == opt.count)
			break;
		now = rte_get_timer_cycles();
		if (idle && now - last_rx > stall)
			break;
		if (now > deadline) {
			printf("mdev-payload: timeout after %u s\n",
				opt.timeout);
			break;
		}
		if (now - last_rx > stall && !idle) {
			stalled = false;
			for (q = 0; q < nq; q++) {
				if (in_flight(&qs[q]) > 0) {
					qs[q].credit += in_flight(&qs[q]);
					stalled = true;
				}
			}
			t->stalls += stalled;
			last_rx = now;
		}
	}
	free(mem);
}

static void
summary(uint16_t nq, const struct queue_state *qs, const struct totals *t)
{
	struct rte_eth_stats st;
	uint64_t lost = 0, seq;
	uint16_t q;

	/* Lost: never came back in any shape. */
	for (seq = 0; seq < t->sent; seq++)
		lost += seen[seq] == 0;

	for (q = 0; q < nq; q++)
		printf("queue %u: sent %" PRIu64 " received %" PRIu64 "\n",
			q, qs[q].sent, qs[q].received);
	if (rte_eth_stats_get(opt.port, &st) == 0)
		printf("port %u stats: ipackets %" PRIu64 " opackets %" PRIu64
			" imissed %" PRIu64 " ierrors %" PRIu64
			" oerrors %" PRIu64 " rx_nombuf %" PRIu64 "\n",
			opt.port, st.ipackets, st.opackets, st.imissed,
			st.ierrors, st.oerrors, st.rx_nombuf);
	if (t->stalls > 0)
		printf("mdev-payload: %" PRIu64 " stall(s) of %u s with "
			"frames in flight\n", t->stalls, STALL_SECONDS);
	printf("sent %" PRIu64 " received %" PRIu64 " lost %" PRIu64
		" corrupted %" PRIu64 " duplicated %" PRIu64
		" out-of-order %" PRIu64 " misrouted %" PRIu64 "\n",
		t->sent, t->received, lost, t->corrupted, t->duplicated,
		t->out_of_order, t->misrouted);
}

static struct rte_mempool *
make_pool(const char *name, unsigned int n, uint32_t room)
{
	struct rte_mempool *mp;

	mp = rte_pktmbuf_pool_create(name, n, 256, 0,
		room + RTE_PKTMBUF_HEADROOM, rte_socket_id());
	if (mp == NULL)
		fprintf(stderr, "mdev-payload: mbuf pool %s (%u x %u B): %s\n",
			name, n, room, rte_strerror(rte_errno));
	return mp;
}

int
main(int argc, char **argv)
{
	struct rte_eth_dev_info info;
	struct rte_mempool *tx_pool, *rx_pool;
	struct queue_state *qs;
	struct totals t;
	char name[RTE_ETH_NAME_MAX_LEN];
	uint32_t max_len, tx_room, rx_room = RTE_MBUF_DEFAULT_DATAROOM;
	uint16_t nq, q, nb_rxd, nb_txd;
	unsigned int window, rx_bufs, pool_n;
	bool scatter = false;
	int ret;

	ret = rte_eal_init(argc, argv);
	if (ret < 0)
		rte_exit(2, "mdev-payload: EAL init failed\n");
	argc -= ret;
	argv += ret;
	argv[0] = (char *)"mdev-payload";
	if (parse_args(argc, argv) != 0)
		rte_exit(2, "mdev-payload: bad arguments\n");
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	if (!rte_eth_dev_is_valid_port(opt.port))
		rte_exit(2, "mdev-payload: no port %u (%u port(s) probed): "
			"did the -d plugins load and the --vdev probe?\n",
			opt.port, rte_eth_dev_count_avail());
	if (rte_eth_dev_info_get(opt.port, &info) != 0 ||
			rte_eth_macaddr_get(opt.port, &port_mac) != 0)
		rte_exit(2, "mdev-payload: cannot query port %u\n", opt.port);
	rte_eth_dev_get_name_by_port(opt.port, name);

	nq = RTE_MIN(info.max_rx_queues, info.max_tx_queues);
	if (opt.queues > nq)
		rte_exit(2, "mdev-payload: port %u has %u queue pair(s), "
			"--queues %u asked\n", opt.port, nq, opt.queues);
	if (opt.queues > 0)
		nq = opt.queues;
	if (opt.segs > 1 &&
			!(info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MULTI_SEGS))
		rte_exit(2, "mdev-payload: port %u does not offer "
			"multi-segment tx (--segs %u)\n", opt.port, opt.segs);

	max_len = max_size();
	if (max_len > rx_room) {
		if (info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_SCATTER)
			scatter = true;
		else
			rx_room = max_len;
	}
	rx_bufs = (max_len + rx_room - 1) / rx_room;
	tx_room = (max_len + opt.segs - 1) / opt.segs;

	/* Room for full rings, a burst in hand and the pool caches. */
	pool_n = nq * (opt.desc + MAX_BURST) * rx_bufs + 2048;
	rx_pool = make_pool("payload_rx", pool_n, rx_room);
	pool_n = nq * (opt.desc + MAX_BURST) * opt.segs + 2048;
	tx_pool = make_pool("payload_tx", pool_n, tx_room);
	if (rx_pool == NULL || tx_pool == NULL)
		rte_exit(2, "mdev-payload: out of mbufs\n");

	pattern = malloc(MAX_FRAME + PATTERN_SPAN);
	seen = calloc(opt.count, 1);
	seq_queue = calloc(opt.count, sizeof(*seq_queue));
	qs = calloc(nq, sizeof(*qs));
	if (pattern == NULL || seen == NULL || seq_queue == NULL ||
			qs == NULL)
		rte_exit(2, "mdev-payload: out of memory\n");
	pattern_init();

	if (port_setup(nq, rx_pool, &nb_rxd, &nb_txd, scatter, max_len) != 0)
		rte_exit(2, "mdev-payload: port %u set-up failed\n", opt.port);

	/* Half the rx ring: the device drops what finds no rx buffer. */
	window = RTE_MAX(1u, nb_rxd / (2 * rx_bufs));
	if (opt.window > 0)
		window = opt.window;
	printf("mdev-payload: port %u (%s), %u queue pair(s), rings %u/%u, "
		"%u segment(s) per frame%s, window %u, %" PRIu64 " frames\n",
		opt.port, name, nq, nb_rxd, nb_txd, opt.segs,
		scatter ? ", rx scatter" : "", window, opt.count);

	memset(&t, 0, sizeof(t));
	run(nq, qs, tx_pool, window, &t);
	summary(nq, qs, &t);

	ret = (t.sent == opt.count && t.good == opt.count &&
		t.corrupted == 0 && t.duplicated == 0 &&
		t.out_of_order == 0 && t.misrouted == 0) ? 0 : 1;
	if (t.sent < opt.count)
		printf("mdev-payload: only %" PRIu64 " of %" PRIu64
			" frames could be sent\n", t.sent, opt.count);
	printf("RESULT: %s\n", ret == 0 ? "OK" : "FAIL");

	for (q = 0; q < nq; q++)
		rte_pktmbuf_free_bulk(qs[q].pending, qs[q].nb_pending);
	rte_eth_dev_stop(opt.port);
	rte_eth_dev_close(opt.port);
	rte_mempool_free(rx_pool);
	rte_mempool_free(tx_pool);
	rte_eal_cleanup();
	free(qs);
	free(seq_queue);
	free(seen);
	free(pattern);
	return ret;
}
