/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * fuzz_vdpa_mem: the vDPA driver's view of the front end's memory
 * (drivers/vdpa/mdev/vdpa_mdev_mem.c, compiled as it is) on arbitrary
 * vhost memory tables: zero-sized, overlapping, unaligned regions, and
 * regions that wrap or end near 2^64. The device is a stub whose
 * dma_map/dma_unmap keep the sim's own IOVA tables (sim_iova.c), one per
 * address space; rte_vhost_get_mem_table is a stub returning the table
 * the input describes.
 *
 * Checks: vdpa_mdev_mem_map either maps every region in every address
 * space it uses or leaves nothing mapped; vdpa_mdev_mem_unmap leaves
 * nothing mapped; every range vdpa_mdev_hva_to_gpa translates is mapped
 * whole, its first byte at the right host address, below
 * vdpa_mdev_mem_end(), with the driver's private pages fitting above.
 *
 * Input: u8 regions (% 9), u8 flags (bit 0: rings in a private address
 * space, i.e. two address spaces), u16 data queues; per region u8 mode
 * then gpa, size, hva (small page-aligned values, or raw 64-bit ones, or
 * with an unaligned tail, as mode says); then queries of u8 region,
 * u32 offset (signed), u32 length.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "vdpa_mdev.h"
#include "sim_iova.h"

#include "fuzz_common.h"

int vdpa_mdev_logtype;

#define MAX_REGIONS	8
#define NAS		2

static struct sim_iova_table as[NAS];
static struct rte_vhost_memory *next_table;

/* The stub of librte_vhost's: hands over the table the input made. */
int
rte_vhost_get_mem_table(int vid __rte_unused, struct rte_vhost_memory **mem)
{
	*mem = next_table;
	next_table = NULL;
	return *mem == NULL ? -1 : 0;
}

static int
stub_dma_map(struct rte_mdev_device *dev __rte_unused, uint32_t asid,
		uint64_t iova, uint64_t size, void *vaddr, uint32_t perm)
{
	if (asid >= NAS)
		abort();	/* the driver asks for a space it has not */
	return sim_iova_add(&as[asid], iova, size, vaddr, perm);
}

static int
stub_dma_unmap(struct rte_mdev_device *dev __rte_unused, uint32_t asid,
		uint64_t iova, uint64_t size)
{
	int ret;

	if (asid >= NAS)
		abort();
	ret = sim_iova_del(&as[asid], iova, size);
	if (ret != 0) {
		/* Only what was mapped is ever unmapped. */
		fprintf(stderr, "fuzz_vdpa_mem: unmap of [0x%" PRIx64 ", +0x%" PRIx64 ") in space %u: %d\n",
			iova, size, asid, ret);
		abort();
	}
	return ret;
}

static const struct rte_virtio_mdev_ops stub_ops = {
	.dma_map = stub_dma_map,
	.dma_unmap = stub_dma_unmap,
};

static struct rte_mdev_device mdev = {
	.alias = "fuzz",
	.ops = &stub_ops,
};

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc __rte_unused, char ***argv __rte_unused)
{
	vdpa_mdev_logtype = RTE_LOGTYPE_USER1;
	fuzz_quiet_logs();
	return 0;
}

static uint64_t
fz_u64(struct fz *f)
{
	uint64_t v = fz_u32(f);

	return v | (uint64_t)fz_u32(f) << 32;
}

static void
fail(const char *what)
{
	fprintf(stderr, "fuzz_vdpa_mem: %s\n", what);
	abort();
}

