/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * Device cases: each checks one promise of rte_virtio_mdev.h through
 * dev->ops only. A case starts from a reset device, builds whatever rings
 * it needs in memory of its own (malloc, mapped with dma_map) and leaves
 * the device reset with its mappings removed, so cases are independent
 * of each other except "status_new", which must run first.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_net.h>
#include <linux/virtio_ring.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_pause.h>

#include "conformance.h"

#define FEAT(bit) (UINT64_C(1) << (bit))
#define MDEV_FEAT(bit) RTE_VIRTIO_MDEV_FEATURE(bit)

#define S_ACK VIRTIO_CONFIG_S_ACKNOWLEDGE
#define S_DRIVER VIRTIO_CONFIG_S_DRIVER
#define S_FEATURES_OK VIRTIO_CONFIG_S_FEATURES_OK
#define S_DRIVER_OK VIRTIO_CONFIG_S_DRIVER_OK
#define S_NEGOTIATED (S_ACK | S_DRIVER | S_FEATURES_OK)
#define S_RUNNING (S_NEGOTIATED | S_DRIVER_OK)

#define PAGE_SZ 4096u
/* How long a device may take to serve a ring (bounded waits). */
#define WAIT_MS 1000u
/* How long we watch for a callback that must not come. */
#define QUIET_MS 200u
/* With VERSION_1 the net header always has num_buffers (12 bytes). */
#define NET_HDR_LEN sizeof(struct virtio_net_hdr_v1)
#define FRAME_LEN 60u
#define RXBUF_LEN 2048u
/* IOVAs far from anything this process maps, for the dma_map cases. */
#define DMA_TEST_IOVA UINT64_C(0x100000000000)
/* A small IOVA base, so that a dirty log bitmap of it stays small. */
#define LOW_IOVA UINT64_C(0x40000000)

struct conf_options conf_opts = {
	.loopback = true,
};

/* ---------------------------------------------------------------- */
/* Small helpers                                                      */
/* ---------------------------------------------------------------- */

static uint64_t
offered(struct rte_mdev_device *dev)
{
	return dev->ops->get_features(dev);
}

static bool
has_mdev_feature(struct rte_mdev_device *dev, unsigned int bit)
{
	return (dev->mdev_features & MDEV_FEAT(bit)) != 0;
}

static void
dev_reset(struct rte_mdev_device *dev)
{
	dev->ops->set_status(dev, 0);
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
sleep_ms(unsigned int ms)
{
	usleep(ms * 1000u);
}

/*
 * ACKNOWLEDGE, DRIVER, set_features, FEATURES_OK, read back: the
 * driver's half of feature negotiation, from a reset device.
 */
static int
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

#define NEGOTIATE(features) do { \
	if (negotiate(dev, (features), res, __LINE__) != 0) \
		goto out; \
} while (0)

static uint16_t
config_le16(struct rte_mdev_device *dev, unsigned int offset)
{
	uint16_t v = 0;

	dev->ops->get_config(dev, offset, &v, sizeof(v));
	return rte_le_to_cpu_16(v);
}

/* Queue pairs the device has (max_virtqueue_pairs with MQ, else 1). */
static unsigned int
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
static unsigned int
num_queues(struct rte_mdev_device *dev)
{
	return 2 * max_pairs(dev) +
		((offered(dev) & FEAT(VIRTIO_NET_F_CTRL_VQ)) ? 1 : 0);
}

/* The ring size cases use: 256, or less when the device can't. */
static unsigned int
test_num(struct rte_mdev_device *dev)
{
	return RTE_MIN(256u, (unsigned int)dev->ops->get_vq_num_max(dev));
}

static uint32_t
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

#define ARENA_MAX_MAPS 4

struct arena {
	uint8_t *base;
	size_t size;
	size_t used;
	/* IOVA of base: the address the device is told. */
	uint64_t iova_base;
	unsigned int nmaps;
	struct {
		uint64_t iova;
		uint64_t size;
	} maps[ARENA_MAX_MAPS];
};

static int
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

static void *
arena_take(struct arena *a, size_t len, size_t align)
{
	size_t off = RTE_ALIGN_CEIL(a->used, align);

	if (off + len > a->size)
		return NULL;
	a->used = off + len;
	return a->base + off;
}

static uint64_t
arena_iova(const struct arena *a, const void *p)
{
	return a->iova_base + (uint64_t)((const uint8_t *)p - a->base);
}

static int
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

static int
arena_map(struct rte_mdev_device *dev, struct arena *a)
{
	return arena_map_range(dev, a, 0, a->size);
}

/* Reset first: the device must not touch the memory once it is freed. */
static void
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

static size_t
arena_size_for(struct rte_mdev_device *dev, unsigned int nrings,
	unsigned int num, size_t extra)
{
	uint32_t align = ring_align(dev);

	return nrings * ((size_t)vring_size(num, align) + align) + extra +
		PAGE_SZ;
}

/* A split ring in the arena, laid out with the uapi vring helpers. */
static int
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
static int
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
static int
ring64_setup(struct rte_mdev_device *dev, struct arena *a, struct vring *vr,
	bool ready, struct conf_result *res)
{
	CONF_CHECK(res, arena_init(a, arena_size_for(dev, 1, 64, 0)) == 0 &&
		vring_take(dev, a, vr, 64) == 0, "out of memory");
	CONF_CHECK_RC(res, arena_map(dev, a), 0);
	if (ready) {
		CONF_CHECK_RC(res, vq_program(dev, 0, a, vr), 0);
		CONF_CHECK_RC(res, dev->ops->set_vq_ready(dev, 0, true), 0);
	}
	return 0;
out:
	return -1;
}

#define RING64_SETUP(a, vr, ready) do { \
	if (ring64_setup(dev, (a), (vr), (ready), res) != 0) \
		goto out; \
} while (0)

/* Make descriptor "id" available (single descriptor chain). */
static void
vring_post(const struct arena *a, struct vring *vr, uint16_t id,
	const void *buf, uint32_t len, uint16_t flags)
{
	uint16_t idx = rte_le_to_cpu_16(vr->avail->idx);

	vr->desc[id].addr = rte_cpu_to_le_64(arena_iova(a, buf));
	vr->desc[id].len = rte_cpu_to_le_32(len);
	vr->desc[id].flags = rte_cpu_to_le_16(flags);
	vr->desc[id].next = 0;
	vr->avail->ring[idx % vr->num] = rte_cpu_to_le_16(id);
	/* The device must see the entry before the index that exposes it. */
	__atomic_store_n(&vr->avail->idx, rte_cpu_to_le_16(idx + 1),
		__ATOMIC_RELEASE);
}

static uint16_t
used_idx(const struct vring *vr)
{
	return rte_le_to_cpu_16(__atomic_load_n(&vr->used->idx,
			__ATOMIC_ACQUIRE));
}

static bool
wait_used(const struct vring *vr, uint16_t want, unsigned int ms)
{
	uint64_t end = now_ms() + ms;

	while (used_idx(vr) != want) {
		if (now_ms() > end)
			return false;
		sleep_ms(1);
	}
	return true;
}

/* ---------------------------------------------------------------- */
/* Callbacks                                                          */
/* ---------------------------------------------------------------- */

struct cb_counter {
	uint32_t calls;
};

static struct cb_counter cb_rx, cb_tx;

static void
cb_count(void *arg)
{
	struct cb_counter *c = arg;

	__atomic_fetch_add(&c->calls, 1, __ATOMIC_RELAXED);
}

static uint32_t
cb_calls(struct cb_counter *c)
{
	return __atomic_load_n(&c->calls, __ATOMIC_RELAXED);
}

static void
cb_clear(struct cb_counter *c)
{
	__atomic_store_n(&c->calls, 0, __ATOMIC_RELAXED);
}

static bool
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

/* ---------------------------------------------------------------- */
/* A running rx/tx pair: one tx packet and one rx buffer               */
/* ---------------------------------------------------------------- */

#define PAIR_SPLIT_MAP (1u << 0)	/* two adjacent mappings, tx buffer
					 * straddling the boundary */
#define PAIR_LOW_IOVA (1u << 1)		/* IOVA != vaddr, small IOVAs */
#define PAIR_NO_INTERRUPT (1u << 2)	/* VRING_AVAIL_F_NO_INTERRUPT */
#define PAIR_NO_POST (1u << 3)		/* the caller posts the buffers */
#define PAIR_FULL (1u << 4)		/* every descriptor of both rings
					 * posted (one packet each) */
#define BULK_BUF_LEN 128u

struct pair {
	struct arena a;
	struct vring rx;
	struct vring tx;
	uint8_t *txbuf;
	uint8_t *rxbuf;
	uint8_t *bulk;		/* PAIR_FULL: one rx slot per descriptor */
};

static void
frame_fill(uint8_t *frame)
{
	unsigned int i;

	memset(frame, 0xff, 6);			/* broadcast destination */
	memcpy(frame + 6, "\x02\x00\x00\x00\x00\x01", 6);
	frame[12] = 0x88;			/* local experimental type */
	frame[13] = 0xb5;
	for (i = 14; i < FRAME_LEN; i++)
		frame[i] = (uint8_t)(i * 7 + 3);
}

/*
 * Negotiate VERSION_1, build rx (qid 0) and tx (qid 1) rings with one
 * rx buffer and one tx packet posted (see PAIR_* for the variants), map
 * them and make both queues ready. DRIVER_OK is left to the caller,
 * which may set callbacks first.
 */
static int
pair_setup(struct rte_mdev_device *dev, struct pair *p, unsigned int flags,
	struct conf_result *res, int line)
{
	unsigned int num = test_num(dev);
	size_t boundary;
	uint8_t *page;
	uint16_t i;
	int rc;

	/* Full rings: as long as the device allows, to keep it busy. */
	if (flags & PAIR_FULL)
		num = RTE_MIN(4096u,
			(unsigned int)dev->ops->get_vq_num_max(dev));

