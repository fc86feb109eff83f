/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/* Helpers shared by the device case files (see conf_common.h). */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_byteorder.h>

#include "conf_common.h"

/* ---------------------------------------------------------------- */
/* Small helpers                                                      */
/* ---------------------------------------------------------------- */

uint64_t
offered(struct rte_mdev_device *dev)
{
	return dev->ops->get_features(dev);
}

bool
has_mdev_feature(struct rte_mdev_device *dev, unsigned int bit)
{
	return (dev->mdev_features & MDEV_FEAT(bit)) != 0;
}

void
dev_reset(struct rte_mdev_device *dev)
{
	dev->ops->set_status(dev, 0);
}

uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
sleep_ms(unsigned int ms)
{
	usleep(ms * 1000u);
}

/*
 * ACKNOWLEDGE, DRIVER, set_features, FEATURES_OK, read back: the
 * driver's half of feature negotiation, from a reset device.
 */
int
negotiate(struct rte_mdev_device *dev, uint64_t features,
	struct conf_result *res, int line)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	uint8_t status;
	int rc;

	ops->set_status(dev, 0);
	ops->set_status(dev, S_ACK);
	ops->set_status(dev, S_ACK | S_DRIVER);
	rc = ops->set_features(dev, features);
	if (rc != 0) {
		conf_fail(res, line, "set_features(0x%" PRIx64
			") in status DRIVER returned %d (%s)", features, rc,
			conf_errname(rc));
		return -1;
	}
	ops->set_status(dev, S_NEGOTIATED);
	status = ops->get_status(dev);
	if (status != S_NEGOTIATED) {
		conf_fail(res, line, "after FEATURES_OK with features 0x%"
			PRIx64 " status reads 0x%02x, expected 0x%02x",
			features, status, S_NEGOTIATED);
		return -1;
	}
	return 0;
}

static uint16_t
config_le16(struct rte_mdev_device *dev, unsigned int offset)
{
	uint16_t v = 0;

	dev->ops->get_config(dev, offset, &v, sizeof(v));
	return rte_le_to_cpu_16(v);
}

/* Queue pairs the device has (max_virtqueue_pairs with MQ, else 1). */
unsigned int
max_pairs(struct rte_mdev_device *dev)
{
	unsigned int off = offsetof(struct virtio_net_config,
			max_virtqueue_pairs);
	unsigned int pairs = 1;

	if ((offered(dev) & FEAT(VIRTIO_NET_F_MQ)) &&
			dev->ops->get_config_size(dev) >= off + 2) {
		pairs = config_le16(dev, off);
		if (pairs == 0)
			pairs = 1;
	}
	return pairs;
}

/*
 * Queue count of the device: the rx/tx pairs and the control queue.
 * The ops have no query for it, so it is derived from what is offered;
 * any qid >= this is out of range under every reading of the contract.
 */
unsigned int
num_queues(struct rte_mdev_device *dev)
{
	return 2 * max_pairs(dev) +
		((offered(dev) & FEAT(VIRTIO_NET_F_CTRL_VQ)) ? 1 : 0);
}

/* The ring size cases use: 256, or less when the device can't. */
unsigned int
test_num(struct rte_mdev_device *dev)
{
	return RTE_MIN(256u, (unsigned int)dev->ops->get_vq_num_max(dev));
}

uint32_t
ring_align(struct rte_mdev_device *dev)
{
	uint32_t align = dev->ops->get_vq_align(dev);

	/* 64 keeps every area aligned for any sane device; a bad value
	 * is reported by the vq_align case, not here.
	 */
	if (align < 64 || !rte_is_power_of_2(align))
		align = 64;
	return align;
}
/* ---------------------------------------------------------------- */
/* Memory the device is given: an arena, mapped with dma_map          */
/* ---------------------------------------------------------------- */


int
arena_init(struct arena *a, size_t size)
{
	memset(a, 0, sizeof(*a));
	a->size = RTE_ALIGN_CEIL(size, PAGE_SZ);
	a->base = aligned_alloc(PAGE_SZ, a->size);
	if (a->base == NULL)
		return -ENOMEM;
	memset(a->base, 0, a->size);
	/* The PMD's convention: IOVA == process virtual address. */
	a->iova_base = (uintptr_t)a->base;
	return 0;
}

void *
arena_take(struct arena *a, size_t len, size_t align)
{
	size_t off = RTE_ALIGN_CEIL(a->used, align);

	if (off + len > a->size)
		return NULL;
	a->used = off + len;
	return a->base + off;
}

uint64_t
arena_iova(const struct arena *a, const void *p)
{
	return a->iova_base + (uint64_t)((const uint8_t *)p - a->base);
}

int
arena_map_range(struct rte_mdev_device *dev, struct arena *a,
	size_t off, size_t len)
{
	uint64_t iova = a->iova_base + off;
	int rc;

	if (a->nmaps == ARENA_MAX_MAPS)
		return -ENOSPC;
	rc = dev->ops->dma_map(dev, 0, iova, len, a->base + off,
			RTE_VIRTIO_MDEV_DMA_RW);
	if (rc == 0) {
		a->maps[a->nmaps].iova = iova;
		a->maps[a->nmaps].size = len;
		a->nmaps++;
	}
	return rc;
}

int
arena_map(struct rte_mdev_device *dev, struct arena *a)
{
	return arena_map_range(dev, a, 0, a->size);
}

