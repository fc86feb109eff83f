/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * The loopback wire: every packet the driver transmits on tx queue i is
 * copied once, header stripped, into the receive buffers of rx queue i.
 * No mbuf, no intermediate buffer; used indexes are published once per
 * burst.
 */

#include <string.h>

#include <rte_prefetch.h>

#include "sim_copy.h"
#include "sim_log.h"
#include "sim_loop.h"
#include "sim_net.h"
#include "sim_vq_split.h"

void
sim_rx_ctx_init(struct sim_dev *d, struct sim_rx_ctx *r, struct sim_vq *rx)
{
	int n;

	r->vq = rx;
	r->hdr = NULL;
	r->gso_left = SIM_GSO_BUDGET;
	r->ok = rx->ready && !rx->broken;
	r->avail_end = rx->last_avail;
	if (r->ok && !rx->packed) {
		n = sim_split_avail(d, rx);
		r->ok = n >= 0;
		r->avail_end += n > 0 ? n : 0;
	}
}

/* Is avail slot pos filled? Looks at the ring again once when needed. */
static bool
sim_rx_has(struct sim_dev *d, struct sim_rx_ctx *r, uint16_t pos)
{
	int n;

	if (pos != r->avail_end)
		return true;
	n = sim_split_avail(d, r->vq);
	if (n < 0) {
		r->ok = false;
		return false;
	}
	r->avail_end = r->vq->last_avail + n;
	return pos != r->avail_end;
}

/*
 * Write the header (vh, or all zero: no offloads) at the start of an rx
 * chain and return where its num_buffers bytes are, to be filled once
 * the count is known.
 */
void
sim_rx_put_hdr(struct sim_iova_table *t, struct sim_cursor *dst,
		uint8_t *nb[2], const struct virtio_net_hdr *vh)
{
	static const struct sim_seg zero_seg = {
		.va = (uint8_t *)(uintptr_t)"\0\0\0\0\0\0\0\0\0\0",
		.len = offsetof(struct virtio_net_hdr_mrg_rxbuf, num_buffers),
	};
	struct sim_seg hdr_seg = zero_seg;
	const struct sim_seg *first = &dst->seg[0];
	struct sim_cursor src;
	uint32_t n;
	int i;

	/* Usual case: the header sits whole in the first buffer. */
	if (likely(first->va != NULL && first->len >= SIM_NET_HDR_LEN)) {
		if (likely(vh == NULL))
			memset(first->va, 0, zero_seg.len);
		else
			memcpy(first->va, vh, zero_seg.len);
		nb[0] = first->va + zero_seg.len;
		nb[1] = nb[0] + 1;
		sim_cursor_advance(dst, SIM_NET_HDR_LEN);
		return;
	}
	if (vh != NULL)
		hdr_seg.va = (uint8_t *)(uintptr_t)vh;
	sim_cursor_init(&src, &hdr_seg, 1);
	sim_copy(t, dst, &src, hdr_seg.len);
	for (i = 0; i < 2; i++) {
		nb[i] = sim_cursor_ptr(t, dst, &n);
		sim_cursor_advance(dst, 1);
	}
}

/*
 * Copy one packet (src positioned after the tx header, plen bytes) into
 * as many rx chains as it needs (one without mergeable buffers). Nothing
 * is committed unless the whole packet fits.
 */
void
sim_rx_fill_init(struct sim_rx_fill *f, uint32_t plen)
{
	f->plen = plen;
	f->left = plen;
	f->nbufs = 0;
	f->nb[0] = NULL;
	f->nb[1] = NULL;
	f->lnb.found = false;
}

int
sim_rx_fill_chain(struct sim_dev *d, struct sim_rx_ctx *r,
		struct sim_rx_fill *f, const struct sim_chain *c,
		struct sim_cursor *src)
{
	struct sim_vq *rx = r->vq;
	uint32_t room = c->len, n;
	struct sim_cursor dst;

	/* The header must fit the first buffer, all of it too without
	 * mergeable buffers.
	 */
	if (f->nbufs == 0 && (room < SIM_NET_HDR_LEN || (!d->mrg_rxbuf &&
			room - SIM_NET_HDR_LEN < f->plen)))
		return -1;
	sim_cursor_init(&dst, rx->segs, c->nseg);
	if (f->nbufs == 0) {
		sim_rx_put_hdr(sim_data_as(d), &dst, f->nb, r->hdr);
		room -= SIM_NET_HDR_LEN;
	}
	n = sim_copy(sim_data_as(d), &dst, src, RTE_MIN(room, f->left));
	f->left -= n;
	if (f->nbufs == 0)
		sim_log_nb_save(d, &f->lnb, rx->segs, c->nseg);
	sim_log_segs(d, rx->segs, c->nseg, c->len - room + n);
	f->nbufs++;
	return c->len - room + n;
}

void
sim_rx_fill_done(struct sim_dev *d, struct sim_rx_fill *f)
{
	/* num_buffers is little-endian and may straddle two buffers. */
	if (likely(f->nb[0] != NULL && f->nb[1] != NULL)) {
		*f->nb[0] = f->nbufs & 0xff;
		*f->nb[1] = f->nbufs >> 8;
		sim_log_nb_write(d, &f->lnb);
	}
}