	if (negotiate(dev, FEAT(VIRTIO_F_VERSION_1), res, line) != 0)
		return -1;
	if (arena_init(&p->a, arena_size_for(dev, 2, num,
			3 * PAGE_SZ + RXBUF_LEN + num * BULK_BUF_LEN)) != 0) {
		conf_fail(res, line, "out of memory");
		return -1;
	}
	if (flags & PAIR_LOW_IOVA)
		p->a.iova_base = LOW_IOVA;
	if (vring_take(dev, &p->a, &p->rx, num) != 0 ||
			vring_take(dev, &p->a, &p->tx, num) != 0)
		goto nomem;
	/* The tx buffer straddles a page boundary (split mapping cut). */
	page = arena_take(&p->a, 2 * PAGE_SZ, PAGE_SZ);
	p->rxbuf = arena_take(&p->a, RXBUF_LEN, 64);
	if (page == NULL || p->rxbuf == NULL)
		goto nomem;
	p->bulk = arena_take(&p->a, num * BULK_BUF_LEN, 64);
	if (p->bulk == NULL)
		goto nomem;
	p->txbuf = page + PAGE_SZ - 30;
	memset(p->txbuf, 0, NET_HDR_LEN);
	frame_fill(p->txbuf + NET_HDR_LEN);
	memset(p->rxbuf, 0xa5, RXBUF_LEN);

	if (flags & PAIR_SPLIT_MAP) {
		boundary = (size_t)(page - p->a.base) + PAGE_SZ;
		rc = arena_map_range(dev, &p->a, 0, boundary);
		if (rc == 0)
			rc = arena_map_range(dev, &p->a, boundary,
					p->a.size - boundary);
	} else {
		rc = arena_map(dev, &p->a);
	}
	if (rc != 0) {
		conf_fail(res, line, "dma_map of the ring memory: %d (%s)",
			rc, conf_errname(rc));
		return -1;
	}
	if (flags & PAIR_NO_INTERRUPT) {
		uint16_t no_intr = rte_cpu_to_le_16(VRING_AVAIL_F_NO_INTERRUPT);

		p->rx.avail->flags = no_intr;
		p->tx.avail->flags = no_intr;
	}
	if (flags & PAIR_FULL) {
		for (i = 0; i < num; i++) {
			vring_post(&p->a, &p->rx, i, p->bulk +
				i * BULK_BUF_LEN, BULK_BUF_LEN,
				VRING_DESC_F_WRITE);
			vring_post(&p->a, &p->tx, i, p->txbuf,
				NET_HDR_LEN + FRAME_LEN, 0);
		}
	} else if (!(flags & PAIR_NO_POST)) {
		vring_post(&p->a, &p->rx, 0, p->rxbuf, RXBUF_LEN,
			VRING_DESC_F_WRITE);
		vring_post(&p->a, &p->tx, 0, p->txbuf,
			NET_HDR_LEN + FRAME_LEN, 0);
	}

	rc = vq_program(dev, 0, &p->a, &p->rx);
	if (rc == 0)
		rc = vq_program(dev, 1, &p->a, &p->tx);
	if (rc != 0) {
		conf_fail(res, line, "programming rx/tx queues: %d (%s)",
			rc, conf_errname(rc));
		return -1;
	}
	rc = dev->ops->set_vq_ready(dev, 0, true);
	if (rc == 0)
		rc = dev->ops->set_vq_ready(dev, 1, true);
	if (rc != 0) {
		conf_fail(res, line, "set_vq_ready(rx/tx): %d (%s)",
			rc, conf_errname(rc));
		return -1;
	}
	return 0;
nomem:
	conf_fail(res, line, "out of ring memory");
	return -1;
}

#define PAIR_SETUP(p, flags) do { \
	if (pair_setup(dev, (p), (flags), res, __LINE__) != 0) \
		goto out; \
} while (0)

static void
pair_start(struct rte_mdev_device *dev)
{
	dev->ops->set_status(dev, S_RUNNING);
	dev->ops->kick_vq(dev, 0);
	dev->ops->kick_vq(dev, 1);
}

/*
 * Wait for the tx completion and (on a loopback wire) the rx packet.
 * Returns NULL or what did not happen.
 */
static const char *
pair_wait(struct pair *p)
{
	if (!wait_used(&p->tx, 1, WAIT_MS))
		return "tx used index did not reach 1 within 1 s";
	if (conf_opts.loopback && !wait_used(&p->rx, 1, WAIT_MS))
		return "rx used index did not reach 1 within 1 s "
			"(the suite expects a loopback wire; --no-loopback "
			"if the device has none)";
	return NULL;
}

#define PAIR_WAIT(p) do { \
	const char *why_ = pair_wait(p); \
	CONF_CHECK(res, why_ == NULL, "%s", why_); \
} while (0)

/* ---------------------------------------------------------------- */
/* Identity and features                                              */
/* ---------------------------------------------------------------- */

static void
case_status_new(struct rte_mdev_device *dev, struct conf_result *res)
{
	uint8_t status = dev->ops->get_status(dev);

	CONF_CHECK(res, status == 0, "a new device reads status 0x%02x",
		status);
out:
	dev_reset(dev);
}

static void
case_mdev_features(struct rte_mdev_device *dev, struct conf_result *res)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	uint64_t mf = ops->get_mdev_features(dev);
	uint64_t known = MDEV_FEAT(RTE_VIRTIO_MDEV_F_VERSION_1) |
		MDEV_FEAT(RTE_VIRTIO_MDEV_F_LOG_DIRTY) |
		MDEV_FEAT(RTE_VIRTIO_MDEV_F_VQ_STATS);
	const struct {
		const char *name;
		const void *fn;
	} base[] = {
#define OP(x) { #x, (const void *)ops->x }
		OP(set_vq_address), OP(set_vq_num), OP(kick_vq),
		OP(set_vq_cb), OP(set_vq_ready), OP(get_vq_ready),
		OP(set_vq_state), OP(get_vq_state), OP(get_vq_align),
		OP(get_features), OP(set_features), OP(set_config_cb),
		OP(get_vq_num_max), OP(get_device_id), OP(get_vendor_id),
		OP(get_status), OP(set_status), OP(get_config_size),
		OP(get_config), OP(set_config), OP(get_mdev_features),
		OP(dma_map), OP(dma_unmap),
	}, log[] = {
		OP(set_log_base), OP(set_log_enable),
	}, stats[] = {
		OP(get_vq_stats), OP(reset_vq_stats),
#undef OP
	};
	unsigned int i;
	int rc;

	CONF_CHECK(res, mf & MDEV_FEAT(RTE_VIRTIO_MDEV_F_VERSION_1),
		"get_mdev_features 0x%" PRIx64 " lacks VERSION_1", mf);
	CONF_CHECK(res, dev->mdev_features == mf,
		"dev->mdev_features 0x%" PRIx64 " != get_mdev_features 0x%"
		PRIx64, dev->mdev_features, mf);
	for (i = 0; i < RTE_DIM(base); i++)
		CONF_CHECK(res, base[i].fn != NULL,
			"VERSION_1 op %s is NULL", base[i].name);
	for (i = 0; i < RTE_DIM(log); i++)
		CONF_CHECK(res, log[i].fn != NULL ||
			!(mf & MDEV_FEAT(RTE_VIRTIO_MDEV_F_LOG_DIRTY)),
			"LOG_DIRTY advertised but %s is NULL", log[i].name);
	for (i = 0; i < RTE_DIM(stats); i++)
		CONF_CHECK(res, stats[i].fn != NULL ||
			!(mf & MDEV_FEAT(RTE_VIRTIO_MDEV_F_VQ_STATS)),
			"VQ_STATS advertised but %s is NULL", stats[i].name);
	rc = rte_virtio_mdev_check_ops("conformance", ops, mf);
	CONF_CHECK(res, rc == 0, "rte_virtio_mdev_check_ops refuses the "
		"device's own table: %d", rc);
	if (mf & ~known)
		conf_note(res, "mdev feature bits 0x%" PRIx64
			" are not defined by the header", mf & ~known);
	if (ops->get_generation == NULL)
		conf_note(res, "get_generation is NULL (optional)");
out:
	return;
}

static void
case_device_id(struct rte_mdev_device *dev, struct conf_result *res)
{
	uint32_t id = dev->ops->get_device_id(dev);

	CONF_CHECK(res, id == VIRTIO_ID_NET, "get_device_id %u, expected "
		"VIRTIO_ID_NET (%u)", id, VIRTIO_ID_NET);
out:
	return;
}

static void
case_vendor_id(struct rte_mdev_device *dev, struct conf_result *res)
{
	uint32_t id = dev->ops->get_vendor_id(dev);

	CONF_CHECK(res, id != 0, "get_vendor_id is 0");
out:
	return;
}

static void
case_features_offered(struct rte_mdev_device *dev, struct conf_result *res)
{
	uint64_t f = offered(dev);

	CONF_CHECK(res, f & FEAT(VIRTIO_F_VERSION_1),
		"offered features 0x%" PRIx64 " lack VIRTIO_F_VERSION_1", f);
	/* Offered features are a property of the device, not of status. */
	dev->ops->set_status(dev, S_ACK | S_DRIVER);
	CONF_CHECK(res, offered(dev) == f, "get_features changed with "
		"status: 0x%" PRIx64 " -> 0x%" PRIx64, f, offered(dev));
out:
	dev_reset(dev);
}

/* ---------------------------------------------------------------- */
/* Status machine                                                     */
/* ---------------------------------------------------------------- */

