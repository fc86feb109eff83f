/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * virtio-net on packed rings: the same passes as sim_net_split.c over a
 * queue pair and the control queue, reading chains with sim_vq_packed.h.
 * Used entries of a pass are written once, at its end.
 */

#include "sim_copy.h"
#include "sim_loop.h"
#include "sim_net.h"
#include "sim_vq_packed.h"

/* The one-step loopback (sim_loop.h) on packed rings; false: not taken. */
static bool
sim_packed_loop_single(struct sim_dev *d, const struct sim_chain *c,
		const struct sim_seg *ts, struct sim_rx_ctx *r)
{
	struct sim_vq *rx = r->vq;
	struct sim_chain rc;

	if (!sim_loop_tx_ok(d, c, ts, r) || !sim_packed_room(rx) ||
			!sim_packed_chain_one(d, rx, rx->last_avail,
				rx->avail_wrap, SIM_CHAIN_RX, &rc) ||
			rc.len < c->len)
		return false;
	sim_loop_copy(rx->segs[0].va, ts->va, c->len);
	sim_packed_used(rx, &rc, c->len);
	sim_packed_consume(rx, &rc);
	rx->stats.received_descs++;
	return true;
}

/* Packets ahead of the current one whose buffers are being loaded. */
#define SIM_PACKED_PREFETCH_AHEAD	2

/*
 * Start loading the buffer of the descriptor "ahead" slots after the
 * next one (one descriptor per chain assumed). The driver wrote it on
 * another core; a hint only, nothing read here is trusted.
 */
static void
sim_packed_prefetch_buf(struct sim_dev *d, const struct sim_vq *vq,
		uint16_t ahead, uint32_t perm)
{
	uint32_t pos = (uint32_t)vq->last_avail + ahead;

	/*
	 * % and not - num: "ahead" may exceed a tiny ring (a ring of 1 read
	 * pdesc[1], past its end; found by fuzz_sim_packed).
	 */
	if (pos >= vq->num)
		pos %= vq->num;
	sim_prefetch_buf(vq->bufs, rte_le_to_cpu_64(vq->pdesc[pos].addr),
		perm);
}

/* The buffers of the packet "ahead" packets after the next one. */
static void
sim_packed_prefetch_pair(struct sim_dev *d, struct sim_vq *tx,
		const struct sim_rx_ctx *r, uint16_t ahead)
{
	sim_packed_prefetch_buf(d, tx, ahead, RTE_VIRTIO_MDEV_DMA_READ);
	if (r->ok)
		sim_packed_prefetch_buf(d, r->vq, ahead,
			RTE_VIRTIO_MDEV_DMA_WRITE);
}

int
sim_packed_pair_poll(struct sim_dev *d, uint16_t pair)
{
	struct sim_vq *tx = &d->vq[2 * pair + 1];
	struct sim_vq *rx = &d->vq[2 * pair];
	struct sim_rx_ctx r = { .vq = NULL };
	bool wire = d->wire.port_ok, single = sim_loop_pass_ok(d);
	struct sim_chain c;
	int i = 0;

	if (tx->ready && !tx->broken) {
		for (; i < SIM_BURST && sim_packed_room(tx) &&
				(r.vq == NULL || r.gso_left > 0); i++) {
			if (sim_packed_chain(d, tx, tx->last_avail,
					tx->avail_wrap, SIM_CHAIN_TX, &c) <= 0)
				break;
			if (r.vq == NULL) {
				sim_rx_ctx_init(d, &r, rx);
				sim_packed_prefetch_pair(d, tx, &r, 1);
			}
			sim_packed_prefetch_pair(d, tx, &r,
				SIM_PACKED_PREFETCH_AHEAD);
			tx->stats.received_descs++;
			if (!single || !sim_packed_loop_single(d, &c, tx->segs,
					&r))
				sim_tx_packet(d, tx, &c, &r);
			sim_packed_used(tx, &c, 0);
			sim_packed_consume(tx, &c);
		}
	}
	if (i == 0 && !wire)
		return 0;
	if (wire)
		i += sim_wire_pair_io(d, pair, &r);
	/* Received before sent: a driver that sees its tx done finds the rx. */
	if (rx->ready)
		sim_packed_publish(d, rx, false);
	sim_packed_publish(d, tx, false);
	return i;
}

void
sim_packed_ctrl_poll(struct sim_dev *d, struct sim_vq *vq, bool from_kick)
{
	struct sim_chain c;

	while (sim_packed_room(vq) &&
			sim_packed_chain(d, vq, vq->last_avail, vq->avail_wrap,
			SIM_CHAIN_CTRL, &c) > 0) {
		if (sim_ctrl_chain(d, vq, &c) < 0)
			break;
		vq->stats.received_descs++;
		sim_packed_used(vq, &c, 1);
		sim_packed_consume(vq, &c);
	}
	sim_packed_publish(d, vq, from_kick);
}
