/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * What an untrusted driver may do: kicks on queues that are not ready,
 * queue ids out of range, broken descriptor chains (bad_*) on either
 * ring layout, and the config callback around NEEDS_RESET.
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
	if (negotiate(dev, FEAT(VIRTIO_F_VERSION_1), res, __LINE__) != 0)
		goto out;
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

	if (negotiate(dev, FEAT(VIRTIO_F_VERSION_1), res, __LINE__) != 0)
		goto out;
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
/* The driver is untrusted: what a broken tx queue must do. */
enum bad_kind {
	BAD_UNMAPPED,		/* buffer outside every mapping */
	BAD_CROSSES_END,	/* buffer running off a mapping's end */
	BAD_LOOP,		/* split: chain 0 -> 1 -> 0; packed: a chain
				 * of NEXT through the whole ring */
	BAD_HEAD,		/* split: avail entry beyond the ring */
	BAD_AVAIL_IDX,		/* split: avail index more than num ahead */
	BAD_INDIRECT,		/* INDIRECT flag, feature not negotiated */
	BAD_WRAP,		/* packed: the chain's second descriptor is
				 * not available for the wrap counter */
};

static uint64_t
bad_counter(const struct rte_virtio_mdev_vq_stats *s, enum bad_kind kind,
	enum conf_layout layout)
{
	switch (kind) {
	case BAD_LOOP:
		/* packed: the walk meets the ring's start again, now for
		 * the other wrap counter: either counter fits
		 */
		return s->exceed_max_chain + (layout == CONF_PACKED ?
			s->bad_desc_errors : 0);
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
	[BAD_WRAP] = "bad_desc_errors",
};

/* The config callback around a queue breaking (see config_cb_*). */
enum cfg_cb_mode {
	CFG_CB_NONE,
	CFG_CB_SET,		/* set after the last reset */
	CFG_CB_RESET,		/* set, then cleared by a reset */
};

/* Split: the bad chain at descriptor 0, exposed by the avail ring. */
static void
bad_post_split(struct pair *p, enum bad_kind kind)
{
	struct vring *vr = &p->tx.vr;
	struct vring_desc *d = vr->desc;
	uint16_t head = 0, idx = 1;

	d[0].addr = rte_cpu_to_le_64(arena_iova(&p->a, p->txbuf));
	d[0].len = rte_cpu_to_le_32(NET_HDR_LEN + FRAME_LEN);
	switch (kind) {
	case BAD_UNMAPPED:
		d[0].addr = rte_cpu_to_le_64(DMA_TEST_IOVA);
		break;
	case BAD_CROSSES_END:
		d[0].addr = rte_cpu_to_le_64(arena_iova(&p->a, p->a.base) +
			p->a.size - 10);
		break;
	case BAD_LOOP:
		d[0].len = rte_cpu_to_le_32(36);
		d[0].flags = rte_cpu_to_le_16(VRING_DESC_F_NEXT);
		d[0].next = rte_cpu_to_le_16(1);
		d[1] = d[0];
		d[1].addr = rte_cpu_to_le_64(arena_iova(&p->a, p->txbuf + 36));
		d[1].next = rte_cpu_to_le_16(0);
		break;
	case BAD_HEAD:
		head = vr->num;
		break;
	case BAD_AVAIL_IDX:
		idx = vr->num + 5;
		break;
	case BAD_INDIRECT:
		d[0].len = rte_cpu_to_le_32(sizeof(struct vring_desc));
		d[0].flags = rte_cpu_to_le_16(VRING_DESC_F_INDIRECT);
		break;
	case BAD_WRAP:
		break;
	}
	vr->avail->ring[0] = rte_cpu_to_le_16(head);
	__atomic_store_n(&vr->avail->idx, rte_cpu_to_le_16(idx),
		__ATOMIC_RELEASE);
}

/* Packed: the bad chain from descriptor 0, driver wrap counter 1. */
static void
bad_post_packed(struct pair *p, enum bad_kind kind)
{
	const uint16_t avail = 1u << VRING_PACKED_DESC_F_AVAIL;
	const uint16_t used = 1u << VRING_PACKED_DESC_F_USED;
	struct vring_packed_desc *d = p->tx.desc;
	uint16_t f0 = avail, i;

	d[0].addr = rte_cpu_to_le_64(arena_iova(&p->a, p->txbuf));
	d[0].len = rte_cpu_to_le_32(NET_HDR_LEN + FRAME_LEN);
	d[0].id = 0;
	switch (kind) {
	case BAD_UNMAPPED:
		d[0].addr = rte_cpu_to_le_64(DMA_TEST_IOVA);
		break;
	case BAD_CROSSES_END:
		d[0].addr = rte_cpu_to_le_64(arena_iova(&p->a, p->a.base) +
			p->a.size - 10);
		break;
	case BAD_LOOP:
		/* Every descriptor continues the chain: it never ends. */
		for (i = 1; i < p->tx.num; i++) {
			d[i] = d[0];
			d[i].len = rte_cpu_to_le_32(1);
			d[i].flags = rte_cpu_to_le_16(avail |
				VRING_DESC_F_NEXT);
		}
		f0 |= VRING_DESC_F_NEXT;
		break;
	case BAD_INDIRECT:
		d[0].len = rte_cpu_to_le_32(sizeof(struct vring_packed_desc));
		f0 |= VRING_DESC_F_INDIRECT;
		break;
	case BAD_WRAP:
		/* The head is available, the next one looks used. */
		d[0].len = rte_cpu_to_le_32(36);
		d[1] = d[0];
		d[1].addr = rte_cpu_to_le_64(arena_iova(&p->a, p->txbuf + 36));
		d[1].len = rte_cpu_to_le_32(NET_HDR_LEN + FRAME_LEN - 36);
		d[1].flags = rte_cpu_to_le_16(avail | used);
		f0 |= VRING_DESC_F_NEXT;
		break;
	case BAD_HEAD:
	case BAD_AVAIL_IDX:
		break;
	}
	__atomic_store_n(&d[0].flags, rte_cpu_to_le_16(f0), __ATOMIC_RELEASE);
}

static void
bad_tx_cfg(struct rte_mdev_device *dev, struct conf_result *res,
	enum bad_kind kind, enum cfg_cb_mode cfg, enum conf_layout layout)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	bool stats = has_mdev_feature(dev, RTE_VIRTIO_MDEV_F_VQ_STATS);
	struct rte_virtio_mdev_vq_stats s;
	struct pair p = { .a = { .base = NULL } };
	struct rte_virtio_mdev_callback cb = { cb_count, &cb_cfg };
	uint8_t st;