static void
case_status_negotiate(struct rte_mdev_device *dev, struct conf_result *res)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	uint8_t s;
	int rc;

	dev_reset(dev);
	ops->set_status(dev, S_ACK);
	s = ops->get_status(dev);
	CONF_CHECK(res, s == S_ACK, "after ACKNOWLEDGE status 0x%02x", s);
	ops->set_status(dev, S_ACK | S_DRIVER);
	s = ops->get_status(dev);
	CONF_CHECK(res, s == (S_ACK | S_DRIVER),
		"after DRIVER status 0x%02x", s);
	rc = ops->set_features(dev, FEAT(VIRTIO_F_VERSION_1));
	CONF_CHECK(res, rc == 0, "set_features(VERSION_1): %d (%s)", rc,
		conf_errname(rc));
	ops->set_status(dev, S_NEGOTIATED);
	s = ops->get_status(dev);
	CONF_CHECK(res, s == S_NEGOTIATED,
		"after FEATURES_OK status 0x%02x, expected 0x%02x",
		s, S_NEGOTIATED);
	ops->set_status(dev, S_RUNNING);
	s = ops->get_status(dev);
	CONF_CHECK(res, s == S_RUNNING,
		"after DRIVER_OK status 0x%02x, expected 0x%02x", s, S_RUNNING);
	/* Negotiating everything offered works too. */
	dev_reset(dev);
	NEGOTIATE(offered(dev));
out:
	dev_reset(dev);
}

/*
 * Features the device must not accept: set_features may refuse them with
 * -EINVAL or accept them and then refuse FEATURES_OK. Returns NULL when
 * one of the two happened, else what went wrong.
 */
static const char *
refused(struct rte_mdev_device *dev, uint64_t features, bool *by_einval)
{
	static char why[160];
	uint8_t s;
	int rc;

	dev_reset(dev);
	dev->ops->set_status(dev, S_ACK);
	dev->ops->set_status(dev, S_ACK | S_DRIVER);
	rc = dev->ops->set_features(dev, features);
	*by_einval = rc == -EINVAL;
	if (rc != 0 && rc != -EINVAL) {
		snprintf(why, sizeof(why), "set_features(0x%" PRIx64
			") returned %d (%s), expected 0 or -EINVAL",
			features, rc, conf_errname(rc));
		return why;
	}
	dev->ops->set_status(dev, S_NEGOTIATED);
	s = dev->ops->get_status(dev);
	if (s & S_FEATURES_OK) {
		snprintf(why, sizeof(why), "features 0x%" PRIx64
			" (set_features %d) accepted: status 0x%02x has "
			"FEATURES_OK",
			features, rc, s);
		return why;
	}
	return NULL;
}

static void
case_features_ok_no_version_1(struct rte_mdev_device *dev,
	struct conf_result *res)
{
	const char *why;
	bool einval;

	why = refused(dev, 0, &einval);
	CONF_CHECK(res, why == NULL, "%s", why);
	why = refused(dev, offered(dev) & ~FEAT(VIRTIO_F_VERSION_1), &einval);
	CONF_CHECK(res, why == NULL, "%s", why);
	conf_note(res, "refused by %s", einval ? "set_features -EINVAL" :
		"FEATURES_OK left clear");
out:
	dev_reset(dev);
}

static void
case_features_ok_unoffered(struct rte_mdev_device *dev,
	struct conf_result *res)
{
	uint64_t f = offered(dev);
	unsigned int bit, tried = 0, by_einval = 0;
	const char *why;
	bool einval;

	/* Every bit the device does not offer, one at a time. */
	for (bit = 0; bit < 64; bit++) {
		if (f & FEAT(bit))
			continue;
		why = refused(dev, FEAT(VIRTIO_F_VERSION_1) | FEAT(bit),
				&einval);
		CONF_CHECK(res, why == NULL, "unoffered bit %u: %s", bit, why);
		tried++;
		by_einval += einval;
	}
	if (tried == 0)
		conf_skip(res, "the device offers all 64 feature bits");
	else if (by_einval != tried)
		conf_note(res, "%u of %u unoffered bits accepted by "
			"set_features (header says -EINVAL) and refused at "
			"FEATURES_OK",
			tried - by_einval, tried);
out:
	dev_reset(dev);
}

static void
case_set_features_busy(struct rte_mdev_device *dev, struct conf_result *res)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	const uint64_t v1 = FEAT(VIRTIO_F_VERSION_1);

	dev_reset(dev);
	CONF_CHECK_RC(res, ops->set_features(dev, v1), -EBUSY);
	ops->set_status(dev, S_ACK);
	CONF_CHECK_RC(res, ops->set_features(dev, v1), -EBUSY);
	NEGOTIATE(v1);
	CONF_CHECK_RC(res, ops->set_features(dev, v1), -EBUSY);
	ops->set_status(dev, S_RUNNING);
	CONF_CHECK_RC(res, ops->set_features(dev, v1), -EBUSY);
	CONF_CHECK(res, ops->get_status(dev) == S_RUNNING,
		"a refused set_features changed status to 0x%02x",
		ops->get_status(dev));
out:
	dev_reset(dev);
}

static void
case_driver_ok_without_features_ok(struct rte_mdev_device *dev,
	struct conf_result *res)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	uint8_t s;

	dev_reset(dev);
	ops->set_status(dev, S_ACK);
	ops->set_status(dev, S_ACK | S_DRIVER);
	CONF_CHECK_RC(res, ops->set_features(dev, FEAT(VIRTIO_F_VERSION_1)), 0);
	ops->set_status(dev, S_ACK | S_DRIVER | S_DRIVER_OK);
	s = ops->get_status(dev);
	CONF_CHECK(res, s & VIRTIO_CONFIG_S_FAILED,
		"DRIVER_OK without FEATURES_OK: status 0x%02x lacks FAILED", s);
	/* A failed device comes back with a reset. */
	dev_reset(dev);
	s = ops->get_status(dev);
	CONF_CHECK(res, s == 0, "reset after FAILED: status 0x%02x", s);
	NEGOTIATE(FEAT(VIRTIO_F_VERSION_1));
out:
	dev_reset(dev);
}

/* "A status that skips a step ... sets FAILED": the other skips. */
static void
case_status_skip_step(struct rte_mdev_device *dev, struct conf_result *res)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	uint8_t s;

	dev_reset(dev);
	ops->set_status(dev, S_DRIVER);
	s = ops->get_status(dev);
	CONF_CHECK(res, s & VIRTIO_CONFIG_S_FAILED,
		"DRIVER without ACKNOWLEDGE: status 0x%02x lacks FAILED", s);
	dev_reset(dev);
	ops->set_status(dev, S_ACK | S_FEATURES_OK);
	s = ops->get_status(dev);
	CONF_CHECK(res, (s & VIRTIO_CONFIG_S_FAILED) || !(s & S_FEATURES_OK),
		"FEATURES_OK without DRIVER accepted: status 0x%02x", s);
out:
	dev_reset(dev);
}

static void
case_reset(struct rte_mdev_device *dev, struct conf_result *res)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	struct rte_virtio_mdev_callback cb = { cb_count, &cb_rx };
	struct rte_virtio_mdev_vq_state st = { .split = { 5 } };
	unsigned int q, nq = num_queues(dev);
	struct arena a = { .base = NULL };
	struct vring vr;
	uint8_t s;

	NEGOTIATE(FEAT(VIRTIO_F_VERSION_1));
	RING64_SETUP(&a, &vr, false);
	vr.avail->idx = rte_cpu_to_le_16(5);
	vr.used->idx = rte_cpu_to_le_16(5);
	CONF_CHECK_RC(res, vq_program(dev, 0, &a, &vr), 0);
	CONF_CHECK_RC(res, ops->set_vq_state(dev, 0, &st), 0);
	ops->set_vq_cb(dev, 0, &cb);
	CONF_CHECK_RC(res, ops->set_vq_ready(dev, 0, true), 0);
	ops->set_status(dev, S_RUNNING);

	ops->set_status(dev, 0);
	s = ops->get_status(dev);
	CONF_CHECK(res, s == 0, "status after reset 0x%02x", s);
	for (q = 0; q < nq; q++)
		CONF_CHECK(res, !ops->get_vq_ready(dev, q),
			"queue %u still ready after reset", q);
	st.split.avail_index = 0xbeef;
	CONF_CHECK_RC(res, ops->get_vq_state(dev, 0, &st), 0);
	CONF_CHECK(res, st.split.avail_index == 0,
		"queue 0 state after reset: avail_index %u, expected 0",
		st.split.avail_index);

	/* Features cleared: FEATURES_OK with nothing set lacks VERSION_1. */
	ops->set_status(dev, S_ACK);
	ops->set_status(dev, S_ACK | S_DRIVER);
	ops->set_status(dev, S_NEGOTIATED);
	s = ops->get_status(dev);
	CONF_CHECK(res, !(s & S_FEATURES_OK), "features survived reset: "
		"FEATURES_OK without set_features accepted (status 0x%02x)", s);

	/* A new negotiation works; the queue forgot its address and size. */
	NEGOTIATE(FEAT(VIRTIO_F_VERSION_1));
	CONF_CHECK_RC(res, ops->set_vq_ready(dev, 0, true), -EINVAL);
	CONF_CHECK(res, !ops->get_vq_ready(dev, 0),
		"queue 0 ready without address and size after reset");
out:
	arena_fini(dev, &a);
}

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
	NEGOTIATE(FEAT(VIRTIO_F_VERSION_1));
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

	NEGOTIATE(FEAT(VIRTIO_F_VERSION_1));
	RING64_SETUP(&a, &vr, true);
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

	NEGOTIATE(FEAT(VIRTIO_F_VERSION_1));
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

/* Enabling must fail with -EFAULT and leave the queue not ready. */
#define CHECK_EFAULT(what) do { \
	CONF_CHECK_RC(res, ops->set_vq_ready(dev, 0, true), -EFAULT); \
	CONF_CHECK(res, !ops->get_vq_ready(dev, 0), \
		"queue ready with %s", what); \
} while (0)

