/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * DMA region table. Regions never overlap in IOVA space and are kept
 * sorted, so a lookup is a binary search, and a buffer that crosses from
 * one region into the next adjacent one is found by walking forward.
 */

#include <errno.h>
#include <string.h>

#include <rte_common.h>

#include "rte_virtio_mdev.h"
#include "sim_iova.h"

/* Index of the region containing iova, or -1. */
static int
sim_iova_find(const struct sim_iova_table *t, uint64_t iova)
{
	uint32_t lo = 0, hi = t->nb;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const struct sim_region *r = &t->r[mid];

		if (iova < r->iova)
			hi = mid;
		else if (iova - r->iova >= r->len)
			lo = mid + 1;
		else
			return mid;
	}
	return -1;
}

/* First index whose region starts above iova (insertion point). */
static uint32_t
sim_iova_insert_pos(const struct sim_iova_table *t, uint64_t iova)
{
	uint32_t lo = 0, hi = t->nb;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (t->r[mid].iova <= iova)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int
sim_iova_add(struct sim_iova_table *t, uint64_t iova, uint64_t len,
		void *va, uint32_t perm)
{
	uint64_t last = iova + len - 1;
	uint32_t pos;

	if (len == 0 || sim_iova_wraps(iova, len) || va == NULL ||
			sim_iova_wraps((uintptr_t)va, len) || perm == 0 ||
			(perm & ~RTE_VIRTIO_MDEV_DMA_RW) != 0)
		return -EINVAL;
	pos = sim_iova_insert_pos(t, iova);
	/* Neighbours: the region before must end below iova, the one after
	 * must start above the last byte.
	 */
	if (pos > 0 && t->r[pos - 1].iova + (t->r[pos - 1].len - 1) >= iova)
		return -EEXIST;
	if (pos < t->nb && t->r[pos].iova <= last)
		return -EEXIST;
	/*
	 * Same alignment in both spaces: ring areas checked for alignment
	 * by IOVA are then aligned for the atomic accesses made by VA.
	 */
	if ((((uintptr_t)va ^ iova) & (RTE_VIRTIO_MDEV_DMA_ALIGN - 1)) != 0)
		return -EINVAL;
	if (t->nb == SIM_IOVA_MAX_REGIONS)
		return -ENOSPC;
	memmove(&t->r[pos + 1], &t->r[pos], (t->nb - pos) * sizeof(t->r[0]));
	t->r[pos] = (struct sim_region){ .iova = iova, .len = len,
		.va = va, .perm = perm };
	t->nb++;
	t->last = pos;
	return 0;
}

int
sim_iova_del(struct sim_iova_table *t, uint64_t iova, uint64_t len)
{
	int i = sim_iova_find(t, iova);

	if (i < 0 || t->r[i].iova != iova || t->r[i].len != len)
		return -ENOENT;
	t->nb--;
	memmove(&t->r[i], &t->r[i + 1], (t->nb - i) * sizeof(t->r[0]));
	t->last = 0;
	return 0;
}

void *
sim_iova_lookup_slow(struct sim_iova_table *t, uint64_t iova, uint64_t len,
		uint32_t perm)
{
	const struct sim_region *r;
	int i = sim_iova_find(t, iova);

	if (i < 0)
		return NULL;
	t->last = i;
	r = &t->r[i];
	if (len > r->len - (iova - r->iova) || (r->perm & perm) != perm)
		return NULL;
	return r->va + (iova - r->iova);
}

/*
 * Walk the regions covering [iova, iova + len). With contig, each next
 * region must also follow the previous one in virtual memory.
 */
static int
sim_iova_walk(struct sim_iova_table *t, uint64_t iova, uint64_t len,
		uint32_t perm, bool contig)
{
	int first = sim_iova_find(t, iova);
	int i = first;
	uint64_t off, room;

	if (i < 0 || sim_iova_wraps(iova, len))
		return -1;
	off = iova - t->r[i].iova;
	for (;;) {
		const struct sim_region *r = &t->r[i];

		if ((r->perm & perm) != perm)
			return -1;
		room = r->len - off;
		if (len <= room)
			return first;
		len -= room;
		if ((uint32_t)i + 1 >= t->nb ||
				t->r[i + 1].iova != r->iova + r->len)
			return -1;
		if (contig && t->r[i + 1].va != r->va + r->len)
			return -1;
		i++;
		off = 0;
	}
}

bool
sim_iova_span_ok(struct sim_iova_table *t, uint64_t iova, uint64_t len,
		uint32_t perm)
{
	return sim_iova_walk(t, iova, len, perm, false) >= 0;
}

void *
sim_iova_contig(struct sim_iova_table *t, uint64_t iova, uint64_t len,
		uint32_t perm)
{
	int i = sim_iova_walk(t, iova, len, perm, true);

	if (i < 0)
		return NULL;
	return t->r[i].va + (iova - t->r[i].iova);
}

uint8_t *
sim_iova_piece(struct sim_iova_table *t, uint64_t iova, uint64_t len,
		uint64_t *avail)
{
	const struct sim_region *r;
	uint64_t off;
	int i = sim_iova_find(t, iova);

	if (i < 0)
		return NULL;
	r = &t->r[i];
	off = iova - r->iova;
	*avail = RTE_MIN(len, r->len - off);
	return r->va + off;
}
