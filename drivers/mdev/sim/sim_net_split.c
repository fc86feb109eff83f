/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * virtio-net on split rings: one pass over a queue pair takes the tx
 * chains (the one-step loopback of sim_loop.h when it can, else
 * sim_tx_packet) and publishes both used rings once; one pass over the
 * control queue answers its commands (sim_net_ctrl.c). The loopback:
 * every packet the driver transmits on tx queue i is copied once, header
 * stripped, into the receive buffers of rx queue i.
 */

#include <rte_prefetch.h>

#include "sim_copy.h"
#include "sim_loop.h"
#include "sim_net.h"
#include "sim_vq_split.h"

/* The one-step loopback (sim_loop.h) on split rings; false: not taken. */
static bool
sim_split_loop_single(struct sim_dev *d, const struct sim_chain *c,
		const struct sim_seg *ts, struct sim_rx_ctx *r)
{
	struct sim_vq *rx = r->vq;
	struct sim_chain rc;
	uint16_t head;

	if (!sim_loop_tx_ok(d, c, ts, r) || rx->last_avail == r->avail_end)
		return false;
	head = sim_split_head(rx, rx->last_avail);
	if (!sim_split_chain_single(d, rx, head, SIM_CHAIN_RX, &rc) ||
			rc.len < c->len)
		return false;
	sim_loop_copy(rx->segs[0].va, ts->va, c->len);
	sim_split_used(rx, head, c->len);
	rx->last_avail++;
	rx->stats.received_descs++;
	return true;
}

/*
 * Start the loads of a burst before walking it. The driver wrote the
 * avail slots, descriptors and buffers on another core: taken one after
 * the other, those misses are most of what a packet costs. Hints only:
 * nothing read here is trusted, sim_split_chain validates it later.
 */
static void
sim_split_prefetch_descs(const struct sim_vq *vq, uint16_t pos, uint16_t n)
{
	uint16_t i;

	for (i = 0; i < n; i++)
		rte_prefetch0(&vq->desc[sim_split_head(vq, pos + i) &
			vq->mask]);
}

/* Packets ahead of the current one whose buffers are being loaded. */
#define SIM_SPLIT_PREFETCH_AHEAD	2

/* The first buffer of the chain in avail slot pos, a hint as above. */
static void
sim_split_prefetch_buf(struct sim_dev *d, const struct sim_vq *vq,
		uint16_t pos, uint32_t perm)
{
	const struct vring_desc *desc =
		&vq->desc[sim_split_head(vq, pos) & vq->mask];

	sim_prefetch_buf(vq->bufs, rte_le_to_cpu_64(desc->addr), perm);
}

/*
 * At the start of a burst of n tx chains: the descriptors of both rings,
 * then the buffers of the first packets.
 */
static void
sim_split_prefetch_burst(struct sim_dev *d, struct sim_vq *tx,
		const struct sim_rx_ctx *r, uint16_t n)
{
	struct sim_vq *rx = r->vq;
	uint16_t rx_n = 0, i;

	sim_split_prefetch_descs(tx, tx->last_avail, n);
	if (r->ok) {
		rx_n = RTE_MIN(n, (uint16_t)(r->avail_end - rx->last_avail));
		sim_split_prefetch_descs(rx, rx->last_avail, rx_n);
	}
	for (i = 0; i < RTE_MIN(n, SIM_SPLIT_PREFETCH_AHEAD); i++) {
		sim_split_prefetch_buf(d, tx, tx->last_avail + i,
			RTE_VIRTIO_MDEV_DMA_READ);
		if (i < rx_n)
			sim_split_prefetch_buf(d, rx, rx->last_avail + i,
				RTE_VIRTIO_MDEV_DMA_WRITE);
	}
}

/*
 * Buffers of the packet SIM_SPLIT_PREFETCH_AHEAD after this one
 * (counting one rx chain per packet); left: tx chains after this one.
 */
static void
sim_split_prefetch_next(struct sim_dev *d, struct sim_vq *tx,
		const struct sim_rx_ctx *r, uint16_t left)
{
	struct sim_vq *rx = r->vq;

	if (left < SIM_SPLIT_PREFETCH_AHEAD)
		return;
	sim_split_prefetch_buf(d, tx,
		tx->last_avail + SIM_SPLIT_PREFETCH_AHEAD,
		RTE_VIRTIO_MDEV_DMA_READ);
	if (r->ok && (uint16_t)(r->avail_end - rx->last_avail) >
			SIM_SPLIT_PREFETCH_AHEAD)
		sim_split_prefetch_buf(d, rx, rx->last_avail +
			SIM_SPLIT_PREFETCH_AHEAD, RTE_VIRTIO_MDEV_DMA_WRITE);
}

int
sim_split_pair_poll(struct sim_dev *d, uint16_t pair)
{
	struct sim_vq *tx = &d->vq[2 * pair + 1];
	struct sim_vq *rx = &d->vq[2 * pair];
	struct sim_rx_ctx r = { .vq = NULL };
	bool wire = d->wire.port_ok, single = false;
	struct sim_chain c;
	uint16_t head;
	int i, n = 0;

	if (tx->ready && !tx->broken)
		n = sim_split_avail(d, tx);
	/* An ethdev wire also has packets to receive. */
	if (n <= 0 && !wire)
		return 0;
	n = RTE_MIN(RTE_MAX(n, 0), SIM_BURST);
	if (n > 0) {
		sim_rx_ctx_init(d, &r, rx);
		sim_split_prefetch_burst(d, tx, &r, n);
		single = sim_loop_pass_ok(d);
	}
	for (i = 0; i < n && r.gso_left > 0; i++) {
		sim_split_prefetch_next(d, tx, &r, n - i - 1);
		head = sim_split_head(tx, tx->last_avail);
		if (sim_split_chain(d, tx, head, SIM_CHAIN_TX, &c) < 0)
			break;
		tx->stats.received_descs++;
		if (!single || !sim_split_loop_single(d, &c, tx->segs, &r))
			sim_tx_packet(d, tx, &c, &r);
		sim_split_used_tx(tx, head, i + 1 == n);
		tx->last_avail++;
	}
	if (i > 0 && i < n)
		sim_split_used_tx_end(tx, sim_split_head(tx, tx->last_avail - 1));
	if (wire)
		i += sim_wire_pair_io(d, pair, &r);
	/* Received before sent: a driver that sees its tx done finds the rx. */
	if (rx->ready)
		sim_split_publish(d, rx, false);
	sim_split_publish(d, tx, false);
	return i;
}

void
sim_split_ctrl_poll(struct sim_dev *d, struct sim_vq *vq, bool from_kick)
{
	struct sim_chain c;
	uint16_t head;
	int i, n;

	n = sim_split_avail(d, vq);
	for (i = 0; i < n; i++) {
		head = sim_split_head(vq, vq->last_avail);
		if (sim_split_chain(d, vq, head, SIM_CHAIN_CTRL, &c) < 0 ||
				sim_ctrl_chain(d, vq, &c) < 0)
			break;
		vq->stats.received_descs++;
		sim_split_used(vq, head, 1);
		vq->last_avail++;
	}
	sim_split_publish(d, vq, from_kick);
}