static void
case_vq_ready_unmapped(struct rte_mdev_device *dev, struct conf_result *res)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	struct arena a = { .base = NULL };
	struct vring vr;
	uint64_t desc, end;

	NEGOTIATE(FEAT(VIRTIO_F_VERSION_1));
	CONF_CHECK(res, arena_init(&a, 4 * PAGE_SZ) == 0,
		"out of memory");
	/* Rings in a page of their own, nothing mapped yet. */
	vring_init(&vr, 64, a.base, PAGE_SZ);
	CONF_CHECK(res, vring_size(64, PAGE_SZ) <= 3 * PAGE_SZ,
		"ring layout does not fit");
	CONF_CHECK_RC(res, vq_program(dev, 0, &a, &vr), 0);
	CHECK_EFAULT("no memory mapped at all");

	/* Only the first page (descriptors, avail) mapped: used outside. */
	CONF_CHECK_RC(res, arena_map_range(dev, &a, 0, PAGE_SZ), 0);
	CHECK_EFAULT("the used ring outside mapped memory");

	/* Descriptor table running off the end of the mapping. */
	end = arena_iova(&a, a.base + PAGE_SZ);
	desc = end - 16 * 8;
	CONF_CHECK_RC(res, ops->set_vq_address(dev, 0, desc,
		arena_iova(&a, vr.avail), arena_iova(&a, vr.avail) + 512), 0);
	CHECK_EFAULT("a 64-entry descriptor table crossing the mapping end");

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

	NEGOTIATE(FEAT(VIRTIO_F_VERSION_1));
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

	NEGOTIATE(FEAT(VIRTIO_F_VERSION_1));
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
		NEGOTIATE(FEAT(VIRTIO_F_VERSION_1));
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

	NEGOTIATE(FEAT(VIRTIO_F_VERSION_1));
	RING64_SETUP(&a, &vr, true);
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
	const unsigned int num = 100;

	if (!(offered(dev) & FEAT(VIRTIO_F_RING_PACKED))) {
		conf_skip(res, "VIRTIO_F_RING_PACKED not offered");
		return;
	}
	NEGOTIATE(f);
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

/* ---------------------------------------------------------------- */
/* Config space                                                       */
/* ---------------------------------------------------------------- */

/* Bytes of struct virtio_net_config the offered features require. */
static size_t
config_needed(uint64_t f)
{
	size_t need = offsetof(struct virtio_net_config, max_virtqueue_pairs);

	if (f & FEAT(VIRTIO_NET_F_MQ))
		need = offsetof(struct virtio_net_config, mtu);
	if (f & FEAT(VIRTIO_NET_F_MTU))
		need = offsetof(struct virtio_net_config, speed);
	if (f & FEAT(VIRTIO_NET_F_SPEED_DUPLEX))
		need = offsetof(struct virtio_net_config, rss_max_key_size);
	if (f & (FEAT(VIRTIO_NET_F_RSS) | FEAT(VIRTIO_NET_F_HASH_REPORT)))
		need = sizeof(struct virtio_net_config);
	return need;
}

static void
case_config_size(struct rte_mdev_device *dev, struct conf_result *res)
{
	size_t size = dev->ops->get_config_size(dev);
	uint64_t f = offered(dev);
	struct virtio_net_config c;
	uint16_t v;

	CONF_CHECK(res, size >= config_needed(f),
		"get_config_size %zu, the offered features 0x%" PRIx64
		" need %zu", size, f, config_needed(f));
	CONF_CHECK(res, size <= 4096, "get_config_size %zu is absurd", size);
	memset(&c, 0, sizeof(c));
	dev->ops->get_config(dev, 0, &c, RTE_MIN(size, sizeof(c)));
	if (f & FEAT(VIRTIO_NET_F_MAC)) {
		static const uint8_t zero[6];

		CONF_CHECK(res, memcmp(c.mac, zero, 6) != 0 &&
			!(c.mac[0] & 1), "config mac %02x:%02x:%02x:%02x:%02x:"
			"%02x is not a unicast address", c.mac[0], c.mac[1],
			c.mac[2], c.mac[3], c.mac[4], c.mac[5]);
	}
	if (f & FEAT(VIRTIO_NET_F_STATUS)) {
		v = rte_le_to_cpu_16(c.status);
		CONF_CHECK(res, !(v & ~(VIRTIO_NET_S_LINK_UP |
			VIRTIO_NET_S_ANNOUNCE)), "config status 0x%x has "
			"undefined bits", v);
	}
	if (f & FEAT(VIRTIO_NET_F_MQ)) {
		v = rte_le_to_cpu_16(c.max_virtqueue_pairs);
		CONF_CHECK(res, v >= 1 && v <= 0x8000,
			"max_virtqueue_pairs %u not in 1..0x8000", v);
	}
	if (f & FEAT(VIRTIO_NET_F_MTU)) {
		v = rte_le_to_cpu_16(c.mtu);
		CONF_CHECK(res, v >= 68, "config mtu %u below 68", v);
	}
out:
	return;
}

static void
case_config_bytes(struct rte_mdev_device *dev, struct conf_result *res)
{
	static const unsigned int lens[] = { 1, 2, 3, 4, 5, 7 };
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	unsigned int size = ops->get_config_size(dev);
	uint8_t full[4096 + 64], part[64];
	unsigned int off, i, j;

	CONF_CHECK(res, size > 0 && size <= 4096, "config size %u", size);
	memset(full, 0xa5, sizeof(full));
	ops->get_config(dev, 0, full, size + 32);
	for (j = size; j < size + 32; j++)
		CONF_CHECK(res, full[j] == 0, "byte %u beyond config size %u "
			"reads 0x%02x, expected 0", j, size, full[j]);
	/* The mac as a field equals the same bytes of the full read. */
	memset(part, 0xa5, sizeof(part));
	ops->get_config(dev, offsetof(struct virtio_net_config, mac), part, 6);
	CONF_CHECK(res, memcmp(part, full, 6) == 0,
		"get_config of the mac differs from a full read");
	/* Every offset, odd lengths: the same bytes as the full read. */
	for (off = 0; off < size + 8; off++) {
		for (i = 0; i < RTE_DIM(lens); i++) {
			memset(part, 0xa5, sizeof(part));
			ops->get_config(dev, off, part, lens[i]);
			for (j = 0; j < lens[i]; j++)
				CONF_CHECK(res, part[j] == full[off + j],
					"get_config(%u, %u) byte %u is 0x%02x,"
					" a full read has 0x%02x", off, lens[i],
					j, part[j], full[off + j]);
			CONF_CHECK(res, part[lens[i]] == 0xa5,
				"get_config(%u, %u) wrote past len", off,
				lens[i]);
		}
	}
	/* Far beyond the end: zeros, no crash. */
	memset(part, 0xa5, sizeof(part));
	ops->get_config(dev, size + 1000, part, 8);
	for (j = 0; j < 8; j++)
		CONF_CHECK(res, part[j] == 0, "get_config at %u reads 0x%02x",
			size + 1000 + j, part[j]);
	memset(part, 0xa5, sizeof(part));
	ops->get_config(dev, 0, part, 0);
	CONF_CHECK(res, part[0] == 0xa5, "get_config of 0 bytes wrote");
out:
	return;
}

/* Net config fields the driver cannot write (everything after mac). */
static void
case_config_readonly(struct rte_mdev_device *dev, struct conf_result *res)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	unsigned int size = ops->get_config_size(dev);
	unsigned int off = offsetof(struct virtio_net_config, status);
	uint8_t before[4096], after[4096], junk[4096];
	unsigned int j;

	if (size <= off) {
		conf_skip(res, "config has no field after mac");
		return;
	}
	if (size > sizeof(before)) {
		conf_fail(res, __LINE__, "config size %u", size);
		return;
	}
	ops->get_config(dev, 0, before, size);
	for (j = off; j < size; j++)
		junk[j] = before[j] ^ 0x5a;
	ops->set_config(dev, off, junk + off, size - off);
	ops->get_config(dev, 0, after, size);
	/* Writing beyond the size is ignored, not a crash. */
	ops->set_config(dev, size + 100, junk + off, 4);
	for (j = off; j < size; j++)
		CONF_CHECK(res, after[j] == before[j], "set_config changed "
			"read-only config byte %u: 0x%02x -> 0x%02x", j,
			before[j], after[j]);
	return;
out:
	/* Undo what a device that took the write changed. */
	ops->set_config(dev, off, before + off, size - off);
}

static void
case_generation(struct rte_mdev_device *dev, struct conf_result *res)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	uint8_t buf[64];
	uint32_t g1, g2;

	if (ops->get_generation == NULL) {
		conf_skip(res, "the device has no get_generation (optional op)");
		return;
	}
	g1 = ops->get_generation(dev);
	ops->get_config(dev, 0, buf, sizeof(buf));
	g2 = ops->get_generation(dev);
	CONF_CHECK(res, g1 == g2, "generation changed %u -> %u with no "
		"config change", g1, g2);
	/* Status changes are not config changes. */
	NEGOTIATE(FEAT(VIRTIO_F_VERSION_1));
	dev_reset(dev);
	g2 = ops->get_generation(dev);
	if (g1 != g2)
		conf_note(res, "generation moved %u -> %u across a "
			"negotiation and reset", g1, g2);
out:
	dev_reset(dev);
}

static void
case_read_config(struct rte_mdev_device *dev, struct conf_result *res)
{
	unsigned int size = dev->ops->get_config_size(dev);
	uint8_t direct[4096 + 8], helper[4096 + 8];

	CONF_CHECK(res, size > 0 && size <= 4096, "config size %u", size);
	memset(direct, 0xa5, sizeof(direct));
	memset(helper, 0x5a, sizeof(helper));
	dev->ops->get_config(dev, 0, direct, size + 8);
	rte_virtio_mdev_read_config(dev, 0, helper, size + 8);
	CONF_CHECK(res, memcmp(direct, helper, size + 8) == 0,
		"rte_virtio_mdev_read_config differs from get_config");
	memset(helper, 0x5a, sizeof(helper));
	rte_virtio_mdev_read_config(dev, 1, helper, 5);
	CONF_CHECK(res, memcmp(direct + 1, helper, 5) == 0,
		"rte_virtio_mdev_read_config(1, 5) differs from get_config");
	CONF_CHECK(res, helper[5] == 0x5a,
		"rte_virtio_mdev_read_config wrote past len");
out:
	return;
}

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

	RING64_SETUP(&a, &vr, false);
	NEGOTIATE(FEAT(VIRTIO_F_VERSION_1));
	ops->set_status(dev, S_RUNNING);
	dev_reset(dev);
	/* Still there: mapping it again overlaps ... */
	CONF_CHECK_RC(res, ops->dma_map(dev, 0, a.iova_base, a.size, a.base,
		RTE_VIRTIO_MDEV_DMA_RW), -EEXIST);
	/* ... and the device still translates it. */
	NEGOTIATE(FEAT(VIRTIO_F_VERSION_1));
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
/* Junk the device must survive                                      */
/* ---------------------------------------------------------------- */