void
sim_rx_packet(struct sim_dev *d, struct sim_rx_ctx *r, struct sim_cursor *src,
		uint32_t plen)
{
	struct sim_vq *rx = r->vq;
	uint16_t pos = rx->last_avail, used0 = rx->used_idx;
	struct sim_rx_fill f;
	struct sim_chain c;
	uint16_t head;
	int wrote;

	if (rx->packed) {
		sim_rx_packet_packed(d, r, src, plen);
		return;
	}
	sim_rx_fill_init(&f, plen);
	while (f.left > 0 || f.nbufs == 0) {
		if (!sim_rx_has(d, r, pos) || f.nbufs == UINT16_MAX)
			goto drop_missed;
		head = sim_split_head(rx, pos);
		if (sim_split_chain(d, rx, head, SIM_CHAIN_RX, &c) < 0) {
			r->ok = false;
			goto drop_missed;
		}
		wrote = sim_rx_fill_chain(d, r, &f, &c, src);
		if (wrote < 0)
			goto drop_small;
		sim_split_used(rx, head, wrote);
		pos++;
	}
	sim_rx_fill_done(d, &f);
	rx->last_avail = pos;
	rx->stats.received_descs += f.nbufs;
	return;
drop_small:
	rx->stats.invalid_buffer++;
	rx->used_idx = used0;
	return;
drop_missed:
	rx->stats.completion_errors++;
	rx->used_idx = used0;
}

/* Take one validated tx chain and put its packet on the wire. */
void
sim_tx_packet(struct sim_dev *d, struct sim_vq *tx, const struct sim_chain *c,
		struct sim_rx_ctx *r)
{
	uint32_t plen = c->len - SIM_NET_HDR_LEN;
	struct virtio_net_hdr h;
	struct sim_cursor src;

	if (unlikely(c->len <= SIM_NET_HDR_LEN)) {
		tx->stats.invalid_buffer++;
		return;
	}
	sim_cursor_init(&src, tx->segs, c->nseg);
	/* Offloads are looked at only when negotiated. */
	if (unlikely(sim_has(d, VIRTIO_NET_F_CSUM))) {
		sim_copy_out(sim_data_as(d), &src, &h, sizeof(h));
		sim_cursor_init(&src, tx->segs, c->nseg);
		sim_cursor_skip(&src, SIM_NET_HDR_LEN);
		if (h.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
			sim_tx_offload(d, &h, &src, plen, r);
			return;
		}
	} else {
		sim_cursor_skip(&src, SIM_NET_HDR_LEN);
	}
	if (d->wire.port_ok) {
		sim_wire_tx(d, &src, plen);
		return;
	}
	if (!r->ok) {
		r->vq->stats.completion_errors++;
		return;
	}
	if (sim_rx_accept(d, &src, plen))
		sim_rx_packet(d, r, &src, plen);
}

/* The one-step loopback (sim_loop.h) on split rings; false: not taken. */
static bool
sim_loop_single_split(struct sim_dev *d, const struct sim_chain *c,
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
#define SIM_PREFETCH_AHEAD	2

/* The first buffer of the chain in avail slot pos, a hint as above. */
static void
sim_split_prefetch_buf(struct sim_dev *d, const struct sim_vq *vq,
		uint16_t pos, uint32_t perm)
{
	const struct vring_desc *desc =
		&vq->desc[sim_split_head(vq, pos) & vq->mask];

	sim_prefetch_buf(sim_data_as(d), rte_le_to_cpu_64(desc->addr), perm);
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
	for (i = 0; i < RTE_MIN(n, SIM_PREFETCH_AHEAD); i++) {
		sim_split_prefetch_buf(d, tx, tx->last_avail + i,
			RTE_VIRTIO_MDEV_DMA_READ);
		if (i < rx_n)
			sim_split_prefetch_buf(d, rx, rx->last_avail + i,
				RTE_VIRTIO_MDEV_DMA_WRITE);
	}
}

/*
 * Buffers of the packet SIM_PREFETCH_AHEAD after this one (counting one
 * rx chain per packet); left: tx chains after this one.
 */
static void
sim_split_prefetch_next(struct sim_dev *d, struct sim_vq *tx,
		const struct sim_rx_ctx *r, uint16_t left)
{
	struct sim_vq *rx = r->vq;

	if (left < SIM_PREFETCH_AHEAD)
		return;
	sim_split_prefetch_buf(d, tx, tx->last_avail + SIM_PREFETCH_AHEAD,
		RTE_VIRTIO_MDEV_DMA_READ);
	if (r->ok && (uint16_t)(r->avail_end - rx->last_avail) >
			SIM_PREFETCH_AHEAD)
		sim_split_prefetch_buf(d, rx, rx->last_avail +
			SIM_PREFETCH_AHEAD, RTE_VIRTIO_MDEV_DMA_WRITE);
}

int
sim_net_pair_poll(struct sim_dev *d, uint16_t pair)
{
	struct sim_vq *tx = &d->vq[2 * pair + 1];
	struct sim_vq *rx = &d->vq[2 * pair];
	struct sim_rx_ctx r = { .vq = NULL };
	bool wire = d->wire.port_ok, single = false;
	struct sim_chain c;
	uint16_t head;
	int i, n = 0;

	if (sim_has(d, VIRTIO_F_RING_PACKED))
		return sim_net_pair_poll_packed(d, pair);
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
		if (!single || !sim_loop_single_split(d, &c, tx->segs, &r))
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
