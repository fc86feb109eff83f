/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * The ethdev wire (wire=<port>) and the link, without a consumer: a
 * second device, mdev_simW, whose wire is a net_ring port. A ring port's
 * rx ring is its tx ring, so what the device sends on the wire comes back
 * in the same engine pass and the loopback checks apply byte for byte.
 * It shares the guest memory of mdev_simT, which is idle meanwhile.
 */

#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_ethdev.h>

#include "sim.h"
#include "sim_engine.h"
#include "test_sim.h"

#define W_RING	"net_ringW"
#define W_SIM	"mdev_simW"

static struct ctx w;
static struct sim_dev *wd;
static uint16_t w_port;

static void
w_skip(struct ctx *c, const char *why)
{
	snprintf(c->why, sizeof(c->why), "SKIP: %s", why);
}

/*
 * Bring the wire device up for a case: 1 when it is ready, else the
 * case's result: 0 skipped (no wire device), -1 failed (reason copied).
 */
static int
w_setup(struct ctx *c, uint64_t features)
{
	if (wd == NULL) {
		w_skip(c, "no wire device");
		return 0;
	}
	if (dev_setup(&w, features) != 0) {
		memcpy(c->why, w.why, sizeof(c->why));
		return -1;
	}
	return 1;
}

static uint16_t
w_status(void)
{
	uint16_t st = 0;

	w.ops->get_config(w.dev, offsetof(struct virtio_net_config, status),
		&st, sizeof(st));
	return st;
}

/* Poll the device (up to ~500 ms) until its link is up, or down. */
static void
w_wait_link(bool up)
{
	int i;

	for (i = 0; i < 50 && !!(w_status() & VIRTIO_NET_S_LINK_UP) != up;
			i++) {
		usleep(10000);
		dev_poll(&w);
	}
}

/* An unknown port is refused, and leaves no device behind. */
static int
wire_unknown_port(struct ctx *c)
{
	CHECK(c, rte_vdev_init(W_SIM, "wire=no_such_port") < 0,
		"wire=no_such_port accepted");
	CHECK(c, rte_mdev_find(W_SIM) == NULL, "a device was left behind");
	return 0;
}

static int
wire_create(struct ctx *c)
{
	struct rte_eth_dev_owner owner;

	if (rte_vdev_init(W_RING, NULL) != 0 ||
			rte_eth_dev_get_port_by_name(W_RING, &w_port) != 0) {
		w_skip(c, "no net_ring driver in this DPDK");
		return 0;
	}
	CHECK(c, rte_vdev_init(W_SIM,
		"class=vdpa,queues=2,queue_size=64,wire=" W_RING)
		== 0, "probe with wire=" W_RING " failed");
	memset(&w, 0, sizeof(w));
	w.dev = rte_mdev_find(W_SIM);
	CHECK(c, w.dev != NULL, "no mdev " W_SIM);
	w.ops = w.dev->ops;
	wd = sim_dev_of(w.dev);
	memset(&owner, 0, sizeof(owner));
	CHECK(c, rte_eth_dev_owner_get(w_port, &owner) == 0 &&
		strcmp(owner.name, W_SIM) == 0,
		"port %u owned by \"%s\", not " W_SIM, w_port, owner.name);
	CHECK(c, rte_vdev_init("mdev_simW2", "wire=" W_RING) < 0,
		"a second device took the same port");
	CHECK(c, g_map(&w) == 0, "dma_map failed");
	return 0;
}

/* 64, 1500 and 4000 bytes (two mbufs) out and back, mergeable rx. */
static int
wire_loop(struct ctx *c)
{
	static const uint32_t lens[] = { 64, 1500, 4000 };
	const struct sim_wire_stats *s;
	unsigned int i;
	int ret;

	ret = w_setup(c, T_BASE_FEATURES | T_FEAT(VIRTIO_NET_F_MRG_RXBUF));
	if (ret <= 0)
		return ret;
	for (i = 0; i < RTE_DIM(lens); i++) {
		post_rx(&w, 0, 3, 2048);
		if (loop_check(&w, 0, lens[i], i + 1) < 0)
			goto fail;
	}
	s = &wd->wire.stats;
	CHECK(c, s->tx_packets == 3 && s->rx_packets == 3 &&
		s->rx_delivered == 3 && s->tx_drops == 0 &&
		s->rx_nobuf_drops == 0,
		"wire stats tx %" PRIu64 " rx %" PRIu64 " delivered %" PRIu64
		" tx_drops %" PRIu64 " rx_nobuf %" PRIu64, s->tx_packets,
		s->rx_packets, s->rx_delivered, s->tx_drops,
		s->rx_nobuf_drops);
	return 0;
fail:
	memcpy(c->why, w.why, sizeof(c->why));
	return -1;
}