static void
case_kick_not_ready(struct rte_mdev_device *dev, struct conf_result *res)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	unsigned int nq = num_queues(dev);
	uint8_t s;

	dev_reset(dev);
	ops->kick_vq(dev, 0);
	ops->kick_vq(dev, 1);
	ops->kick_vq(dev, nq);
	ops->kick_vq(dev, UINT16_MAX);
	s = ops->get_status(dev);
	CONF_CHECK(res, s == 0, "kicks on a reset device: status 0x%02x", s);
	NEGOTIATE(FEAT(VIRTIO_F_VERSION_1));
	ops->set_status(dev, S_RUNNING);
	ops->kick_vq(dev, 0);
	ops->kick_vq(dev, 1);
	ops->kick_vq(dev, nq);
	ops->kick_vq(dev, UINT16_MAX);
	sleep_ms(10);
	s = ops->get_status(dev);
	CONF_CHECK(res, s == S_RUNNING, "kicks on not-ready and out-of-range "
		"queues: status 0x%02x, expected 0x%02x", s, S_RUNNING);
out:
	dev_reset(dev);
}

static void
case_qid_out_of_range(struct rte_mdev_device *dev, struct conf_result *res)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	struct rte_virtio_mdev_callback cb = { cb_count, &cb_rx };
	struct rte_virtio_mdev_vq_state st = { .split = { 0 } };
	struct rte_virtio_mdev_vq_stats stats;
	const uint16_t qids[] = { num_queues(dev), UINT16_MAX };
	const uint16_t last_tx = 2 * max_pairs(dev) - 1;
	unsigned int i;
	uint16_t q;

	NEGOTIATE(FEAT(VIRTIO_F_VERSION_1));
	/* The last queue of the last pair exists. */
	CONF_CHECK_RC(res, ops->set_vq_num(dev, last_tx, 64), 0);
	for (i = 0; i < RTE_DIM(qids); i++) {
		q = qids[i];
		CONF_CHECK_RC(res, ops->set_vq_num(dev, q, 64), -EINVAL);
		CONF_CHECK_RC(res, ops->set_vq_address(dev, q, PAGE_SZ,
			2 * PAGE_SZ, 3 * PAGE_SZ), -EINVAL);
		CONF_CHECK_RC(res, ops->set_vq_ready(dev, q, true), -EINVAL);
		CONF_CHECK(res, !ops->get_vq_ready(dev, q),
			"get_vq_ready(%u) true", q);
		CONF_CHECK_RC(res, ops->set_vq_state(dev, q, &st), -EINVAL);
		CONF_CHECK_RC(res, ops->get_vq_state(dev, q, &st), -EINVAL);
		ops->set_vq_cb(dev, q, &cb);
		ops->set_vq_cb(dev, q, NULL);
		ops->kick_vq(dev, q);
		if (has_mdev_feature(dev, RTE_VIRTIO_MDEV_F_VQ_STATS)) {
			CONF_CHECK_RC(res, ops->get_vq_stats(dev, q, &stats),
				-EINVAL);
			CONF_CHECK_RC(res, ops->reset_vq_stats(dev, q),
				-EINVAL);
		}
	}
out:
	dev_reset(dev);
}

/* ---------------------------------------------------------------- */
/* Data path, callbacks, counters                                     */
/* ---------------------------------------------------------------- */

static const char *
check_rx(const struct pair *p)
{
	static char why[160];
	const struct vring_used_elem *e = &p->rx.used->ring[0];
	uint32_t len = rte_le_to_cpu_32(e->len);
	uint16_t nbuf;

	if (rte_le_to_cpu_32(e->id) != 0) {
		snprintf(why, sizeof(why), "rx used id %u, posted 0",
			rte_le_to_cpu_32(e->id));
		return why;
	}
	if (len != NET_HDR_LEN + FRAME_LEN) {
		snprintf(why, sizeof(why), "rx used len %u, expected %zu "
			"(12-byte header + %u-byte frame)", len,
			NET_HDR_LEN + FRAME_LEN, FRAME_LEN);
		return why;
	}
	if (memcmp(p->rxbuf + NET_HDR_LEN, p->txbuf + NET_HDR_LEN,
			FRAME_LEN) != 0)
		return "rx frame bytes differ from the tx frame";
	memcpy(&nbuf, p->rxbuf + offsetof(struct virtio_net_hdr_v1,
		num_buffers), sizeof(nbuf));
	if (rte_le_to_cpu_16(nbuf) != 1) {
		snprintf(why, sizeof(why), "rx header num_buffers %u, "
			"expected 1", rte_le_to_cpu_16(nbuf));
		return why;
	}
	return NULL;
}

static void
data_path(struct rte_mdev_device *dev, struct conf_result *res,
	unsigned int flags)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	struct rte_virtio_mdev_vq_state st;
	struct pair p = { .a = { .base = NULL } };
	const char *why;
	uint8_t s;

	PAIR_SETUP(&p, flags);
	pair_start(dev);
	PAIR_WAIT(&p);
	CONF_CHECK(res, rte_le_to_cpu_32(p.tx.used->ring[0].id) == 0,
		"tx used id %u, posted 0", p.tx.used->ring[0].id);
	if (conf_opts.loopback) {
		why = check_rx(&p);
		CONF_CHECK(res, why == NULL, "%s", why);
	}
	s = ops->get_status(dev);
	CONF_CHECK(res, s == S_RUNNING, "status 0x%02x after one packet", s);
	/* The state after the run counts the one chain each queue took. */
	CONF_CHECK_RC(res, ops->set_vq_ready(dev, 0, false), 0);
	CONF_CHECK_RC(res, ops->set_vq_ready(dev, 1, false), 0);
	CONF_CHECK_RC(res, ops->get_vq_state(dev, 1, &st), 0);
	CONF_CHECK(res, st.split.avail_index == 1, "tx state avail_index %u "
		"after one packet, expected 1", st.split.avail_index);
	if (conf_opts.loopback) {
		CONF_CHECK_RC(res, ops->get_vq_state(dev, 0, &st), 0);
		CONF_CHECK(res, st.split.avail_index == 1, "rx state "
			"avail_index %u after one packet, expected 1",
			st.split.avail_index);
	}
out:
	arena_fini(dev, &p.a);
}

/*
 * A case that is a shared body run with one fixed argument: one line
 * per case instead of one function each.
 */
#define CASE_OF(n, body, arg) \
static void \
case_ ## n(struct rte_mdev_device *dev, struct conf_result *res) \
{ \
	body(dev, res, arg); \
}

CASE_OF(data_path, data_path, 0)
CASE_OF(data_path_two_mappings, data_path, PAIR_SPLIT_MAP)
CASE_OF(data_path_iova_offset, data_path, PAIR_LOW_IOVA)

static const char *stats_fmt(const struct rte_virtio_mdev_vq_stats *s);

static bool
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

/*
 * A disabled queue is not used ("disabling stops the device using the
 * queue before it returns") and, enabled again, resumes at its position.
 */
static void
case_vq_disable_stops(struct rte_mdev_device *dev, struct conf_result *res)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	struct rte_virtio_mdev_vq_state st;
	struct pair p = { .a = { .base = NULL } };
	int rc;

	PAIR_SETUP(&p, 0);
	pair_start(dev);
	PAIR_WAIT(&p);
	CONF_CHECK_RC(res, ops->set_vq_ready(dev, 1, false), 0);
	vring_post(&p.a, &p.rx, 1, p.rxbuf, RXBUF_LEN, VRING_DESC_F_WRITE);
	vring_post(&p.a, &p.tx, 1, p.txbuf, NET_HDR_LEN + FRAME_LEN, 0);
	ops->kick_vq(dev, 1);
	sleep_ms(QUIET_MS);
	CONF_CHECK(res, used_idx(&p.tx) == 1, "the device used a buffer of "
		"a disabled tx queue (used index %u)", used_idx(&p.tx));
	CONF_CHECK_RC(res, ops->get_vq_state(dev, 1, &st), 0);
	CONF_CHECK(res, st.split.avail_index == 1, "disabled tx state %u, "
		"expected 1", st.split.avail_index);
	rc = ops->set_vq_ready(dev, 1, true);
	CONF_CHECK(res, rc == 0, "enabling the tx queue again (address and "
		"size still set): %d (%s)", rc, conf_errname(rc));
	ops->kick_vq(dev, 1);
	CONF_CHECK(res, wait_used(&p.tx, 2, WAIT_MS), "re-enabled tx queue "
		"did not use the buffer posted while disabled (used index %u)",
		used_idx(&p.tx));
	CONF_CHECK(res, !conf_opts.loopback || wait_used(&p.rx, 2, WAIT_MS),
		"the packet sent after re-enabling did not arrive on rx");
out:
	arena_fini(dev, &p.a);
}

/* The driver is untrusted: what a broken tx queue must do. */
enum bad_kind {
	BAD_UNMAPPED,		/* buffer outside every mapping */
	BAD_CROSSES_END,	/* buffer running off a mapping's end */
	BAD_LOOP,		/* chain 0 -> 1 -> 0 */
	BAD_HEAD,		/* avail entry beyond the ring */
	BAD_AVAIL_IDX,		/* avail index more than num ahead */
	BAD_INDIRECT,		/* INDIRECT flag, feature not negotiated */
};

