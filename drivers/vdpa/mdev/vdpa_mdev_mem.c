/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * The front end's memory as the device sees it: every region of the
 * vhost memory table is mapped with IOVA = guest physical address, so
 * that descriptors written by the guest driver are valid IOVAs as they
 * are. Ring addresses come from vhost as host virtual addresses and are
 * translated back to guest physical ones.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "vdpa_mdev.h"

static const struct rte_vhost_mem_region *
region_of_hva(const struct rte_vhost_memory *mem, uint64_t hva)
{
	const struct rte_vhost_mem_region *r;
	uint32_t i;

	for (i = 0; i < mem->nregions; i++) {
		r = &mem->regions[i];
		if (hva >= r->host_user_addr &&
				hva - r->host_user_addr < r->size)
			return r;
	}
	return NULL;
}

/*
 * Translate [hva, hva + len) to a guest physical address. The range may
 * run over into the next region only where both the host and the guest
 * addresses continue without a gap (front ends split memory in regions
 * per file, and a ring may sit on such a boundary).
 * @return 0, or -EFAULT when some byte is in no region.
 */
int
vdpa_mdev_hva_to_gpa(const struct rte_vhost_memory *mem, uint64_t hva,
		uint64_t len, uint64_t *gpa)
{
	const struct rte_vhost_mem_region *r;
	uint64_t off, avail, next_gpa;

	r = region_of_hva(mem, hva);
	if (r == NULL)
		return -EFAULT;
	off = hva - r->host_user_addr;
	*gpa = r->guest_phys_addr + off;
	for (;;) {
		avail = r->size - off;
		if (len <= avail)
			return 0;
		len -= avail;
		hva += avail;
		next_gpa = r->guest_phys_addr + r->size;
		r = region_of_hva(mem, hva);
		if (r == NULL || r->host_user_addr != hva ||
				r->guest_phys_addr != next_gpa)
			return -EFAULT;
		off = 0;
	}
}

/* The first page-aligned guest physical address above every region. */
uint64_t
vdpa_mdev_mem_end(const struct rte_vhost_memory *mem)
{
	uint64_t end = 0;
	uint32_t i;

	for (i = 0; i < mem->nregions; i++)
		end = RTE_MAX(end, mem->regions[i].guest_phys_addr +
			mem->regions[i].size);
	return RTE_ALIGN_CEIL(end, UINT64_C(4096));
}

/*
 * A table whose regions are empty or run past 2^64, or leave no room
 * above them for the driver's own pages, would wrap the IOVAs computed
 * from it: refused whole.
 */
static int
mem_check(const struct vdpa_mdev_device *vdev,
		const struct rte_vhost_memory *mem)
{
	const uint64_t room = VDPA_MDEV_PRIVATE_LEN(vdev->nr_vq) + 4096;
	const struct rte_vhost_mem_region *r;
	uint32_t i;

	for (i = 0; i < mem->nregions; i++) {
		r = &mem->regions[i];
		if (r->size == 0 || r->guest_phys_addr > UINT64_MAX - room ||
				r->size > UINT64_MAX - room - r->guest_phys_addr) {
			VDPA_MDEV_LOG(ERR, "%s: front end region %u (gpa 0x%" PRIx64 ", size 0x%" PRIx64 ") is empty or ends above 0x%" PRIx64 ": memory table refused",
				vdev->mdev->alias, i, r->guest_phys_addr,
				r->size, UINT64_MAX - room);
			return -EINVAL;
		}
	}
	return 0;
}

/* The address spaces the front end's memory goes to (vdpa_mdev_as.c). */
static uint32_t
mem_nr_as(const struct vdpa_mdev_device *vdev)
{
	return vdev->rings_private ? 2 : 1;
}

static void
region_unmap(struct vdpa_mdev_device *vdev, uint32_t i, uint32_t nr_as)
{
	struct rte_mdev_device *mdev = vdev->mdev;
	const struct rte_vhost_mem_region *r = &vdev->mem->regions[i];
	uint32_t as;
	int ret;

	for (as = 0; as < nr_as; as++) {
		ret = mdev->ops->dma_unmap(mdev, as, r->guest_phys_addr,
			r->size);
		if (ret != 0)
			VDPA_MDEV_LOG(ERR, "%s: dma_unmap of region %u (gpa 0x%" PRIx64 ", size 0x%" PRIx64 ", address space %u) failed: %s",
				mdev->alias, i, r->guest_phys_addr, r->size,
				as, strerror(-ret));
	}
}

/* Map region i in every address space it belongs to, or in none. */
static int
region_map(struct vdpa_mdev_device *vdev, uint32_t i)
{
	struct rte_mdev_device *mdev = vdev->mdev;
	const struct rte_vhost_memory *mem = vdev->mem;
	const struct rte_vhost_mem_region *r = &mem->regions[i];
	uint32_t as;
	int ret;

	for (as = 0; as < mem_nr_as(vdev); as++) {
		ret = mdev->ops->dma_map(mdev, as, r->guest_phys_addr, r->size,
			(void *)(uintptr_t)r->host_user_addr,
			RTE_VIRTIO_MDEV_DMA_RW);
		if (ret != 0) {
			VDPA_MDEV_LOG(ERR, "%s: cannot map front end region %u/%u (gpa 0x%" PRIx64 ", size 0x%" PRIx64 ") in address space %u: %s; front end refused",
				mdev->alias, i, mem->nregions,
				r->guest_phys_addr, r->size, as,
				ret == -EEXIST ?
				"its guest addresses overlap an earlier region" :
				strerror(-ret));
			region_unmap(vdev, i, as);
			return ret;
		}
	}
	return 0;
}

void
vdpa_mdev_mem_unmap(struct vdpa_mdev_device *vdev)
{
	uint32_t i;

	if (vdev->mem == NULL)
		return;
	for (i = 0; i < vdev->nr_mapped; i++)
		region_unmap(vdev, i, mem_nr_as(vdev));
	vdev->nr_mapped = 0;
	free(vdev->mem);
	vdev->mem = NULL;
}

/* Map the memory table of front end vid; on failure nothing stays mapped. */
int
vdpa_mdev_mem_map(struct vdpa_mdev_device *vdev, int vid)
{
	struct rte_mdev_device *mdev = vdev->mdev;
	const struct rte_vhost_mem_region *r;
	struct rte_vhost_memory *mem = NULL;
	uint32_t i;
	int ret;

	if (rte_vhost_get_mem_table(vid, &mem) != 0 || mem == NULL) {
		VDPA_MDEV_LOG(ERR, "%s: front end %d has no memory table",
			mdev->alias, vid);
		return -EINVAL;
	}
	ret = mem_check(vdev, mem);
	if (ret != 0) {
		free(mem);
		return ret;
	}
	vdev->mem = mem;
	vdev->nr_mapped = 0;
	for (i = 0; i < mem->nregions; i++) {
		ret = region_map(vdev, i);
		if (ret != 0) {
			vdpa_mdev_mem_unmap(vdev);
			return ret;
		}
		vdev->nr_mapped++;
		r = &mem->regions[i];
		VDPA_MDEV_LOG(DEBUG, "%s: region %u gpa 0x%" PRIx64 " size 0x%" PRIx64 " hva 0x%" PRIx64,
			mdev->alias, i, r->guest_phys_addr, r->size,
			r->host_user_addr);
	}
	return 0;
}
