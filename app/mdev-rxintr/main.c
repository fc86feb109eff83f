/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * mdev-rxintr: checks rx interrupts of a looped-back port (what tx queue
 * q sends comes back on rx queue q). For each round and queue: with the
 * queue's interrupt enabled and the queue drained, epoll must stay quiet;
 * a frame sent must wake it with that queue's data; with the interrupt
 * disabled, a frame sent must not wake it. Exit status 0 when every
 * check held, 1 otherwise (a line says which).
 */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_interrupts.h>
#include <rte_mbuf.h>

#define NB_DESC 256
#define MAX_QUEUES 8

static uint16_t port;
static uint16_t nb_queues;
static struct rte_mempool *pool;
static unsigned int failures;

static void
check(bool ok, const char *what, uint16_t q, unsigned int round)
{
	if (ok)
		return;
	failures++;
	printf("FAILED: queue %u round %u: %s\n", q, round, what);
}

static int
port_init(void)
{
	struct rte_eth_conf conf = { .intr_conf = { .rxq = 1 } };
	struct rte_eth_dev_info info;
	uint16_t q;
	int ret;

	ret = rte_eth_dev_info_get(port, &info);
	if (ret != 0)
		return ret;
	nb_queues = RTE_MIN(info.max_rx_queues, (uint16_t)MAX_QUEUES);
	ret = rte_eth_dev_configure(port, nb_queues, nb_queues, &conf);
	for (q = 0; ret == 0 && q < nb_queues; q++) {
		ret = rte_eth_rx_queue_setup(port, q, NB_DESC,
			rte_eth_dev_socket_id(port), NULL, pool);
		if (ret == 0)
			ret = rte_eth_tx_queue_setup(port, q, NB_DESC,
				rte_eth_dev_socket_id(port), NULL);
	}
	if (ret == 0)
		ret = rte_eth_dev_start(port);
	for (q = 0; ret == 0 && q < nb_queues; q++)
		ret = rte_eth_dev_rx_intr_ctl_q(port, q, RTE_EPOLL_PER_THREAD,
			RTE_INTR_EVENT_ADD, (void *)(uintptr_t)(q + 1));
	return ret;
}

/* One 64-byte broadcast frame on tx queue q. */
static int
send_one(uint16_t q)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	char *p;

	if (m == NULL)
		return -ENOMEM;
	p = rte_pktmbuf_append(m, 64);
	memset(p, 0xff, 6);
	memset(p + 6, 0x02, 58);
	if (rte_eth_tx_burst(port, q, &m, 1) != 1) {
		rte_pktmbuf_free(m);
		return -EBUSY;
	}
	return 0;
}

/* Receive on q until n frames came (or 2 s passed); the count. */
static unsigned int
drain(uint16_t q, unsigned int n)
{
	struct rte_mbuf *pkts[32];
	uint64_t end = rte_get_timer_cycles() + 2 * rte_get_timer_hz();
	unsigned int got = 0;
	uint16_t k;

	while (got < n && rte_get_timer_cycles() < end) {
		k = rte_eth_rx_burst(port, q, pkts, 32);
		got += k;
		rte_pktmbuf_free_bulk(pkts, k);
	}
	return got;
}

/* Events within ms: the queue (data - 1) of the first, or -1 for none. */
static int
wait_event(int ms)
{
	struct rte_epoll_event ev[MAX_QUEUES];
	int n = rte_epoll_wait(RTE_EPOLL_PER_THREAD, ev, MAX_QUEUES, ms);

	if (n <= 0)
		return -1;
	return (int)(uintptr_t)ev[0].epdata.data - 1;
}

static void
round_queue(uint16_t q, unsigned int round)
{
	int ev;

	/* Disabled: traffic makes no event. */
	rte_eth_dev_rx_intr_disable(port, q);
	while (wait_event(0) >= 0)
		;
	check(send_one(q) == 0, "tx failed", q, round);
	check(drain(q, 1) == 1, "frame not looped back", q, round);
	check(wait_event(100) < 0, "event while the interrupt was disabled",
		q, round);
	/* Enabled and drained: quiet, then a frame wakes this queue. */
	check(rte_eth_dev_rx_intr_enable(port, q) == 0, "enable failed",
		q, round);
	check(wait_event(50) < 0, "event with nothing received", q, round);
	check(send_one(q) == 0, "tx failed", q, round);
	ev = wait_event(2000);
	check(ev == q, ev < 0 ? "no event within 2 s" : "event for another queue",
		q, round);
	rte_eth_dev_rx_intr_disable(port, q);
	check(drain(q, 1) == 1, "frame not looped back", q, round);
	/* A frame that came before the enable still wakes (no lost wake). */
	check(send_one(q) == 0, "tx failed", q, round);
	rte_delay_ms(20);
	while (wait_event(0) >= 0)
		;
	rte_eth_dev_rx_intr_enable(port, q);
	ev = wait_event(1000);
	check(ev == q, "no event for a frame pending at enable", q, round);
	rte_eth_dev_rx_intr_disable(port, q);
	check(drain(q, 1) == 1, "frame not looped back", q, round);
}

int
main(int argc, char **argv)
{
	unsigned int rounds = 20, r;
	uint16_t q;
	int ret;

	ret = rte_eal_init(argc, argv);
	if (ret < 0)
		rte_exit(2, "mdev-rxintr: EAL init failed\n");
	argc -= ret;
	argv += ret;
	if (argc > 1)
		rounds = (unsigned int)strtoul(argv[1], NULL, 10);
	if (rte_eth_dev_count_avail() == 0)
		rte_exit(2, "mdev-rxintr: no port\n");
	pool = rte_pktmbuf_pool_create("rxintr_pool", 4096, 64, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (pool == NULL)
		rte_exit(2, "mdev-rxintr: no mbuf pool\n");
	ret = port_init();
	if (ret != 0)
		rte_exit(2, "mdev-rxintr: port setup failed: %s\n",
			strerror(-ret));
	for (r = 0; r < rounds; r++)
		for (q = 0; q < nb_queues; q++)
			round_queue(q, r);
	/* Across a restart too. */
	rte_eth_dev_stop(port);
	ret = rte_eth_dev_start(port);
	check(ret == 0, "restart failed", 0, rounds);
	for (q = 0; ret == 0 && q < nb_queues; q++)
		round_queue(q, rounds);
	rte_eth_dev_stop(port);
	rte_eth_dev_close(port);
	printf("%u queue(s), %u round(s): %s\n", nb_queues, rounds + 1,
		failures == 0 ? "RESULT: OK" : "RESULT: FAILED");
	rte_eal_cleanup();
	return failures == 0 ? 0 : 1;
}
