/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

#ifndef SIM_IOVA_H
#define SIM_IOVA_H

/*
 * The sim device's view of DMA memory: the regions given with dma_map,
 * sorted by IOVA, with a last-hit cache. Every address the driver gives
 * the device goes through here; nothing outside these regions is touched.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_branch_prediction.h>

#define SIM_IOVA_MAX_REGIONS 2048

struct sim_region {
	uint64_t iova;
	uint64_t len;
	uint8_t *va;
	uint32_t perm;		/* RTE_VIRTIO_MDEV_DMA_* */
};

struct sim_iova_table {
	uint32_t nb;
	uint32_t last;		/* index of the last region hit */
	struct sim_region r[SIM_IOVA_MAX_REGIONS];
};

int sim_iova_add(struct sim_iova_table *t, uint64_t iova, uint64_t len,
		void *va, uint32_t perm);
int sim_iova_del(struct sim_iova_table *t, uint64_t iova, uint64_t len);
void *sim_iova_lookup_slow(struct sim_iova_table *t, uint64_t iova,
		uint64_t len, uint32_t perm);
bool sim_iova_span_ok(struct sim_iova_table *t, uint64_t iova, uint64_t len,
		uint32_t perm);
void *sim_iova_contig(struct sim_iova_table *t, uint64_t iova, uint64_t len,
		uint32_t perm);
uint8_t *sim_iova_piece(struct sim_iova_table *t, uint64_t iova, uint64_t len,
		uint64_t *avail);

/* True if [iova, iova + len) wraps around 2^64 (len > 0). */
static inline bool
sim_iova_wraps(uint64_t iova, uint64_t len)
{
	return len != 0 && iova + (len - 1) < iova;
}

/*
 * VA of [iova, iova + len) when it lies inside one region with the given
 * permissions, else NULL (unmapped, or spanning regions: see span_ok).
 */
static inline void *
sim_iova_lookup(struct sim_iova_table *t, uint64_t iova, uint64_t len,
		uint32_t perm)
{
	const struct sim_region *r = &t->r[t->last];
	uint64_t off = iova - r->iova;

	if (likely(t->last < t->nb && off < r->len && len <= r->len - off &&
			(r->perm & perm) == perm))
		return r->va + off;
	return sim_iova_lookup_slow(t, iova, len, perm);
}

#endif /* SIM_IOVA_H */