/* A packet back from the wire with no rx buffer is dropped and counted. */
static int
wire_rx_nobuf(struct ctx *c)
{
	static uint8_t pkt[100];
	struct rte_virtio_mdev_vq_stats st;
	uint64_t drops;
	int ret;

	ret = w_setup(c, T_BASE_FEATURES);
	if (ret <= 0)
		return ret;
	drops = wd->wire.stats.rx_nobuf_drops;
	make_payload(pkt, sizeof(pkt), 7);
	send_pkt(&w, 1, pkt, sizeof(pkt), 1);
	dev_poll(&w);
	CHECK(c, tq_used_idx(&w.q[1]) == 1, "tx chain not completed");
	CHECK(c, wd->wire.stats.rx_nobuf_drops == drops + 1,
		"rx_nobuf_drops %" PRIu64 ", expected %" PRIu64,
		wd->wire.stats.rx_nobuf_drops, drops + 1);
	CHECK(c, get_stats(&w, 0, &st) == 0 && st.completion_errors == 1,
		"rx0 completion_errors %" PRIu64, st.completion_errors);
	return 0;
}

/* Forced down and up (telemetry's way): status, generation, callback. */
static int
wire_link_forced(struct ctx *c)
{
	uint32_t gen;
	int ret;

	ret = w_setup(c, T_BASE_FEATURES);
	if (ret <= 0)
		return ret;
	CHECK(c, w_status() & VIRTIO_NET_S_LINK_UP, "link down at start");
	gen = w.ops->get_generation(w.dev);
	sim_wire_link_force(wd, false);
	CHECK(c, !(w_status() & VIRTIO_NET_S_LINK_UP), "still up when forced down");
	CHECK(c, w.ops->get_generation(w.dev) != gen, "generation unchanged");
	dev_poll(&w);
	CHECK(c, w.config_cbs == 1, "%d config callbacks, expected 1",
		w.config_cbs);
	sim_wire_link_force(wd, false);
	dev_poll(&w);
	CHECK(c, w.config_cbs == 1, "callback again without a change");
	sim_wire_link_force(wd, true);
	dev_poll(&w);
	CHECK(c, (w_status() & VIRTIO_NET_S_LINK_UP) && w.config_cbs == 2,
		"link up again: status 0x%x, %d callbacks", w_status(),
		w.config_cbs);
	return 0;
}

/* The port's own link, seen by the engine within ~100 ms. */
static int
wire_link_port(struct ctx *c)
{
	int ret;

	ret = w_setup(c, T_BASE_FEATURES);
	if (ret <= 0)
		return ret;
	if (rte_eth_dev_set_link_down(w_port) != 0) {
		w_skip(c, "the ring port cannot set its link down");
		return 0;
	}
	w_wait_link(false);
	CHECK(c, !(w_status() & VIRTIO_NET_S_LINK_UP) && w.config_cbs == 1,
		"port link down: status 0x%x, %d callbacks", w_status(),
		w.config_cbs);
	rte_eth_dev_set_link_up(w_port);
	w_wait_link(true);
	CHECK(c, (w_status() & VIRTIO_NET_S_LINK_UP) && w.config_cbs == 2,
		"port link up: status 0x%x, %d callbacks", w_status(),
		w.config_cbs);
	return 0;
}

/*
 * The port removed under the device (its vdev first, as at EAL cleanup):
 * link down, transmit dropped, nothing touches the port; then the device
 * goes away cleanly.
 */
static int
wire_port_removed(struct ctx *c)
{
	static uint8_t pkt[100];
	uint64_t drops;
	int ret;

	ret = w_setup(c, T_BASE_FEATURES);
	if (ret <= 0)
		return ret;
	CHECK(c, rte_vdev_uninit(W_RING) == 0, "cannot remove " W_RING);
	CHECK(c, !(w_status() & VIRTIO_NET_S_LINK_UP), "link still up");
	drops = wd->wire.stats.tx_drops;
	post_rx(&w, 0, 1, 2048);
	send_pkt(&w, 1, pkt, sizeof(pkt), 1);
	dev_poll(&w);
	CHECK(c, tq_used_idx(&w.q[1]) == 1, "tx chain not completed");
	CHECK(c, wd->wire.stats.tx_drops == drops + 1,
		"tx_drops %" PRIu64 ", expected %" PRIu64,
		wd->wire.stats.tx_drops, drops + 1);
	CHECK(c, tq_used_idx(&w.q[0]) == 0, "a packet was received");
	w.ops->set_status(w.dev, 0);
	CHECK(c, rte_vdev_uninit(W_SIM) == 0, "cannot remove " W_SIM);
	wd = NULL;
	return 0;
}

const struct test_case wire_cases[] = {
	{ "wire_unknown_port", wire_unknown_port },
	{ "wire_create", wire_create },
	{ "wire_loop", wire_loop },
	{ "wire_rx_nobuf", wire_rx_nobuf },
	{ "wire_link_forced", wire_link_forced },
	{ "wire_link_port", wire_link_port },
	{ "wire_port_removed", wire_port_removed },
};
const unsigned int nb_wire_cases = RTE_DIM(wire_cases);