/* Reset first: the device must not touch the memory once it is freed. */
void
arena_fini(struct rte_mdev_device *dev, struct arena *a)
{
	unsigned int i;

	dev_reset(dev);
	for (i = 0; i < a->nmaps; i++)
		dev->ops->dma_unmap(dev, 0, a->maps[i].iova, a->maps[i].size);
	a->nmaps = 0;
	free(a->base);
	a->base = NULL;
}

size_t
arena_size_for(struct rte_mdev_device *dev, unsigned int nrings,
	unsigned int num, size_t extra)
{
	uint32_t align = ring_align(dev);

	return nrings * ((size_t)vring_size(num, align) + align) + extra +
		PAGE_SZ;
}

/* A split ring in the arena, laid out with the uapi vring helpers. */
int
vring_take(struct rte_mdev_device *dev, struct arena *a, struct vring *vr,
	unsigned int num)
{
	uint32_t align = ring_align(dev);
	void *p = arena_take(a, vring_size(num, align), align);

	if (p == NULL)
		return -ENOMEM;
	vring_init(vr, num, p, align);
	return 0;
}

/* set_vq_num and set_vq_address for a ring of the arena. */
int
vq_program(struct rte_mdev_device *dev, uint16_t qid, const struct arena *a,
	const struct vring *vr)
{
	int rc;

	rc = dev->ops->set_vq_num(dev, qid, vr->num);
	if (rc != 0)
		return rc;
	return dev->ops->set_vq_address(dev, qid, arena_iova(a, vr->desc),
			arena_iova(a, vr->avail), arena_iova(a, vr->used));
}

/*
 * One ring of 64 descriptors in a mapped arena of its own; with ready,
 * programmed as queue 0 and enabled.
 */
int
ring64_setup(struct rte_mdev_device *dev, struct arena *a, struct vring *vr,
	bool ready, struct conf_result *res, int line)
{
	int rc;

	if (arena_init(a, arena_size_for(dev, 1, 64, 0)) != 0 ||
			vring_take(dev, a, vr, 64) != 0) {
		conf_fail(res, line, "out of memory");
		return -1;
	}
	rc = arena_map(dev, a);
	if (rc != 0) {
		conf_fail(res, line, "dma_map of a 64-entry ring: %d (%s)",
			rc, conf_errname(rc));
		return -1;
	}
	if (!ready)
		return 0;
	rc = vq_program(dev, 0, a, vr);
	if (rc == 0)
		rc = dev->ops->set_vq_ready(dev, 0, true);
	if (rc != 0) {
		conf_fail(res, line, "programming and enabling queue 0: %d "
			"(%s)", rc, conf_errname(rc));
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------- */
/* Callbacks                                                          */
/* ---------------------------------------------------------------- */

struct cb_counter cb_rx, cb_tx, cb_cfg;

void
cb_count(void *arg)
{
	struct cb_counter *c = arg;

	__atomic_fetch_add(&c->calls, 1, __ATOMIC_RELAXED);
}

uint32_t
cb_calls(struct cb_counter *c)
{
	return __atomic_load_n(&c->calls, __ATOMIC_RELAXED);
}

void
cb_clear(struct cb_counter *c)
{
	__atomic_store_n(&c->calls, 0, __ATOMIC_RELAXED);
}

bool
wait_calls(struct cb_counter *c, unsigned int ms)
{
	uint64_t end = now_ms() + ms;

	while (cb_calls(c) == 0) {
		if (now_ms() > end)
			return false;
		sleep_ms(1);
	}
	return true;
}
bool
wait_status(struct rte_mdev_device *dev, uint8_t bit, unsigned int ms)
{
	uint64_t end = now_ms() + ms;

	while (!(dev->ops->get_status(dev) & bit)) {
		if (now_ms() > end)
			return false;
		sleep_ms(1);
	}
	return true;
}

/* The counters in words (a static buffer: one use per message). */
const char *
stats_fmt(const struct rte_virtio_mdev_vq_stats *s)
{
	static char buf[160];

	snprintf(buf, sizeof(buf), "received %" PRIu64 " completed %" PRIu64
		" bad_desc %" PRIu64 " exceed_chain %" PRIu64 " invalid_buf %"
		PRIu64 " completion_err %" PRIu64, s->received_descs,
		s->completed_descs, s->bad_desc_errors, s->exceed_max_chain,
		s->invalid_buffer, s->completion_errors);
	return buf;
}

const char *
stats_check(const struct rte_virtio_mdev_vq_stats *s, uint64_t recv,
	uint64_t done)
{
	static char why[240];

	if (s->received_descs == recv && s->completed_descs == done &&
			s->bad_desc_errors == 0 && s->exceed_max_chain == 0 &&
			s->invalid_buffer == 0 && s->completion_errors == 0)
		return NULL;
	snprintf(why, sizeof(why), "%s, expected %" PRIu64 "/%" PRIu64
		" and no errors", stats_fmt(s), recv, done);
	return why;
}

bool
wait_stats(struct rte_mdev_device *dev, uint16_t qid, uint64_t recv,
	uint64_t done, struct rte_virtio_mdev_vq_stats *s)
{
	uint64_t end = now_ms() + WAIT_MS;

	do {
		if (dev->ops->get_vq_stats(dev, qid, s) == 0 &&
				stats_check(s, recv, done) == NULL)
			return true;
		sleep_ms(1);
	} while (now_ms() <= end);
	return false;
}
