/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * The receive side of virtio-net, what every packet the device delivers
 * goes through (the loopback, an ethdev wire, offloads): it is copied
 * once, with its header, into the driver's rx chains, one chain or
 * several with mergeable buffers. The chains are taken from either ring
 * layout (the two short loops below); filling them is the same for both.
 * Used entries are written here and published by the caller's pass.
 */

#include <string.h>

#include "sim_copy.h"
#include "sim_log.h"
#include "sim_net.h"
#include "sim_vq_packed.h"
#include "sim_vq_split.h"

/*
 * One packet being copied into rx chains, by either ring layout: the
 * layout finds each chain and writes its used entry; sim_rx_fill_chain
 * fills it and sim_rx_fill_done writes num_buffers at the end.
 */
struct sim_rx_fill {
	uint32_t plen;		/* packet bytes (after the header) */
	uint32_t left;		/* bytes not copied yet */
	uint16_t nbufs;		/* chains used so far */
	uint8_t *nb[2];		/* the two bytes of num_buffers */
	struct sim_log_nb lnb;	/* where they are, for the dirty log */
};

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
sim_split_rx_has(struct sim_dev *d, struct sim_rx_ctx *r, uint16_t pos)
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
static void
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
static void
sim_rx_fill_init(struct sim_rx_fill *f, uint32_t plen)
{
	f->plen = plen;
	f->left = plen;
	f->nbufs = 0;
	f->nb[0] = NULL;
	f->nb[1] = NULL;
	f->lnb.found = false;
}

/*
 * Copy the packet's next bytes (after the header in the first chain)
 * into chain c. Returns the bytes written to c for its used entry, or -1
 * when the first chain cannot hold the header (or, without mergeable
 * buffers, the whole packet).
 */
static int
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
		sim_rx_put_hdr(rx->bufs, &dst, f->nb, r->hdr);
		room -= SIM_NET_HDR_LEN;
	}
	n = sim_copy(rx->bufs, &dst, src, RTE_MIN(room, f->left));
	f->left -= n;
	if (f->nbufs == 0)
		sim_log_nb_save(d, &f->lnb, rx->segs, c->nseg);
	sim_log_segs(d, rx->segs, c->nseg, c->len - room + n);
	f->nbufs++;
	return c->len - room + n;
}

/* num_buffers, once the packet is in. */
static void
sim_rx_fill_done(struct sim_dev *d, struct sim_rx_fill *f)
{
	/* num_buffers is little-endian and may straddle two buffers. */
	if (likely(f->nb[0] != NULL && f->nb[1] != NULL)) {
		*f->nb[0] = f->nbufs & 0xff;
		*f->nb[1] = f->nbufs >> 8;
		sim_log_nb_write(d, &f->lnb);
	}
}

/* sim_rx_packet on a split ring. */
static void
sim_split_rx_packet(struct sim_dev *d, struct sim_rx_ctx *r,
		struct sim_cursor *src, uint32_t plen)
{
	struct sim_vq *rx = r->vq;
	uint16_t pos = rx->last_avail, used0 = rx->used_idx;
	struct sim_rx_fill f;
	struct sim_chain c;
	uint16_t head;
	int wrote;

	sim_rx_fill_init(&f, plen);
	while (f.left > 0 || f.nbufs == 0) {
		if (!sim_split_rx_has(d, r, pos) || f.nbufs == UINT16_MAX)
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


/* sim_rx_packet on a packed ring. */
static void
sim_packed_rx_packet(struct sim_dev *d, struct sim_rx_ctx *r,
		struct sim_cursor *src, uint32_t plen)
{
	struct sim_vq *rx = r->vq;
	uint16_t pos = rx->last_avail, sh0 = rx->nshadow;
	uint8_t wrap = rx->avail_wrap;
	struct sim_rx_fill f;
	struct sim_chain c;
	int got, wrote;

	sim_rx_fill_init(&f, plen);
	while (f.left > 0 || f.nbufs == 0) {
		if (f.nbufs == UINT16_MAX || !sim_packed_room(rx))
			goto drop_missed;
		got = sim_packed_chain(d, rx, pos, wrap, SIM_CHAIN_RX, &c);
		if (got <= 0) {
			r->ok = got == 0;
			goto drop_missed;
		}
		wrote = sim_rx_fill_chain(d, r, &f, &c, src);
		if (wrote < 0)
			goto drop_small;
		sim_packed_used(rx, &c, wrote);
		sim_packed_step(rx, &pos, &wrap, c.ndesc);
	}
	sim_rx_fill_done(d, &f);
	rx->last_avail = pos;
	rx->avail_wrap = wrap;
	rx->stats.received_descs += f.nbufs;
	return;
drop_small:
	rx->stats.invalid_buffer++;
	rx->nshadow = sh0;
	return;
drop_missed:
	rx->stats.completion_errors++;
	rx->nshadow = sh0;
}

void
sim_rx_packet(struct sim_dev *d, struct sim_rx_ctx *r, struct sim_cursor *src,
		uint32_t plen)
{
	if (r->vq->packed)
		sim_packed_rx_packet(d, r, src, plen);
	else
		sim_split_rx_packet(d, r, src, plen);
}