	cb_clear(&cb_cfg);
	if (cfg == CFG_CB_RESET) {
		if (negotiate(dev, FEAT(VIRTIO_F_VERSION_1), res,
				__LINE__) != 0)
			goto out;
		ops->set_config_cb(dev, &cb);
	}
	if (pair_setup(dev, &p, PAIR_NO_POST, layout, res, __LINE__) != 0)
		goto out;
	if (cfg == CFG_CB_SET)
		ops->set_config_cb(dev, &cb);
	ring_post(&p.rx, 0, p.rxbuf, RXBUF_LEN, true);
	if (layout == CONF_PACKED)
		bad_post_packed(&p, kind);
	else
		bad_post_split(&p, kind);
	if (stats)
		CONF_CHECK_RC(res, ops->reset_vq_stats(dev, 1), 0);
	pair_start(dev);
	CONF_CHECK(res, wait_status(dev, VIRTIO_CONFIG_S_NEEDS_RESET, WAIT_MS),
		"status 0x%02x 1 s after the bad chain: no NEEDS_RESET",
		ops->get_status(dev));
	if (stats) {
		CONF_CHECK_RC(res, ops->get_vq_stats(dev, 1, &s), 0);
		CONF_CHECK(res, bad_counter(&s, kind, layout) > 0, "tx %s is 0 "
			"after the bad chain (%s)", bad_counter_name[kind],
			stats_fmt(&s));
	}
	CONF_CHECK(res, ring_done(&p.rx) == 0, "a broken tx chain was "
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
	if (negotiate(dev, FEAT(VIRTIO_F_VERSION_1), res, __LINE__) != 0)
		goto out;
out:
	arena_fini(dev, &p.a);
	ops->set_config_cb(dev, NULL);
}

static void
bad_tx(struct rte_mdev_device *dev, struct conf_result *res,
	enum bad_kind kind, enum conf_layout layout)
{
	bad_tx_cfg(dev, res, kind, CFG_CB_NONE, layout);
}

void
bad_tx_unmapped(struct rte_mdev_device *dev, struct conf_result *res)
{
	bad_tx(dev, res, BAD_UNMAPPED, CONF_SPLIT);
}

/* NEEDS_RESET comes with a config change notification (virtio spec). */
static void
case_config_cb_needs_reset(struct rte_mdev_device *dev,
	struct conf_result *res)
{
	bad_tx_cfg(dev, res, BAD_UNMAPPED, CFG_CB_SET, CONF_SPLIT);
}

/* ... which a reset clears ("config callback cleared"). */
static void
case_config_cb_cleared_by_reset(struct rte_mdev_device *dev,
	struct conf_result *res)
{
	bad_tx_cfg(dev, res, BAD_UNMAPPED, CFG_CB_SET, CONF_SPLIT);
	if (res->verdict != CONF_PASS) {
		if (res->verdict == CONF_SKIP)
			snprintf(res->why, sizeof(res->why), "the device "
				"sends no config callback to observe");
		return;
	}
	bad_tx_cfg(dev, res, BAD_UNMAPPED, CFG_CB_RESET, CONF_SPLIT);
}

CASE_LAYOUTS(bad_desc_unmapped, bad_tx, BAD_UNMAPPED)
CASE_LAYOUTS(bad_desc_crosses_end, bad_tx, BAD_CROSSES_END)
CASE_LAYOUTS(bad_chain_loop, bad_tx, BAD_LOOP)
CASE_LAYOUTS(bad_indirect, bad_tx, BAD_INDIRECT)

/* Split only: packed rings have no avail ring. */
static void
case_bad_avail_head(struct rte_mdev_device *dev, struct conf_result *res)
{
	bad_tx(dev, res, BAD_HEAD, CONF_SPLIT);
}

static void
case_bad_avail_idx(struct rte_mdev_device *dev, struct conf_result *res)
{
	bad_tx(dev, res, BAD_AVAIL_IDX, CONF_SPLIT);
}

/* Packed only: a chain whose next descriptor has the wrong wrap bits. */
static void
case_bad_packed_wrap(struct rte_mdev_device *dev, struct conf_result *res)
{
	if (layout_offered(dev, CONF_PACKED, res))
		bad_tx(dev, res, BAD_WRAP, CONF_PACKED);
}

const struct conf_case conf_hostile_cases[] = {
	CASE(kick_not_ready),
	CASE(qid_out_of_range),
	CASE2(bad_desc_unmapped),
	CASE2(bad_desc_crosses_end),
	CASE2(bad_chain_loop),
	CASE(bad_avail_head),
	CASE(bad_avail_idx),
	CASE2(bad_indirect),
	CASE(bad_packed_wrap),
	CASE(config_cb_needs_reset),
	CASE(config_cb_cleared_by_reset),
};

const unsigned int conf_hostile_cases_count = RTE_DIM(conf_hostile_cases);