static uint64_t
bad_counter(const struct rte_virtio_mdev_vq_stats *s, enum bad_kind kind)
{
	switch (kind) {
	case BAD_LOOP:
		return s->exceed_max_chain;
	case BAD_CROSSES_END:
		/* outside mapped memory or length overflow: either fits */
		return s->bad_desc_errors + s->invalid_buffer;
	default:
		return s->bad_desc_errors;
	}
}

static const char * const bad_counter_name[] = {
	[BAD_UNMAPPED] = "bad_desc_errors",
	[BAD_CROSSES_END] = "bad_desc_errors or invalid_buffer",
	[BAD_LOOP] = "exceed_max_chain",
	[BAD_HEAD] = "bad_desc_errors",
	[BAD_AVAIL_IDX] = "bad_desc_errors",
	[BAD_INDIRECT] = "bad_desc_errors",
};

/* The config callback around a queue breaking (see config_cb_*). */
enum cfg_cb_mode {
	CFG_CB_NONE,
	CFG_CB_SET,		/* set after the last reset */
	CFG_CB_RESET,		/* set, then cleared by a reset */
};

static struct cb_counter cb_cfg;

static void
bad_tx_cfg(struct rte_mdev_device *dev, struct conf_result *res,
	enum bad_kind kind, enum cfg_cb_mode cfg)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	bool stats = has_mdev_feature(dev, RTE_VIRTIO_MDEV_F_VQ_STATS);
	struct rte_virtio_mdev_vq_stats s;
	struct pair p = { .a = { .base = NULL } };
	struct vring_desc *d;
	struct rte_virtio_mdev_callback cb = { cb_count, &cb_cfg };
	uint16_t head = 0, idx = 1;
	uint8_t st;

	cb_clear(&cb_cfg);
	if (cfg == CFG_CB_RESET) {
		NEGOTIATE(FEAT(VIRTIO_F_VERSION_1));
		ops->set_config_cb(dev, &cb);
	}
	PAIR_SETUP(&p, PAIR_NO_POST);
	if (cfg == CFG_CB_SET)
		ops->set_config_cb(dev, &cb);
	vring_post(&p.a, &p.rx, 0, p.rxbuf, RXBUF_LEN, VRING_DESC_F_WRITE);
	d = p.tx.desc;
	d[0].addr = rte_cpu_to_le_64(arena_iova(&p.a, p.txbuf));
	d[0].len = rte_cpu_to_le_32(NET_HDR_LEN + FRAME_LEN);
	switch (kind) {
	case BAD_UNMAPPED:
		d[0].addr = rte_cpu_to_le_64(DMA_TEST_IOVA);
		break;
	case BAD_CROSSES_END:
		d[0].addr = rte_cpu_to_le_64(arena_iova(&p.a, p.a.base) +
			p.a.size - 10);
		break;
	case BAD_LOOP:
		d[0].len = rte_cpu_to_le_32(36);
		d[0].flags = rte_cpu_to_le_16(VRING_DESC_F_NEXT);
		d[0].next = rte_cpu_to_le_16(1);
		d[1] = d[0];
		d[1].addr = rte_cpu_to_le_64(arena_iova(&p.a, p.txbuf + 36));
		d[1].next = rte_cpu_to_le_16(0);
		break;
	case BAD_HEAD:
		head = p.tx.num;
		break;
	case BAD_AVAIL_IDX:
		idx = p.tx.num + 5;
		break;
	case BAD_INDIRECT:
		d[0].len = rte_cpu_to_le_32(sizeof(struct vring_desc));
		d[0].flags = rte_cpu_to_le_16(VRING_DESC_F_INDIRECT);
		break;
	}
	p.tx.avail->ring[0] = rte_cpu_to_le_16(head);
	__atomic_store_n(&p.tx.avail->idx, rte_cpu_to_le_16(idx),
		__ATOMIC_RELEASE);
	if (stats)
		CONF_CHECK_RC(res, ops->reset_vq_stats(dev, 1), 0);
	pair_start(dev);
	CONF_CHECK(res, wait_status(dev, VIRTIO_CONFIG_S_NEEDS_RESET, WAIT_MS),
		"status 0x%02x 1 s after the bad chain: no NEEDS_RESET",
		ops->get_status(dev));
	if (stats) {
		CONF_CHECK_RC(res, ops->get_vq_stats(dev, 1, &s), 0);
		CONF_CHECK(res, bad_counter(&s, kind) > 0, "tx %s is 0 "
			"after the bad chain (%s)", bad_counter_name[kind],
			stats_fmt(&s));
	}
	CONF_CHECK(res, used_idx(&p.rx) == 0, "a broken tx chain was "
		"delivered to rx");
	if (cfg == CFG_CB_SET && !wait_calls(&cb_cfg, WAIT_MS))
		conf_skip(res, "no config callback within 1 s of NEEDS_RESET "
			"(the virtio spec asks for a configuration change "
			"notification; the header does not say)");
	if (cfg == CFG_CB_RESET) {
		sleep_ms(QUIET_MS);
		CONF_CHECK(res, cb_calls(&cb_cfg) == 0, "config callback "
			"fired %u times after a reset cleared it",
			cb_calls(&cb_cfg));
	}
	/* A reset brings the device back. */
	dev_reset(dev);
	st = ops->get_status(dev);
	CONF_CHECK(res, st == 0, "status 0x%02x after reset", st);
	NEGOTIATE(FEAT(VIRTIO_F_VERSION_1));
out:
	arena_fini(dev, &p.a);
	ops->set_config_cb(dev, NULL);
}

static void
bad_tx(struct rte_mdev_device *dev, struct conf_result *res,
	enum bad_kind kind)
{
	bad_tx_cfg(dev, res, kind, CFG_CB_NONE);
}

/* NEEDS_RESET comes with a config change notification (virtio spec). */
static void
case_config_cb_needs_reset(struct rte_mdev_device *dev,
	struct conf_result *res)
{
	bad_tx_cfg(dev, res, BAD_UNMAPPED, CFG_CB_SET);
}

/* ... which a reset clears ("config callback cleared"). */
static void
case_config_cb_cleared_by_reset(struct rte_mdev_device *dev,
	struct conf_result *res)
{
	bad_tx_cfg(dev, res, BAD_UNMAPPED, CFG_CB_SET);
	if (res->verdict != CONF_PASS) {
		if (res->verdict == CONF_SKIP)
			snprintf(res->why, sizeof(res->why), "the device "
				"sends no config callback to observe");
		return;
	}
	bad_tx_cfg(dev, res, BAD_UNMAPPED, CFG_CB_RESET);
}

CASE_OF(bad_desc_unmapped, bad_tx, BAD_UNMAPPED)
CASE_OF(bad_desc_crosses_end, bad_tx, BAD_CROSSES_END)
CASE_OF(bad_chain_loop, bad_tx, BAD_LOOP)
CASE_OF(bad_avail_head, bad_tx, BAD_HEAD)
CASE_OF(bad_avail_idx, bad_tx, BAD_AVAIL_IDX)
CASE_OF(bad_indirect, bad_tx, BAD_INDIRECT)

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
	RING64_SETUP(&a, &vr, true);
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
	bad_tx(dev, res, BAD_UNMAPPED);
	CONF_CHECK_RC(res, dev->ops->dma_unmap(dev, asid, DMA_TEST_IOVA,
		PAGE_SZ), 0);
	for (i = 0; i < PAGE_SZ; i++)
		CONF_CHECK(res, page[i] == 0xa5, "byte %u of the page in "
			"address space %u changed", i, asid);
out:
	return;
}

/* Loopback with no rx buffer: the packet is dropped and counted. */
static void
case_rx_no_buffer(struct rte_mdev_device *dev, struct conf_result *res)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	bool stats = has_mdev_feature(dev, RTE_VIRTIO_MDEV_F_VQ_STATS);
	struct rte_virtio_mdev_vq_stats rx, tx;
	struct pair p = { .a = { .base = NULL } };
	uint64_t end;
	uint8_t s;

	if (!conf_opts.loopback) {
		conf_skip(res, "no loopback wire");
		return;
	}
	PAIR_SETUP(&p, PAIR_NO_POST);
	vring_post(&p.a, &p.tx, 0, p.txbuf, NET_HDR_LEN + FRAME_LEN, 0);
	if (stats) {
		CONF_CHECK_RC(res, ops->reset_vq_stats(dev, 0), 0);
		CONF_CHECK_RC(res, ops->reset_vq_stats(dev, 1), 0);
	}
	pair_start(dev);
	CONF_CHECK(res, wait_used(&p.tx, 1, WAIT_MS), "tx held back for 1 s "
		"while rx has no buffer (the header says such packets are "
		"dropped and counted in completion_errors)");
	if (stats) {
		end = now_ms() + WAIT_MS;
		do {
			ops->get_vq_stats(dev, 0, &rx);
			ops->get_vq_stats(dev, 1, &tx);
			if (rx.completion_errors + tx.completion_errors > 0)
				break;
			sleep_ms(1);
		} while (now_ms() <= end);
		CONF_CHECK(res, rx.completion_errors + tx.completion_errors
			== 1, "completion_errors rx %" PRIu64 " tx %" PRIu64
			" after one packet dropped for lack of an rx buffer",
			rx.completion_errors, tx.completion_errors);
		conf_note(res, "the drop is counted on the %s queue",
			rx.completion_errors ? "rx" : "tx");
	}
	s = ops->get_status(dev);
	CONF_CHECK(res, s == S_RUNNING, "status 0x%02x after a drop", s);
out:
	arena_fini(dev, &p.a);
}

/* Snapshot of what the device writes: both used rings, the rx slots. */
struct snap {
	uint8_t *copy;
	size_t len;
};

static int
snap_take(const struct pair *p, struct snap *sn)
{
	sn->len = p->a.size;
	sn->copy = malloc(sn->len);
	if (sn->copy == NULL)
		return -ENOMEM;
	memcpy(sn->copy, p->a.base, sn->len);
	return 0;
}

/* Offset of the first byte that changed since the snapshot, or -1. */
static long
snap_diff(const struct pair *p, const struct snap *sn)
{
	size_t i;

	for (i = 0; i < sn->len; i++)
		if (sn->copy[i] != ((volatile uint8_t *)p->a.base)[i])
			return (long)i;
	return -1;
}

