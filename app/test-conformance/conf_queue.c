/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * Queue setup and state: sizes, alignment, ready/not ready, addresses
 * in and out of mapped memory, the state round trip, packed ring sizes
 * and state.
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
/* Queue setup                                                        */
/* ---------------------------------------------------------------- */

static void
case_vq_num_max(struct rte_mdev_device *dev, struct conf_result *res)
{
	uint16_t max = dev->ops->get_vq_num_max(dev);

	CONF_CHECK(res, rte_is_power_of_2(max) && max >= 64 && max <= 32768,
		"get_vq_num_max %u is not a power of two in 64..32768", max);
out:
	return;
}

static void
case_vq_align(struct rte_mdev_device *dev, struct conf_result *res)
{
	uint32_t align = dev->ops->get_vq_align(dev);

	CONF_CHECK(res, align != 0 && rte_is_power_of_2(align),
		"get_vq_align %u is not a power of two", align);
	if (align > PAGE_SZ)
		conf_note(res, "get_vq_align %u exceeds a 4 KiB page", align);
out:
	return;
}

static void
case_set_vq_num(struct rte_mdev_device *dev, struct conf_result *res)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	uint32_t max = ops->get_vq_num_max(dev);

	/* Split rings (RING_PACKED not negotiated): powers of two only. */
	if (negotiate(dev, FEAT(VIRTIO_F_VERSION_1), res, __LINE__) != 0)
		goto out;
	CONF_CHECK_RC(res, ops->set_vq_num(dev, 0, 0), -EINVAL);
	CONF_CHECK_RC(res, ops->set_vq_num(dev, 0, 100), -EINVAL);
	CONF_CHECK_RC(res, ops->set_vq_num(dev, 0, 3), -EINVAL);
	CONF_CHECK_RC(res, ops->set_vq_num(dev, 0, max + 1), -EINVAL);
	CONF_CHECK_RC(res, ops->set_vq_num(dev, 0, max * 2), -EINVAL);
	CONF_CHECK_RC(res, ops->set_vq_num(dev, 0, 65536), -EINVAL);
	CONF_CHECK_RC(res, ops->set_vq_num(dev, 0, UINT32_MAX), -EINVAL);
	CONF_CHECK_RC(res, ops->set_vq_num(dev, 0, max), 0);
	CONF_CHECK_RC(res, ops->set_vq_num(dev, 0, 1), 0);
	CONF_CHECK_RC(res, ops->set_vq_num(dev, 1, 64), 0);
out:
	dev_reset(dev);
}

static void
case_vq_busy_while_ready(struct rte_mdev_device *dev, struct conf_result *res)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	struct rte_virtio_mdev_vq_state st = { .split = { 0 } };
	struct arena a = { .base = NULL };
	struct vring vr;

	if (negotiate(dev, FEAT(VIRTIO_F_VERSION_1), res, __LINE__) != 0)
		goto out;
	if (ring64_setup(dev, &a, &vr, true, res, __LINE__) != 0)
		goto out;
	CONF_CHECK(res, ops->get_vq_ready(dev, 0), "get_vq_ready false "
		"after set_vq_ready(true) returned 0");
	CONF_CHECK_RC(res, ops->set_vq_address(dev, 0, arena_iova(&a, vr.desc),
		arena_iova(&a, vr.avail), arena_iova(&a, vr.used)), -EBUSY);
	CONF_CHECK_RC(res, ops->set_vq_num(dev, 0, 64), -EBUSY);
	CONF_CHECK_RC(res, ops->set_vq_num(dev, 0, 32), -EBUSY);
	CONF_CHECK_RC(res, ops->set_vq_state(dev, 0, &st), -EBUSY);
	CONF_CHECK_RC(res, ops->get_vq_state(dev, 0, &st), -EBUSY);
	CONF_CHECK_RC(res, ops->set_vq_ready(dev, 0, false), 0);
	CONF_CHECK(res, !ops->get_vq_ready(dev, 0),
		"get_vq_ready true after set_vq_ready(false)");
	CONF_CHECK_RC(res, ops->set_vq_num(dev, 0, 32), 0);
out:
	arena_fini(dev, &a);
}

