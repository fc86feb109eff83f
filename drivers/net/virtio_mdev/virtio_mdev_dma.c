/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * The device sees DPDK's memory at iova == process virtual address, so
 * descriptors can carry mbuf addresses as they are. At probe all
 * allocated memory is mapped; a memory event callback maps memory EAL
 * adds later and unmaps memory it gives back.
 *
 * The callback runs in whichever thread grows or shrinks the heap, with
 * EAL's memory hotplug lock held for writing and heap locks held: it must
 * not allocate DPDK memory, so the region table lives in libc memory, and
 * it serialises with the rest of the PMD's dma_map/dma_unmap calls
 * through dma.lock only.
 *
 * dma_unmap takes exactly a range that was mapped, and EAL gives memory
 * back page by page. So memory EAL may free is mapped one page per
 * region (as EAL itself does for VFIO), and an unmap never has to touch
 * memory that stays in use. Memory that is never freed (preallocated
 * with -m / --socket-mem, legacy memory, external memory) is mapped in
 * VA-contiguous chunks to keep the region count low.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal_memconfig.h>
#include <rte_errno.h>
#include <rte_memory.h>

#include "virtio_mdev.h"
#include "virtio_mdev_logs.h"

static int
dma_table_grow(struct vmdev_dma *dma)
{
	unsigned int cap = dma->cap ? dma->cap * 2 : 16;
	struct vmdev_dma_region *r;

	r = realloc(dma->regions, sizeof(*r) * cap);
	if (r == NULL)
		return -ENOMEM;
	dma->regions = r;
	dma->cap = cap;
	return 0;
}

static int
dma_map_locked(struct vmdev_hw *hw, uint64_t va, uint64_t len)
{
	struct vmdev_dma *dma = &hw->dma;
	int ret;

	if (dma->nb == dma->cap && dma_table_grow(dma) != 0) {
		VMDEV_LOG(ERR, hw->name,
			"out of memory for the DMA region table (%u regions)",
			dma->nb);
		return -ENOMEM;
	}
	ret = hw->ops->dma_map(hw->mdev, 0, va, len, (void *)(uintptr_t)va,
		RTE_VIRTIO_MDEV_DMA_RW);
	if (ret != 0) {
		VMDEV_LOG(ERR, hw->name,
			"device refused to map memory 0x%" PRIx64 "-0x%" PRIx64
			" (%u regions mapped): %s",
			va, va + len, dma->nb, strerror(-ret));
		return ret;
	}
	dma->regions[dma->nb].iova = va;
	dma->regions[dma->nb].len = len;
	dma->nb++;
	VMDEV_LOG(DEBUG, hw->name, "mapped 0x%" PRIx64 "-0x%" PRIx64,
		va, va + len);
	return 0;
}

/* Unmap region i; the last region takes its place in the table. */
static void
dma_unmap_locked(struct vmdev_hw *hw, unsigned int i)
{
	struct vmdev_dma *dma = &hw->dma;
	struct vmdev_dma_region r = dma->regions[i];
	int ret;

	ret = hw->ops->dma_unmap(hw->mdev, 0, r.iova, r.len);
	if (ret != 0)
		VMDEV_LOG(WARNING, hw->name,
			"device refused to unmap 0x%" PRIx64 "-0x%" PRIx64 ": %s",
			r.iova, r.iova + r.len, strerror(-ret));
	else
		VMDEV_LOG(DEBUG, hw->name, "unmapped 0x%" PRIx64 "-0x%" PRIx64,
			r.iova, r.iova + r.len);
	dma->regions[i] = dma->regions[--dma->nb];
}

/*
 * EAL gives back [va, va + len): unmap it. A region reaching beyond it
 * (not expected with page-sized regions) is unmapped whole and what is
 * left of it mapped again; the device may miss that memory meanwhile.
 */
static void
dma_release_locked(struct vmdev_hw *hw, uint64_t va, uint64_t len)
{
	struct vmdev_dma *dma = &hw->dma;
	uint64_t end = va + len;
	unsigned int i = 0;

	while (i < dma->nb) {
		struct vmdev_dma_region r = dma->regions[i];
		uint64_t r_end = r.iova + r.len;

		if (r_end <= va || r.iova >= end) {
			i++;
			continue;
		}
		dma_unmap_locked(hw, i);
		if (r.iova >= va && r_end <= end)
			continue;
		VMDEV_LOG(WARNING, hw->name,
			"memory 0x%" PRIx64 "-0x%" PRIx64 " freed inside region 0x%"
			PRIx64 "-0x%" PRIx64 ": remapping the rest",
			va, end, r.iova, r_end);
		/* Remainders go to the end of the table, past this scan. */
		if (r.iova < va)
			dma_map_locked(hw, r.iova, va - r.iova);
		if (r_end > end)
			dma_map_locked(hw, end, r_end - end);
	}
}

