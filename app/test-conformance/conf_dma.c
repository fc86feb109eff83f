/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * DMA mappings and address spaces: dma_map/dma_unmap errors, mappings
 * surviving a reset, many regions, ASID ops and isolation.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_pause.h>

#include "conf_ring.h"

/* ---------------------------------------------------------------- */
/* DMA mappings                                                       */
/* ---------------------------------------------------------------- */

static void
case_dma_map_errors(struct rte_mdev_device *dev, struct conf_result *res)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	const uint64_t b = DMA_TEST_IOVA, rw = RTE_VIRTIO_MDEV_DMA_RW;
	uint8_t *buf = aligned_alloc(PAGE_SZ, 4 * PAGE_SZ);
	bool m1 = false, m2 = false;

	CONF_CHECK(res, buf != NULL, "out of memory");
	CONF_CHECK_RC(res, ops->dma_map(dev, 0, b, 2 * PAGE_SZ, buf, rw), 0);
	m1 = true;
	CONF_CHECK_RC(res, ops->dma_map(dev, 0, b, 2 * PAGE_SZ, buf, rw), -EEXIST);
	CONF_CHECK_RC(res, ops->dma_map(dev, 0, b + PAGE_SZ, 2 * PAGE_SZ,
		buf, rw), -EEXIST);
	CONF_CHECK_RC(res, ops->dma_map(dev, 0, b - PAGE_SZ, 2 * PAGE_SZ,
		buf, rw), -EEXIST);
	CONF_CHECK_RC(res, ops->dma_map(dev, 0, b - PAGE_SZ, 4 * PAGE_SZ,
		buf, rw), -EEXIST);
	CONF_CHECK_RC(res, ops->dma_map(dev, 0, b + PAGE_SZ, 1, buf, rw),
		-EEXIST);
	CONF_CHECK_RC(res, ops->dma_map(dev, 0, b + 2 * PAGE_SZ - 1, 2,
		buf, rw), -EEXIST);
	/* Adjacent ranges do not overlap. */
	CONF_CHECK_RC(res, ops->dma_map(dev, 0, b + 2 * PAGE_SZ, PAGE_SZ,
		buf + 2 * PAGE_SZ, rw), 0);
	m2 = true;
	CONF_CHECK_RC(res, ops->dma_map(dev, 0, b + 0x100000, 0, buf, rw),
		-EINVAL);
	CONF_CHECK_RC(res, ops->dma_map(dev, 0, UINT64_MAX - PAGE_SZ + 1,
		2 * PAGE_SZ, buf, rw), -EINVAL);
	CONF_CHECK_RC(res, ops->dma_map(dev, 0, UINT64_MAX, 2, buf, rw), -EINVAL);
out:
	if (m2)
		ops->dma_unmap(dev, 0, b + 2 * PAGE_SZ, PAGE_SZ);
	if (m1)
		ops->dma_unmap(dev, 0, b, 2 * PAGE_SZ);
	free(buf);
}

static void
case_dma_unmap(struct rte_mdev_device *dev, struct conf_result *res)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	const uint64_t b = DMA_TEST_IOVA, rw = RTE_VIRTIO_MDEV_DMA_RW;
	uint8_t *buf = aligned_alloc(PAGE_SZ, 2 * PAGE_SZ);
	bool mapped = false;

	CONF_CHECK(res, buf != NULL, "out of memory");
	CONF_CHECK_RC(res, ops->dma_unmap(dev, 0, b, 2 * PAGE_SZ), -ENOENT);
	CONF_CHECK_RC(res, ops->dma_map(dev, 0, b, 2 * PAGE_SZ, buf, rw), 0);
	mapped = true;
	/* Only the exact iova and size unmap. */
	CONF_CHECK_RC(res, ops->dma_unmap(dev, 0, b, PAGE_SZ), -ENOENT);
	CONF_CHECK_RC(res, ops->dma_unmap(dev, 0, b + PAGE_SZ, PAGE_SZ), -ENOENT);
	CONF_CHECK_RC(res, ops->dma_unmap(dev, 0, b, 4 * PAGE_SZ), -ENOENT);
	CONF_CHECK_RC(res, ops->dma_unmap(dev, 0, b, 2 * PAGE_SZ), 0);
	mapped = false;
	CONF_CHECK_RC(res, ops->dma_unmap(dev, 0, b, 2 * PAGE_SZ), -ENOENT);
	CONF_CHECK_RC(res, ops->dma_map(dev, 0, b, 2 * PAGE_SZ, buf, rw), 0);
	mapped = true;
	CONF_CHECK_RC(res, ops->dma_unmap(dev, 0, b, 2 * PAGE_SZ), 0);
	mapped = false;