static void
case_vq_ready_unset(struct rte_mdev_device *dev, struct conf_result *res)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;

	if (negotiate(dev, FEAT(VIRTIO_F_VERSION_1), res, __LINE__) != 0)
		goto out;
	CONF_CHECK_RC(res, ops->set_vq_ready(dev, 0, true), -EINVAL);
	CONF_CHECK(res, !ops->get_vq_ready(dev, 0),
		"queue ready after a refused set_vq_ready");
	CONF_CHECK_RC(res, ops->set_vq_num(dev, 0, 64), 0);
	CONF_CHECK_RC(res, ops->set_vq_ready(dev, 0, true), -EINVAL);
	CONF_CHECK(res, !ops->get_vq_ready(dev, 0),
		"queue ready with a size but no address");
out:
	dev_reset(dev);
}

/*
 * Enabling must fail with -EFAULT and leave the queue not ready: true,
 * or false with the failure recorded at "line".
 */
static bool
refused_efault(struct rte_mdev_device *dev, struct conf_result *res,
	const char *what, int line)
{
	int rc = dev->ops->set_vq_ready(dev, 0, true);

	if (rc != -EFAULT) {
		conf_fail(res, line, "set_vq_ready with %s returned %d (%s), "
			"expected -EFAULT", what, rc, conf_errname(rc));
		return false;
	}
	if (dev->ops->get_vq_ready(dev, 0)) {
		conf_fail(res, line, "queue ready with %s", what);
		return false;
	}
	return true;
}

static void
case_vq_ready_unmapped(struct rte_mdev_device *dev, struct conf_result *res)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	struct arena a = { .base = NULL };
	struct vring vr;
	uint64_t desc, end;

	if (negotiate(dev, FEAT(VIRTIO_F_VERSION_1), res, __LINE__) != 0)
		goto out;
	CONF_CHECK(res, arena_init(&a, 4 * PAGE_SZ) == 0,
		"out of memory");
	/* Rings in a page of their own, nothing mapped yet. */
	vring_init(&vr, 64, a.base, PAGE_SZ);
	CONF_CHECK(res, vring_size(64, PAGE_SZ) <= 3 * PAGE_SZ,
		"ring layout does not fit");
	CONF_CHECK_RC(res, vq_program(dev, 0, &a, &vr), 0);
	if (!refused_efault(dev, res, "no memory mapped at all",
			__LINE__))
		goto out;

	/* Only the first page (descriptors, avail) mapped: used outside. */
	CONF_CHECK_RC(res, arena_map_range(dev, &a, 0, PAGE_SZ), 0);
	if (!refused_efault(dev, res, "the used ring outside mapped memory",
			__LINE__))
		goto out;

	/* Descriptor table running off the end of the mapping. */
	end = arena_iova(&a, a.base + PAGE_SZ);
	desc = end - 16 * 8;
	CONF_CHECK_RC(res, ops->set_vq_address(dev, 0, desc,
		arena_iova(&a, vr.avail), arena_iova(&a, vr.avail) + 512), 0);
	if (!refused_efault(dev, res, "a 64-entry descriptor table crossing the mapping end",
			__LINE__))
		goto out;

	/* Everything mapped: the same rings are accepted. */
	CONF_CHECK_RC(res, arena_map_range(dev, &a, PAGE_SZ, 3 * PAGE_SZ), 0);
	CONF_CHECK_RC(res, vq_program(dev, 0, &a, &vr), 0);
	CONF_CHECK_RC(res, ops->set_vq_ready(dev, 0, true), 0);
	CONF_CHECK(res, ops->get_vq_ready(dev, 0), "get_vq_ready false");
out:
	arena_fini(dev, &a);
}