/* Memory EAL may free again: one region per page. */
static int
dma_map_pages_locked(struct vmdev_hw *hw, uint64_t va, uint64_t len,
		uint64_t page_sz)
{
	uint64_t off;
	int ret;

	for (off = 0; off < len; off += page_sz) {
		ret = dma_map_locked(hw, va + off, RTE_MIN(page_sz, len - off));
		if (ret != 0)
			return ret;
	}
	return 0;
}

static void
dma_mem_event(enum rte_mem_event type, const void *addr, size_t len,
		void *arg)
{
	const struct rte_memseg_list *msl = rte_mem_virt2memseg_list(addr);
	struct vmdev_hw *hw = arg;

	pthread_mutex_lock(&hw->dma.lock);
	if (type != RTE_MEM_EVENT_ALLOC)
		dma_release_locked(hw, (uintptr_t)addr, len);
	else if (msl == NULL || msl->external)
		dma_map_locked(hw, (uintptr_t)addr, len);
	else
		dma_map_pages_locked(hw, (uintptr_t)addr, len, msl->page_sz);
	pthread_mutex_unlock(&hw->dma.lock);
}

/* Initial walk: chunks of memory that stays, pages of the rest. */
struct dma_walk {
	struct vmdev_hw *hw;
	bool dynamic;		/* memory events exist: pages can be freed */
	uint64_t start;		/* pending chunk */
	uint64_t len;
};

static int
dma_walk_flush(struct dma_walk *w)
{
	int ret = 0;

	if (w->len != 0)
		ret = dma_map_locked(w->hw, w->start, w->len);
	w->len = 0;
	return ret;
}

static int
dma_walk_seg(const struct rte_memseg_list *msl, const struct rte_memseg *ms,
		void *arg)
{
	struct dma_walk *w = arg;
	uint64_t va = (uintptr_t)ms->addr;

	if (w->dynamic && !msl->external &&
			!(ms->flags & RTE_MEMSEG_FLAG_DO_NOT_FREE)) {
		if (dma_walk_flush(w) != 0)
			return -1;
		return dma_map_locked(w->hw, va, ms->len) == 0 ? 0 : -1;
	}
	if (w->len != 0 && w->start + w->len == va) {
		w->len += ms->len;
		return 0;
	}
	if (dma_walk_flush(w) != 0)
		return -1;
	w->start = va;
	w->len = ms->len;
	return 0;
}

static void
dma_unmap_all(struct vmdev_hw *hw)
{
	pthread_mutex_lock(&hw->dma.lock);
	while (hw->dma.nb > 0)
		dma_unmap_locked(hw, hw->dma.nb - 1);
	free(hw->dma.regions);
	hw->dma.regions = NULL;
	hw->dma.cap = 0;
	pthread_mutex_unlock(&hw->dma.lock);
}

/*
 * Register the callback and walk the memory under EAL's memory read
 * lock, so no chunk is added in between (and mapped twice).
 */
int
vmdev_dma_setup(struct vmdev_hw *hw)
{
	struct vmdev_dma *dma = &hw->dma;
	int ret = 0;

	pthread_mutex_init(&dma->lock, NULL);
	snprintf(dma->cb_name, sizeof(dma->cb_name), "vmdev_%.50s",
		hw->name);
	rte_mcfg_mem_read_lock();
	if (rte_mem_event_callback_register(dma->cb_name, dma_mem_event,
			hw) == 0)
		dma->cb_registered = true;
	else if (rte_errno != ENOTSUP)
		ret = -rte_errno;
	if (ret == 0) {
		struct dma_walk w = { .hw = hw, .dynamic = dma->cb_registered };

		pthread_mutex_lock(&dma->lock);
		if (rte_memseg_walk_thread_unsafe(dma_walk_seg, &w) != 0 ||
				dma_walk_flush(&w) != 0)
			ret = -EIO;
		pthread_mutex_unlock(&dma->lock);
	}
	rte_mcfg_mem_read_unlock();
	if (ret != 0) {
		VMDEV_LOG(ERR, hw->name, "cannot map DPDK memory into the device: %s",
			strerror(-ret));
		vmdev_dma_teardown(hw);
		return ret;
	}
	VMDEV_LOG(INFO, hw->name, "%u memory regions mapped%s", dma->nb,
		dma->cb_registered ? "" :
		" (fixed memory: no memory event callback)");
	return 0;
}

void
vmdev_dma_teardown(struct vmdev_hw *hw)
{
	struct vmdev_dma *dma = &hw->dma;

	if (dma->cb_registered) {
		rte_mem_event_callback_unregister(dma->cb_name, hw);
		dma->cb_registered = false;
	}
	dma_unmap_all(hw);
}