out:
	if (mapped)
		ops->dma_unmap(dev, 0, b, 2 * PAGE_SZ);
	free(buf);
}

static void
case_dma_survives_reset(struct rte_mdev_device *dev, struct conf_result *res)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	struct arena a = { .base = NULL };
	struct vring vr;

	if (ring64_setup(dev, &a, &vr, false, res, __LINE__) != 0)
		goto out;
	if (negotiate(dev, FEAT(VIRTIO_F_VERSION_1), res, __LINE__) != 0)
		goto out;
	ops->set_status(dev, S_RUNNING);
	dev_reset(dev);
	/* Still there: mapping it again overlaps ... */
	CONF_CHECK_RC(res, ops->dma_map(dev, 0, a.iova_base, a.size, a.base,
		RTE_VIRTIO_MDEV_DMA_RW), -EEXIST);
	/* ... and the device still translates it. */
	if (negotiate(dev, FEAT(VIRTIO_F_VERSION_1), res, __LINE__) != 0)
		goto out;
	CONF_CHECK_RC(res, vq_program(dev, 0, &a, &vr), 0);
	CONF_CHECK_RC(res, ops->set_vq_ready(dev, 0, true), 0);
	dev_reset(dev);
	CONF_CHECK_RC(res, ops->dma_unmap(dev, 0, a.iova_base, a.size), 0);
	a.nmaps = 0;
out:
	arena_fini(dev, &a);
}

/* Many regions: each map succeeds or says -ENOSPC, and all unmap. */
static void
case_dma_map_many(struct rte_mdev_device *dev, struct conf_result *res)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	const unsigned int max = 4096;
	uint8_t *buf = aligned_alloc(PAGE_SZ, PAGE_SZ);
	unsigned int n = 0, i;
	int rc = 0;

	CONF_CHECK(res, buf != NULL, "out of memory");
	for (n = 0; n < max; n++) {
		/* A gap between regions, so that none could be merged. */
		rc = ops->dma_map(dev, 0, DMA_TEST_IOVA + 2ull * n * PAGE_SZ,
				PAGE_SZ, buf, RTE_VIRTIO_MDEV_DMA_RW);
		if (rc != 0)
			break;
	}
	CONF_CHECK(res, rc == 0 || rc == -ENOSPC, "dma_map of region %u: %d "
		"(%s), expected 0 or -ENOSPC", n, rc, conf_errname(rc));
	conf_note(res, "%u regions mapped%s", n,
		rc == -ENOSPC ? ", then -ENOSPC" : " without running out");
out:
	for (i = 0; i < n; i++) {
		rc = ops->dma_unmap(dev, 0, DMA_TEST_IOVA + 2ull * i * PAGE_SZ,
				PAGE_SZ);
		if (rc != 0 && res->verdict != CONF_FAIL)
			conf_fail(res, __LINE__, "dma_unmap of region %u: %d",
				i, rc);
	}
	if (buf != NULL && res->verdict != CONF_FAIL) {
		rc = ops->dma_map(dev, 0, DMA_TEST_IOVA, PAGE_SZ, buf,
				RTE_VIRTIO_MDEV_DMA_RW);
		if (rc != 0)
			conf_fail(res, __LINE__, "dma_map after unmapping "
				"all: %d", rc);
		else
			ops->dma_unmap(dev, 0, DMA_TEST_IOVA, PAGE_SZ);
	}
	free(buf);
}
/* ---------------------------------------------------------------- */
/* Address spaces (RTE_VIRTIO_MDEV_F_ASID)                           */
/* ---------------------------------------------------------------- */

static bool
has_asid(struct rte_mdev_device *dev)
{
	return has_mdev_feature(dev, RTE_VIRTIO_MDEV_F_ASID) &&
		dev->ops->get_as_num(dev) >= 2;
}