static void
case_vq_ready_mapped(struct rte_mdev_device *dev, struct conf_result *res)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	unsigned int num = test_num(dev);
	struct arena a = { .base = NULL };
	struct vring rx, tx;

	if (negotiate(dev, FEAT(VIRTIO_F_VERSION_1), res, __LINE__) != 0)
		goto out;
	CONF_CHECK(res, arena_init(&a, arena_size_for(dev, 2, num, 0)) == 0 &&
		vring_take(dev, &a, &rx, num) == 0 &&
		vring_take(dev, &a, &tx, num) == 0, "out of memory");
	CONF_CHECK_RC(res, arena_map(dev, &a), 0);
	CONF_CHECK_RC(res, vq_program(dev, 0, &a, &rx), 0);
	CONF_CHECK_RC(res, vq_program(dev, 1, &a, &tx), 0);
	CONF_CHECK_RC(res, ops->set_vq_ready(dev, 0, true), 0);
	CONF_CHECK_RC(res, ops->set_vq_ready(dev, 1, true), 0);
	CONF_CHECK(res, ops->get_vq_ready(dev, 0) && ops->get_vq_ready(dev, 1),
		"rx/tx not both ready after set_vq_ready returned 0");
	ops->set_status(dev, S_RUNNING);
	CONF_CHECK(res, ops->get_status(dev) == S_RUNNING,
		"DRIVER_OK with two empty ready queues: status 0x%02x",
		ops->get_status(dev));
	/* Disable while running, then enable again where it stopped. */
	CONF_CHECK_RC(res, ops->set_vq_ready(dev, 1, false), 0);
	CONF_CHECK(res, !ops->get_vq_ready(dev, 1), "tx still ready");
out:
	arena_fini(dev, &a);
}

/* Rings whose descriptor table spans two adjacent mappings. */
static void
case_vq_ready_two_mappings(struct rte_mdev_device *dev,
	struct conf_result *res)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	unsigned int num = test_num(dev);
	struct arena a = { .base = NULL };
	struct vring vr;

	if (negotiate(dev, FEAT(VIRTIO_F_VERSION_1), res, __LINE__) != 0)
		goto out;
	CONF_CHECK(res, arena_init(&a, 4 * PAGE_SZ) == 0, "out of memory");
	/* Half the descriptor table on each side of the cut. */
	vring_init(&vr, num, a.base + PAGE_SZ - 8 * num, PAGE_SZ);
	CONF_CHECK_RC(res, arena_map_range(dev, &a, 0, PAGE_SZ), 0);
	CONF_CHECK_RC(res, arena_map_range(dev, &a, PAGE_SZ, 3 * PAGE_SZ), 0);
	CONF_CHECK_RC(res, vq_program(dev, 0, &a, &vr), 0);
	CONF_CHECK_RC(res, ops->set_vq_ready(dev, 0, true), 0);
out:
	arena_fini(dev, &a);
}

/* ---------------------------------------------------------------- */
/* Queue state                                                        */
/* ---------------------------------------------------------------- */

static void
case_vq_state_roundtrip(struct rte_mdev_device *dev, struct conf_result *res)
{
	static const uint16_t positions[] = { 37, 65530 };
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	struct rte_virtio_mdev_vq_state st;
	struct arena a = { .base = NULL };
	unsigned int i, q;
	struct vring vr[2];

	for (i = 0; i < RTE_DIM(positions); i++) {
		if (negotiate(dev, FEAT(VIRTIO_F_VERSION_1), res, __LINE__) != 0)
			goto out;
		CONF_CHECK(res, arena_init(&a,
			arena_size_for(dev, 2, 64, 0)) == 0, "out of memory");
		for (q = 0; q < 2; q++) {
			CONF_CHECK(res, vring_take(dev, &a, &vr[q], 64) == 0,
				"out of memory");
			/* An empty ring at that position: avail == used. */
			vr[q].avail->idx = rte_cpu_to_le_16(positions[i]);
			vr[q].used->idx = rte_cpu_to_le_16(positions[i]);
		}
		CONF_CHECK_RC(res, arena_map(dev, &a), 0);
		for (q = 0; q < 2; q++) {
			memset(&st, 0, sizeof(st));
			st.split.avail_index = positions[i];
			CONF_CHECK_RC(res, vq_program(dev, q, &a, &vr[q]), 0);
			CONF_CHECK_RC(res, ops->set_vq_state(dev, q, &st), 0);
			st.split.avail_index = 0;
			CONF_CHECK_RC(res, ops->get_vq_state(dev, q, &st), 0);
			CONF_CHECK(res, st.split.avail_index == positions[i],
				"q%u: get_vq_state %u before enable, set %u",
				q, st.split.avail_index, positions[i]);
			CONF_CHECK_RC(res, ops->set_vq_ready(dev, q, true), 0);
		}
		ops->set_status(dev, S_RUNNING);
		ops->kick_vq(dev, 0);
		ops->kick_vq(dev, 1);
		sleep_ms(20);
		CONF_CHECK(res, ops->get_status(dev) == S_RUNNING,
			"status 0x%02x while serving empty rings at %u",
			ops->get_status(dev), positions[i]);
		for (q = 0; q < 2; q++) {
			CONF_CHECK_RC(res, ops->set_vq_ready(dev, q, false), 0);
			memset(&st, 0, sizeof(st));
			CONF_CHECK_RC(res, ops->get_vq_state(dev, q, &st), 0);
			CONF_CHECK(res, st.split.avail_index == positions[i],
				"q%u: get_vq_state avail_index %u after "
				"enable/disable, set %u", q,
				st.split.avail_index, positions[i]);
		}
		arena_fini(dev, &a);
	}
out:
	arena_fini(dev, &a);
}

