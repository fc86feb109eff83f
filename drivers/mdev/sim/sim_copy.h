/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

#ifndef SIM_COPY_H
#define SIM_COPY_H

/*
 * Copying between validated chains. A buffer normally lies in one region
 * (seg->va set, one memcpy); one that spans adjacent regions is copied in
 * pieces, region by region.
 */

#include <rte_memcpy.h>
#include <rte_prefetch.h>

#include "sim.h"

struct sim_cursor {
	const struct sim_seg *seg;
	uint16_t nseg;
	uint16_t i;
	uint32_t off;
};

static inline void
sim_cursor_init(struct sim_cursor *c, const struct sim_seg *seg,
		uint16_t nseg)
{
	c->seg = seg;
	c->nseg = nseg;
	c->i = 0;
	c->off = 0;
}

/* Contiguous bytes at the cursor: pointer and count (*n). */
static inline uint8_t *
sim_cursor_ptr(struct sim_iova_table *t, const struct sim_cursor *c,
		uint32_t *n)
{
	const struct sim_seg *s = &c->seg[c->i];
	uint64_t avail = 0;
	uint8_t *p;

	if (likely(s->va != NULL)) {
		*n = s->len - c->off;
		return s->va + c->off;
	}
	p = sim_iova_piece(t, s->iova + c->off, s->len - c->off, &avail);
	*n = avail;
	return p;
}

static inline void
sim_cursor_advance(struct sim_cursor *c, uint32_t n)
{
	c->off += n;
	if (c->off == c->seg[c->i].len) {
		c->i++;
		c->off = 0;
	}
}

/* Skip len bytes (the caller knows the chain holds them). */
static inline void
sim_cursor_skip(struct sim_cursor *c, uint32_t len)
{
	uint32_t n;

	while (len > 0 && c->i < c->nseg) {
		n = RTE_MIN(len, c->seg[c->i].len - c->off);
		sim_cursor_advance(c, n);
		len -= n;
	}
}

/*
 * Copy len bytes between cursors; both hold at least len bytes (checked
 * by the caller from the chain lengths). Returns the bytes copied.
 */
static inline uint32_t
sim_copy(struct sim_iova_table *t, struct sim_cursor *dst,
		struct sim_cursor *src, uint32_t len)
{
	uint32_t done = 0, ns, nd, n;
	uint8_t *ps, *pd;

	while (done < len && src->i < src->nseg && dst->i < dst->nseg) {
		ps = sim_cursor_ptr(t, src, &ns);
		pd = sim_cursor_ptr(t, dst, &nd);
		if (unlikely(ps == NULL || pd == NULL))
			break;
		n = RTE_MIN(RTE_MIN(ns, nd), len - done);
		rte_memcpy(pd, ps, n);
		sim_cursor_advance(src, n);
		sim_cursor_advance(dst, n);
		done += n;
	}
	return done;
}

/*
 * Copy up to len bytes at src into a flat buffer (fewer when the chain
 * ends first); src moves past them. Returns the bytes copied.
 */
static inline uint32_t
sim_copy_out(struct sim_iova_table *t, struct sim_cursor *src, void *buf,
		uint32_t len)
{
	struct sim_seg seg = { .va = buf, .len = len };
	struct sim_cursor dst;

	sim_cursor_init(&dst, &seg, 1);
	return sim_copy(t, &dst, src, len);
}

/*
 * Start loading the first two lines (header and a small frame) of the
 * buffer at iova, for reading (tx) or writing (rx, perm WRITE). A hint
 * taken from an unchecked descriptor: an unmapped address is skipped.
 */
static inline void
sim_prefetch_buf(struct sim_iova_table *t, uint64_t iova, uint32_t perm)
{
	uint8_t *va = sim_iova_lookup(t, iova, 1, perm);

	if (va == NULL)
		return;
	if (perm == RTE_VIRTIO_MDEV_DMA_WRITE) {
		__builtin_prefetch(va, 1);
		__builtin_prefetch(va + RTE_CACHE_LINE_SIZE, 1);
	} else {
		rte_prefetch0(va);
		rte_prefetch0(va + RTE_CACHE_LINE_SIZE);
	}
}

#endif /* SIM_COPY_H */