/* The ops' error cases; without ASID only address space 0 exists. */
static void
case_asid_ops(struct rte_mdev_device *dev, struct conf_result *res)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	const uint32_t rw = RTE_VIRTIO_MDEV_DMA_RW;
	uint8_t *buf = aligned_alloc(PAGE_SZ, PAGE_SZ);
	const uint64_t b = DMA_TEST_IOVA;
	struct arena a = { .base = NULL };
	uint32_t nas = 1, ngroups, group;
	struct vring vr;
	bool mapped[2] = { false, false };

	CONF_CHECK(res, buf != NULL, "out of memory");
	if (has_mdev_feature(dev, RTE_VIRTIO_MDEV_F_ASID)) {
		nas = ops->get_as_num(dev);
		ngroups = ops->get_group_num(dev);
		CONF_CHECK(res, nas >= 1 && ngroups >= 1, "%u address spaces, "
			"%u groups", nas, ngroups);
		CONF_CHECK(res, ops->get_vq_group(dev, num_queues(dev)) ==
			UINT32_MAX, "a group for qid %u, beyond the queues",
			num_queues(dev));
		CONF_CHECK_RC(res, ops->set_group_asid(dev, ngroups, 0),
			-EINVAL);
		CONF_CHECK_RC(res, ops->set_group_asid(dev, 0, nas), -EINVAL);
	}
	CONF_CHECK_RC(res, ops->dma_map(dev, nas, b, PAGE_SZ, buf, rw),
		-EINVAL);
	if (nas < 2)
		goto out;
	/* The same IOVA in two spaces: two mappings, no overlap. */
	CONF_CHECK_RC(res, ops->dma_map(dev, 0, b, PAGE_SZ, buf, rw), 0);
	mapped[0] = true;
	CONF_CHECK_RC(res, ops->dma_map(dev, 1, b, PAGE_SZ, buf, rw), 0);
	mapped[1] = true;
	CONF_CHECK_RC(res, ops->dma_unmap(dev, 1, b, PAGE_SZ), 0);
	mapped[1] = false;
	CONF_CHECK_RC(res, ops->dma_unmap(dev, 1, b, PAGE_SZ), -ENOENT);
	/* A group whose queue is ready keeps its address space. */
	if (ring64_setup(dev, &a, &vr, true, res, __LINE__) != 0)
		goto out;
	group = ops->get_vq_group(dev, 0);
	CONF_CHECK_RC(res, ops->set_group_asid(dev, group, 1), -EBUSY);
	dev_reset(dev);
out:
	if (mapped[0])
		ops->dma_unmap(dev, 0, b, PAGE_SZ);
	if (mapped[1])
		ops->dma_unmap(dev, 1, b, PAGE_SZ);
	arena_fini(dev, &a);
	free(buf);
}

/*
 * Memory mapped only in another address space is outside every mapping
 * for a data queue: a descriptor there breaks the queue like one that
 * points nowhere, and the memory is not touched.
 */
static void
case_asid_isolation(struct rte_mdev_device *dev, struct conf_result *res)
{
	static uint8_t page[PAGE_SZ] __rte_aligned(PAGE_SZ);
	uint32_t asid;
	unsigned int i;

	if (!has_asid(dev)) {
		conf_skip(res, "one address space (no mdev feature ASID)");
		return;
	}
	asid = dev->ops->get_as_num(dev) - 1;
	memset(page, 0xa5, sizeof(page));
	CONF_CHECK_RC(res, dev->ops->dma_map(dev, asid, DMA_TEST_IOVA,
		PAGE_SZ, page, RTE_VIRTIO_MDEV_DMA_RW), 0);
	bad_tx_unmapped(dev, res);
	CONF_CHECK_RC(res, dev->ops->dma_unmap(dev, asid, DMA_TEST_IOVA,
		PAGE_SZ), 0);
	for (i = 0; i < PAGE_SZ; i++)
		CONF_CHECK(res, page[i] == 0xa5, "byte %u of the page in "
			"address space %u changed", i, asid);
out:
	return;
}

const struct conf_case conf_dma_cases[] = {
	CASE(dma_map_errors),
	CASE(dma_unmap),
	CASE(dma_survives_reset),
	CASE(dma_map_many),
	CASE(asid_ops),
	CASE(asid_isolation),
};

const unsigned int conf_dma_cases_count = RTE_DIM(conf_dma_cases);