static void
case_vq_state_busy(struct rte_mdev_device *dev, struct conf_result *res)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	struct rte_virtio_mdev_vq_state st = { .split = { 0 } };
	struct arena a = { .base = NULL };
	struct vring vr;

	if (negotiate(dev, FEAT(VIRTIO_F_VERSION_1), res, __LINE__) != 0)
		goto out;
	if (ring64_setup(dev, &a, &vr, true, res, __LINE__) != 0)
		goto out;
	st.split.avail_index = 9;
	CONF_CHECK_RC(res, ops->set_vq_state(dev, 0, &st), -EBUSY);
	ops->set_status(dev, S_RUNNING);
	CONF_CHECK_RC(res, ops->set_vq_state(dev, 0, &st), -EBUSY);
	CONF_CHECK_RC(res, ops->get_vq_state(dev, 0, &st), -EBUSY);
	CONF_CHECK_RC(res, ops->set_vq_ready(dev, 0, false), 0);
	CONF_CHECK_RC(res, ops->get_vq_state(dev, 0, &st), 0);
	CONF_CHECK(res, st.split.avail_index == 0, "a refused set_vq_state "
		"moved the queue to %u", st.split.avail_index);
out:
	arena_fini(dev, &a);
}

/* Packed rings: any size, state with wrap counters (when offered). */
static void
case_vq_packed(struct rte_mdev_device *dev, struct conf_result *res)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	const uint64_t f = FEAT(VIRTIO_F_VERSION_1) |
		FEAT(VIRTIO_F_RING_PACKED);
	struct rte_virtio_mdev_vq_state st, got;
	struct arena a = { .base = NULL };
	struct vring_packed_desc *desc;
	struct vring_packed_desc_event *drv, *devev;
	/* No power of two, and within the device's maximum. */
	const unsigned int num = RTE_MIN(100u,
		(unsigned int)ops->get_vq_num_max(dev) - 1);

	if (!(offered(dev) & FEAT(VIRTIO_F_RING_PACKED))) {
		conf_skip(res, "VIRTIO_F_RING_PACKED not offered");
		return;
	}
	if (negotiate(dev, f, res, __LINE__) != 0)
		goto out;
	CONF_CHECK_RC(res, ops->set_vq_num(dev, 0, 0), -EINVAL);
	CONF_CHECK_RC(res, ops->set_vq_num(dev, 0,
		(uint32_t)ops->get_vq_num_max(dev) + 1), -EINVAL);
	/* Any size from 1 to the maximum, not only powers of two. */
	CONF_CHECK_RC(res, ops->set_vq_num(dev, 0, 1), 0);
	CONF_CHECK_RC(res, ops->set_vq_num(dev, 0, 3), 0);
	CONF_CHECK_RC(res, ops->set_vq_num(dev, 0,
		(uint32_t)ops->get_vq_num_max(dev) - 1), 0);
	CONF_CHECK_RC(res, ops->set_vq_num(dev, 0, ops->get_vq_num_max(dev)),
		0);
	CONF_CHECK_RC(res, ops->set_vq_num(dev, 0, num), 0);

	CONF_CHECK(res, arena_init(&a, 2 * PAGE_SZ) == 0, "out of memory");
	desc = arena_take(&a, num * sizeof(*desc), 16);
	drv = arena_take(&a, sizeof(*drv), 4);
	devev = arena_take(&a, sizeof(*devev), 4);
	CONF_CHECK(res, desc && drv && devev, "out of memory");
	CONF_CHECK_RC(res, arena_map(dev, &a), 0);
	CONF_CHECK_RC(res, ops->set_vq_address(dev, 0, arena_iova(&a, desc),
		arena_iova(&a, drv), arena_iova(&a, devev)), 0);

	memset(&st, 0, sizeof(st));
	st.packed.last_avail_idx = num;		/* beyond the queue size */
	st.packed.last_avail_counter = 1;
	st.packed.last_used_idx = 0;
	st.packed.last_used_counter = 1;
	CONF_CHECK_RC(res, ops->set_vq_state(dev, 0, &st), -EINVAL);
	st.packed.last_avail_idx = 7;
	st.packed.last_avail_counter = 0;
	st.packed.last_used_idx = 7;
	st.packed.last_used_counter = 0;
	CONF_CHECK_RC(res, ops->set_vq_state(dev, 0, &st), 0);
	/* All-zero descriptors are unavailable for either wrap counter. */
	CONF_CHECK_RC(res, ops->set_vq_ready(dev, 0, true), 0);
	ops->set_status(dev, S_RUNNING);
	ops->kick_vq(dev, 0);
	sleep_ms(20);
	CONF_CHECK_RC(res, ops->set_vq_ready(dev, 0, false), 0);
	memset(&got, 0, sizeof(got));
	CONF_CHECK_RC(res, ops->get_vq_state(dev, 0, &got), 0);
	CONF_CHECK(res, got.packed.last_avail_idx == 7 &&
		got.packed.last_avail_counter == 0 &&
		got.packed.last_used_idx == 7 &&
		got.packed.last_used_counter == 0,
		"packed state read back %u/%u %u/%u, set 7/0 7/0",
		got.packed.last_avail_idx, got.packed.last_avail_counter,
		got.packed.last_used_idx, got.packed.last_used_counter);
	/* Each half and each wrap counter is kept on its own. */
	st.packed.last_avail_idx = 3;
	st.packed.last_avail_counter = 1;
	st.packed.last_used_idx = num - 1;
	st.packed.last_used_counter = 0;
	CONF_CHECK_RC(res, ops->set_vq_state(dev, 0, &st), 0);
	CONF_CHECK_RC(res, ops->set_vq_ready(dev, 0, true), 0);
	ops->kick_vq(dev, 0);
	sleep_ms(20);
	CONF_CHECK_RC(res, ops->set_vq_ready(dev, 0, false), 0);
	memset(&got, 0, sizeof(got));
	CONF_CHECK_RC(res, ops->get_vq_state(dev, 0, &got), 0);
	CONF_CHECK(res, got.packed.last_avail_idx == 3 &&
		got.packed.last_avail_counter == 1 &&
		got.packed.last_used_idx == num - 1 &&
		got.packed.last_used_counter == 0,
		"packed state read back %u/%u %u/%u, set 3/1 %u/0",
		got.packed.last_avail_idx, got.packed.last_avail_counter,
		got.packed.last_used_idx, got.packed.last_used_counter,
		num - 1);
	CONF_CHECK(res, !(ops->get_status(dev) & VIRTIO_CONFIG_S_NEEDS_RESET),
		"an empty packed ring (all descriptors zero) made the device "
		"need a reset");
out:
	arena_fini(dev, &a);
}

const struct conf_case conf_queue_cases[] = {
	CASE(vq_num_max),
	CASE(vq_align),
	CASE(set_vq_num),
	CASE(vq_busy_while_ready),
	CASE(vq_ready_unset),
	CASE(vq_ready_unmapped),
	CASE(vq_ready_mapped),
	CASE(vq_ready_two_mappings),
	CASE(vq_state_roundtrip),
	CASE(vq_state_busy),
	CASE(vq_packed),
};

const unsigned int conf_queue_cases_count = RTE_DIM(conf_queue_cases);