static void
check_empty(const char *when)
{
	uint32_t a;

	for (a = 0; a < NAS; a++)
		if (as[a].nb != 0) {
			fprintf(stderr, "fuzz_vdpa_mem: %u regions left mapped in space %u %s\n",
				as[a].nb, a, when);
			abort();
		}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vdpa_mdev_device *vdev;
	struct rte_vhost_memory *mem;
	struct rte_vhost_mem_region *r;
	uint64_t gpa, len, hva, end, room;
	uint32_t n, i, a, nr_as;
	uint8_t mode, flags;
	struct fz f;
	int ret;

	fz_init(&f, data, size);
	n = fz_u8(&f) % (MAX_REGIONS + 1);
	flags = fz_u8(&f);
	mem = calloc(1, sizeof(*mem) + n * sizeof(mem->regions[0]));
	vdev = calloc(1, sizeof(*vdev));
	if (mem == NULL || vdev == NULL)
		abort();
	vdev->mdev = &mdev;
	vdev->nr_vq = fz_u16(&f);
	vdev->rings_private = flags & 1;
	nr_as = vdev->rings_private ? 2 : 1;
	mem->nregions = n;
	for (i = 0; i < n; i++) {
		r = &mem->regions[i];
		mode = fz_u8(&f);
		r->guest_phys_addr = (mode & 1) ? fz_u64(&f) :
			(uint64_t)fz_u16(&f) << 12 | ((mode & 2) ? fz_u8(&f) : 0);
		r->size = (mode & 4) ? fz_u64(&f) :
			(uint64_t)fz_u16(&f) << 12 | ((mode & 8) ? fz_u8(&f) : 0);
		r->host_user_addr = (mode & 16) ? fz_u64(&f) :
			(UINT64_C(0x7f0000000000) + ((uint64_t)fz_u16(&f) << 12)) |
			((mode & 32) ? fz_u8(&f) : 0);
		r->mmap_addr = r->host_user_addr;
		r->mmap_size = r->size;
	}
	next_table = mem;
	ret = vdpa_mdev_mem_map(vdev, 0);
	if (ret != 0) {
		/* mem was freed by vdpa_mdev_mem_map. */
		if (vdev->mem != NULL)
			fail("failed map left a table");
		check_empty("after a failed map");
		free(vdev);
		return 0;
	}
	if (vdev->mem != mem || vdev->nr_mapped != n)
		fail("map succeeded without every region");
	end = vdpa_mdev_mem_end(mem);
	room = VDPA_MDEV_PRIVATE_LEN(vdev->nr_vq) + 4096;
	if (end > UINT64_MAX - room + 1 || (n > 0 && end == 0))
		fail("no room for the private pages above the front end's memory");
	for (i = 0; i < n; i++) {
		r = &mem->regions[i];
		if (r->guest_phys_addr + r->size > end)
			fail("a region ends above vdpa_mdev_mem_end()");
		for (a = 0; a < nr_as; a++)
			if (sim_iova_lookup(&as[a], r->guest_phys_addr, r->size,
					RTE_VIRTIO_MDEV_DMA_RW) !=
					(void *)(uintptr_t)r->host_user_addr)
				fail("a region is not mapped where it should");
	}
	while (n > 0 && f.left > 0) {
		r = &mem->regions[fz_u8(&f) % n];
		hva = r->host_user_addr + (uint64_t)(int64_t)(int32_t)fz_u32(&f);
		len = fz_u32(&f);
		if (vdpa_mdev_hva_to_gpa(mem, hva, len, &gpa) != 0 || len == 0)
			continue;
		if (sim_iova_wraps(gpa, len) || gpa + len > end)
			fail("translation runs above vdpa_mdev_mem_end()");
		if (!sim_iova_span_ok(&as[0], gpa, len, RTE_VIRTIO_MDEV_DMA_RW))
			fail("translation to unmapped guest memory");
		if (sim_iova_piece(&as[0], gpa, len, &len) !=
				(uint8_t *)(uintptr_t)hva)
			fail("translation to the wrong guest address");
	}
	vdpa_mdev_mem_unmap(vdev);
	if (vdev->mem != NULL || vdev->nr_mapped != 0)
		fail("unmap left a table");
	check_empty("after unmap");
	free(vdev);
	return 0;
}