enum quiesce_how {
	QUIESCE_RESET,		/* set_status(0) */
	QUIESCE_DISABLE,	/* set_vq_ready(false) on rx and tx */
	QUIESCE_UNMAP,		/* dma_unmap of the memory under the rings */
};

/*
 * Stop a device in the middle of a full ring of packets: once the op
 * returns, the device writes nothing more (the header: "stops the
 * device using ... before it returns"). Repeated to land at different
 * points of the device's work.
 */
static void
quiesce(struct rte_mdev_device *dev, struct conf_result *res,
	enum quiesce_how how)
{
	static const char * const what[] = {
		[QUIESCE_RESET] = "reset",
		[QUIESCE_DISABLE] = "set_vq_ready(false)",
		[QUIESCE_UNMAP] = "dma_unmap",
	};
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	struct pair p = { .a = { .base = NULL } };
	struct snap sn = { NULL, 0 };
	unsigned int round, moved = 0, midway = 0;
	uint64_t end;
	uint16_t at;
	long off;

	for (round = 0; round < 10; round++) {
		PAIR_SETUP(&p, PAIR_FULL);
		pair_start(dev);
		/* Odd rounds stop once the device is under way. */
		end = now_ms() + WAIT_MS;
		while ((round & 1) && used_idx(&p.tx) == 0 && now_ms() <= end)
			rte_pause();
		switch (how) {
		case QUIESCE_RESET:
			dev_reset(dev);
			break;
		case QUIESCE_DISABLE:
			CONF_CHECK_RC(res, ops->set_vq_ready(dev, 1, false), 0);
			CONF_CHECK_RC(res, ops->set_vq_ready(dev, 0, false), 0);
			break;
		case QUIESCE_UNMAP:
			CONF_CHECK_RC(res, ops->dma_unmap(dev, 0,
				p.a.maps[0].iova, p.a.maps[0].size), 0);
			p.a.nmaps = 0;
			break;
		}
		CONF_CHECK(res, snap_take(&p, &sn) == 0, "out of memory");
		at = used_idx(&p.tx);
		moved += at != 0;
		midway += at != 0 && at != p.tx.num;
		sleep_ms(20);
		off = snap_diff(&p, &sn);
		CONF_CHECK(res, off < 0, "round %u: the device wrote byte %ld "
			"of the ring memory after %s returned", round, off,
			what[how]);
		free(sn.copy);
		sn.copy = NULL;
		arena_fini(dev, &p.a);
	}
	conf_note(res, "stopped %u of 10 times after the first packet, "
		"%u of them with packets left", moved, midway);
out:
	free(sn.copy);
	arena_fini(dev, &p.a);
}

CASE_OF(reset_quiesces, quiesce, QUIESCE_RESET)
CASE_OF(vq_disable_quiesces, quiesce, QUIESCE_DISABLE)
CASE_OF(dma_unmap_quiesces, quiesce, QUIESCE_UNMAP)

/* kick_vq may be called from any data path thread: from a callback too. */
struct kick_ctx {
	struct rte_mdev_device *dev;
	uint16_t qid;
	uint32_t calls;
};

static void
cb_kick(void *arg)
{
	struct kick_ctx *k = arg;

	k->dev->ops->kick_vq(k->dev, k->qid);
	__atomic_fetch_add(&k->calls, 1, __ATOMIC_RELAXED);
}

static void
case_vq_cb_kick(struct rte_mdev_device *dev, struct conf_result *res)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	struct kick_ctx k[2] = { { dev, 0, 0 }, { dev, 1, 0 } };
	struct rte_virtio_mdev_callback cb0 = { cb_kick, &k[0] };
	struct rte_virtio_mdev_callback cb1 = { cb_kick, &k[1] };
	struct pair p = { .a = { .base = NULL } };
	uint64_t end;

	PAIR_SETUP(&p, PAIR_FULL);
	ops->set_vq_cb(dev, 0, &cb0);
	ops->set_vq_cb(dev, 1, &cb1);
	pair_start(dev);
	CONF_CHECK(res, wait_used(&p.tx, p.tx.num, WAIT_MS), "tx used %u of "
		"%u within 1 s while callbacks kick", used_idx(&p.tx),
		p.tx.num);
	end = now_ms() + WAIT_MS;
	while (__atomic_load_n(&k[1].calls, __ATOMIC_RELAXED) == 0 &&
			now_ms() <= end)
		sleep_ms(1);
	CONF_CHECK(res, k[1].calls > 0, "tx callback never fired");
	CONF_CHECK(res, ops->get_status(dev) == S_RUNNING, "status 0x%02x",
		ops->get_status(dev));
out:
	arena_fini(dev, &p.a);
	ops->set_vq_cb(dev, 0, NULL);
	ops->set_vq_cb(dev, 1, NULL);
}

enum cb_mode {
	CB_SET,		/* callbacks set: they must fire */
	CB_SUPPRESSED,	/* set, but the driver asks for no interrupt */
	CB_CLEARED,	/* set, then cleared with NULL / fn == NULL */
	CB_RESET,	/* set, then cleared by a reset */
};

static void
callbacks(struct rte_mdev_device *dev, struct conf_result *res,
	enum cb_mode mode)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	struct rte_virtio_mdev_callback rx = { cb_count, &cb_rx };
	struct rte_virtio_mdev_callback tx = { cb_count, &cb_tx };
	struct rte_virtio_mdev_callback nofn = { NULL, &cb_tx };
	struct pair p = { .a = { .base = NULL } };

	cb_clear(&cb_rx);
	cb_clear(&cb_tx);
	if (mode == CB_RESET) {
		/* pair_setup starts with a reset of this negotiated device. */
		NEGOTIATE(FEAT(VIRTIO_F_VERSION_1));
		ops->set_vq_cb(dev, 0, &rx);
		ops->set_vq_cb(dev, 1, &tx);
	}
	PAIR_SETUP(&p, mode == CB_SUPPRESSED ? PAIR_NO_INTERRUPT : 0);
	if (mode == CB_SET || mode == CB_SUPPRESSED || mode == CB_CLEARED) {
		ops->set_vq_cb(dev, 0, &rx);
		ops->set_vq_cb(dev, 1, &tx);
	}
	if (mode == CB_CLEARED) {
		ops->set_vq_cb(dev, 0, NULL);
		ops->set_vq_cb(dev, 1, &nofn);
	}
	pair_start(dev);
	PAIR_WAIT(&p);
	if (mode == CB_SET) {
		CONF_CHECK(res, wait_calls(&cb_tx, WAIT_MS), "tx callback did "
			"not fire within 1 s of a used tx buffer");
		CONF_CHECK(res, !conf_opts.loopback ||
			wait_calls(&cb_rx, WAIT_MS), "rx callback did not "
			"fire within 1 s of a used rx buffer");
		goto out;
	}
	sleep_ms(QUIET_MS);
	CONF_CHECK(res, cb_calls(&cb_rx) == 0 && cb_calls(&cb_tx) == 0,
		"callbacks fired (rx %u, tx %u) %s", cb_calls(&cb_rx),
		cb_calls(&cb_tx),
		mode == CB_SUPPRESSED ? "with VRING_AVAIL_F_NO_INTERRUPT set" :
		mode == CB_CLEARED ? "after set_vq_cb(NULL / fn NULL)" :
		"after a reset cleared them");
out:
	arena_fini(dev, &p.a);
	/* Nothing of ours may be called once the case is over. */
	ops->set_vq_cb(dev, 0, NULL);
	ops->set_vq_cb(dev, 1, NULL);
}

CASE_OF(vq_cb, callbacks, CB_SET)
CASE_OF(vq_cb_no_interrupt, callbacks, CB_SUPPRESSED)
CASE_OF(vq_cb_cleared, callbacks, CB_CLEARED)
CASE_OF(vq_cb_cleared_by_reset, callbacks, CB_RESET)

/* The counters in words (a static buffer: one use per message). */
static const char *
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

static const char *
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

static bool
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

static void
case_vq_stats(struct rte_mdev_device *dev, struct conf_result *res)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	struct rte_virtio_mdev_vq_stats s;
	struct pair p = { .a = { .base = NULL } };
	uint16_t q;

	if (!has_mdev_feature(dev, RTE_VIRTIO_MDEV_F_VQ_STATS)) {
		conf_skip(res, "RTE_VIRTIO_MDEV_F_VQ_STATS not advertised");
		return;
	}
	PAIR_SETUP(&p, 0);
	for (q = 0; q < 2; q++) {
		CONF_CHECK_RC(res, ops->reset_vq_stats(dev, q), 0);
		memset(&s, 0xff, sizeof(s));
		CONF_CHECK_RC(res, ops->get_vq_stats(dev, q, &s), 0);
		CONF_CHECK(res, stats_check(&s, 0, 0) == NULL,
			"q%u after reset_vq_stats: %s", q,
			stats_check(&s, 0, 0));
	}
	pair_start(dev);
	PAIR_WAIT(&p);
	CONF_CHECK(res, wait_stats(dev, 1, 1, 1, &s), "tx counters after one "
		"packet: %s", stats_check(&s, 1, 1));
	if (conf_opts.loopback)
		CONF_CHECK(res, wait_stats(dev, 0, 1, 1, &s), "rx counters "
			"after one packet: %s", stats_check(&s, 1, 1));
	/* The header does not say whether a device reset zeroes them. */
	dev_reset(dev);
	CONF_CHECK_RC(res, ops->get_vq_stats(dev, 1, &s), 0);
	conf_note(res, "a device reset %s the counters",
		s.completed_descs ? "keeps" : "zeroes");
	for (q = 0; q < 2; q++) {
		CONF_CHECK_RC(res, ops->reset_vq_stats(dev, q), 0);
		CONF_CHECK_RC(res, ops->get_vq_stats(dev, q, &s), 0);
		CONF_CHECK(res, stats_check(&s, 0, 0) == NULL,
			"q%u after reset_vq_stats: %s", q,
			stats_check(&s, 0, 0));
	}
out:
	arena_fini(dev, &p.a);
}

static bool
log_bit(const uint8_t *log, uint64_t iova)
{
	uint64_t page = iova / 4096;

	return (log[page / 8] >> (page % 8)) & 1;
}

static void
case_log_dirty(struct rte_mdev_device *dev, struct conf_result *res)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	struct pair p = { .a = { .base = NULL } };
	uint8_t *log = NULL;
	uint64_t log_size;
	bool enabled = false;

	if (!has_mdev_feature(dev, RTE_VIRTIO_MDEV_F_LOG_DIRTY)) {
		conf_skip(res, "RTE_VIRTIO_MDEV_F_LOG_DIRTY not advertised");
		return;
	}
	PAIR_SETUP(&p, PAIR_LOW_IOVA);
	log_size = (LOW_IOVA + p.a.size) / 4096 / 8 + 1;
	log = calloc(1, log_size);
	CONF_CHECK(res, log != NULL, "out of memory");
	CONF_CHECK_RC(res, ops->set_log_base(dev, log, log_size), 0);
	CONF_CHECK_RC(res, ops->set_log_enable(dev, true), 0);
	enabled = true;
	CONF_CHECK_RC(res, ops->set_log_base(dev, log, log_size), -EBUSY);
	pair_start(dev);
	PAIR_WAIT(&p);
	CONF_CHECK(res, log_bit(log, arena_iova(&p.a, p.tx.used)),
		"page of the tx used ring (written) not marked dirty");
	CONF_CHECK(res, !conf_opts.loopback ||
		(log_bit(log, arena_iova(&p.a, p.rxbuf)) &&
		 log_bit(log, arena_iova(&p.a, p.rx.used))),
		"page of the rx buffer or rx used ring not marked dirty");
	CONF_CHECK(res, !log_bit(log, arena_iova(&p.a, p.txbuf + 40)),
		"page of the tx buffer (only read) marked dirty");
	CONF_CHECK_RC(res, ops->set_log_enable(dev, false), 0);
	enabled = false;
	CONF_CHECK_RC(res, ops->set_log_base(dev, log, log_size), 0);
out:
	if (enabled)
		ops->set_log_enable(dev, false);
	arena_fini(dev, &p.a);
	free(log);
}

/* A control queue command: header, one data byte, the ack. */
static int
ctrl_cmd(struct rte_mdev_device *dev, struct arena *a, struct vring *vr,
	uint16_t qid, uint8_t class, uint8_t cmd, uint8_t data, uint8_t *ack)
{
	uint8_t *buf = arena_take(a, 64, 64);
	uint16_t idx = rte_le_to_cpu_16(vr->avail->idx);
	uint16_t head = (idx * 3) % vr->num;
	unsigned int i;

	if (buf == NULL)
		return -ENOMEM;
	buf[0] = class;
	buf[1] = cmd;
	buf[2] = data;
	buf[3] = 0xee;
	for (i = 0; i < 3; i++) {
		struct vring_desc *d = &vr->desc[head + i];

		d->addr = rte_cpu_to_le_64(arena_iova(a, buf + (i == 0 ? 0 :
			i + 1)));
		d->len = rte_cpu_to_le_32(i == 0 ? 2 : 1);
		d->flags = rte_cpu_to_le_16(i < 2 ? VRING_DESC_F_NEXT :
			VRING_DESC_F_WRITE);
		d->next = rte_cpu_to_le_16(head + i + 1);
	}
	vr->avail->ring[idx % vr->num] = rte_cpu_to_le_16(head);
	__atomic_store_n(&vr->avail->idx, rte_cpu_to_le_16(idx + 1),
		__ATOMIC_RELEASE);
	dev->ops->kick_vq(dev, qid);
	if (!wait_used(vr, idx + 1, WAIT_MS))
		return -ETIMEDOUT;
	*ack = __atomic_load_n(&buf[3], __ATOMIC_ACQUIRE);
	return 0;
}

/*
 * The control queue is 2N, N = max_virtqueue_pairs with MQ negotiated
 * and 1 without (virtio spec, "Device Types: Network Device").
 */
static void
ctrl_run(struct rte_mdev_device *dev, struct conf_result *res, bool mq)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	uint64_t f = offered(dev), want = FEAT(VIRTIO_F_VERSION_1);
	struct arena a = { .base = NULL };
	struct vring vr;
	uint16_t qid;
	uint8_t ack;

	want |= f & (FEAT(VIRTIO_NET_F_CTRL_VQ) | FEAT(VIRTIO_NET_F_CTRL_RX));
	if (mq)
		want |= FEAT(VIRTIO_NET_F_MQ);
	qid = mq ? 2 * max_pairs(dev) : 2;
	NEGOTIATE(want);
	CONF_CHECK(res, arena_init(&a, arena_size_for(dev, 1, 64, PAGE_SZ))
		== 0 && vring_take(dev, &a, &vr, 64) == 0, "out of memory");
	CONF_CHECK_RC(res, arena_map(dev, &a), 0);
	CONF_CHECK_RC(res, vq_program(dev, qid, &a, &vr), 0);
	CONF_CHECK_RC(res, ops->set_vq_ready(dev, qid, true), 0);
	ops->set_status(dev, S_RUNNING);
	/* An unknown class is answered with an error, not ignored. */
	CONF_CHECK(res, ctrl_cmd(dev, &a, &vr, qid, 0xfe, 0, 0, &ack) == 0,
		"no answer on queue %u (control queue with MQ %s) within 1 s",
		qid, mq ? "negotiated" : "not negotiated");
	CONF_CHECK(res, ack == VIRTIO_NET_ERR, "ack 0x%02x for an unknown "
		"command class, expected VIRTIO_NET_ERR", ack);
	if (f & FEAT(VIRTIO_NET_F_CTRL_RX)) {
		CONF_CHECK_RC(res, ctrl_cmd(dev, &a, &vr, qid,
			VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_PROMISC, 1,
			&ack), 0);
		CONF_CHECK(res, ack == VIRTIO_NET_OK, "ack 0x%02x for "
			"RX_PROMISC on, expected VIRTIO_NET_OK", ack);
		CONF_CHECK_RC(res, ctrl_cmd(dev, &a, &vr, qid,
			VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_PROMISC, 0,
			&ack), 0);
		CONF_CHECK(res, ack == VIRTIO_NET_OK, "ack 0x%02x for "
			"RX_PROMISC off, expected VIRTIO_NET_OK", ack);
	}
out:
	arena_fini(dev, &a);
}

static void
case_ctrl_vq(struct rte_mdev_device *dev, struct conf_result *res)
{
	if (!(offered(dev) & FEAT(VIRTIO_NET_F_CTRL_VQ))) {
		conf_skip(res, "VIRTIO_NET_F_CTRL_VQ not offered");
		return;
	}
	ctrl_run(dev, res, false);
}

static void
case_ctrl_vq_mq(struct rte_mdev_device *dev, struct conf_result *res)
{
	const uint64_t need = FEAT(VIRTIO_NET_F_CTRL_VQ) |
		FEAT(VIRTIO_NET_F_MQ);

	if ((offered(dev) & need) != need) {
		conf_skip(res, "VIRTIO_NET_F_CTRL_VQ and _MQ not both offered");
		return;
	}
	ctrl_run(dev, res, true);
}

static void
case_config_cb(struct rte_mdev_device *dev, struct conf_result *res)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	struct rte_virtio_mdev_callback cb = { cb_count, &cb_rx };
	uint8_t s;

	/* No way to make a config change through the ops: set and clear,
	 * and the device stays usable.
	 */
	ops->set_config_cb(dev, &cb);
	ops->set_config_cb(dev, NULL);
	NEGOTIATE(FEAT(VIRTIO_F_VERSION_1));
	s = ops->get_status(dev);
	CONF_CHECK(res, s == S_NEGOTIATED, "status 0x%02x", s);
out:
	ops->set_config_cb(dev, NULL);
	dev_reset(dev);
}

#define CASE(n) { #n, case_ ## n }

const struct conf_case conf_device_cases[] = {
	CASE(status_new),	/* first: the device is still new */
	CASE(mdev_features),
	CASE(device_id),
	CASE(vendor_id),
	CASE(features_offered),
	CASE(status_negotiate),
	CASE(features_ok_no_version_1),
	CASE(features_ok_unoffered),
	CASE(set_features_busy),
	CASE(driver_ok_without_features_ok),
	CASE(status_skip_step),
	CASE(reset),
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
	CASE(config_size),
	CASE(config_bytes),
	CASE(config_readonly),
	CASE(generation),
	CASE(read_config),
	CASE(config_cb),
	CASE(dma_map_errors),
	CASE(dma_unmap),
	CASE(dma_survives_reset),
	CASE(dma_map_many),
	CASE(asid_ops),
	CASE(asid_isolation),
	CASE(kick_not_ready),
	CASE(qid_out_of_range),
	CASE(data_path),
	CASE(data_path_two_mappings),
	CASE(data_path_iova_offset),
	CASE(vq_disable_stops),
	CASE(reset_quiesces),
	CASE(vq_disable_quiesces),
	CASE(dma_unmap_quiesces),
	CASE(vq_cb_kick),
	CASE(rx_no_buffer),
	CASE(bad_desc_unmapped),
	CASE(bad_desc_crosses_end),
	CASE(bad_chain_loop),
	CASE(bad_avail_head),
	CASE(bad_avail_idx),
	CASE(bad_indirect),
	CASE(config_cb_needs_reset),
	CASE(config_cb_cleared_by_reset),
	CASE(vq_cb),
	CASE(vq_cb_no_interrupt),
	CASE(vq_cb_cleared),
	CASE(vq_cb_cleared_by_reset),
	CASE(vq_stats),
	CASE(log_dirty),
	CASE(ctrl_vq),
	CASE(ctrl_vq_mq),
};

const unsigned int conf_device_cases_count = RTE_DIM(conf_device_cases);
