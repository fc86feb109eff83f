/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * Optional features: queue counters (VQ_STATS) and dirty page logging
 * (LOG_DIRTY) and the control queue, on split and packed rings.
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

static void
vq_stats(struct rte_mdev_device *dev, struct conf_result *res,
	unsigned int flags, enum conf_layout layout)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	struct rte_virtio_mdev_vq_stats s;
	struct pair p = { .a = { .base = NULL } };
	uint16_t q;

	if (!has_mdev_feature(dev, RTE_VIRTIO_MDEV_F_VQ_STATS)) {
		conf_skip(res, "RTE_VIRTIO_MDEV_F_VQ_STATS not advertised");
		return;
	}
	if (pair_setup(dev, &p, flags, layout, res, __LINE__) != 0)
		goto out;
	for (q = 0; q < 2; q++) {
		CONF_CHECK_RC(res, ops->reset_vq_stats(dev, q), 0);
		memset(&s, 0xff, sizeof(s));
		CONF_CHECK_RC(res, ops->get_vq_stats(dev, q, &s), 0);
		CONF_CHECK(res, stats_check(&s, 0, 0) == NULL,
			"q%u after reset_vq_stats: %s", q,
			stats_check(&s, 0, 0));
	}
	pair_start(dev);
	if (!pair_wait(&p, res, __LINE__))
		goto out;
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

CASE_LAYOUTS(vq_stats, vq_stats, 0)

static bool
log_bit(const uint8_t *log, uint64_t iova)
{
	uint64_t page = iova / 4096;

	return (log[page / 8] >> (page % 8)) & 1;
}

static void
log_dirty(struct rte_mdev_device *dev, struct conf_result *res,
	unsigned int flags, enum conf_layout layout)
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
	if (pair_setup(dev, &p, flags | PAIR_LOW_IOVA, layout, res,
			__LINE__) != 0)
		goto out;
	log_size = (LOW_IOVA + p.a.size) / 4096 / 8 + 1;
	log = calloc(1, log_size);
	CONF_CHECK(res, log != NULL, "out of memory");
	CONF_CHECK_RC(res, ops->set_log_base(dev, log, log_size), 0);
	CONF_CHECK_RC(res, ops->set_log_enable(dev, true), 0);
	enabled = true;
	CONF_CHECK_RC(res, ops->set_log_base(dev, log, log_size), -EBUSY);
	pair_start(dev);
	if (!pair_wait(&p, res, __LINE__))
		goto out;
	CONF_CHECK(res, log_bit(log, arena_iova(&p.a, ring_used_area(&p.tx))),
		"page of the tx used entries (written) not marked dirty");
	CONF_CHECK(res, !conf_opts.loopback ||
		(log_bit(log, arena_iova(&p.a, p.rxbuf)) &&
		 log_bit(log, arena_iova(&p.a, ring_used_area(&p.rx)))),
		"page of the rx buffer or rx used entries not marked dirty");
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

CASE_LAYOUTS(log_dirty, log_dirty, 0)

/* A control queue command: header, one data byte, the ack. */
static int
ctrl_cmd(struct rte_mdev_device *dev, struct arena *a, struct conf_ring *r,
	uint16_t qid, uint8_t class, uint8_t cmd, uint8_t data, uint8_t *ack)
{
	uint8_t *buf = arena_take(a, 64, 64);
	struct conf_seg segs[3];

	if (buf == NULL)
		return -ENOMEM;
	buf[0] = class;
	buf[1] = cmd;
	buf[2] = data;
	buf[3] = 0xee;
	segs[0] = (struct conf_seg){ buf, 2, false };
	segs[1] = (struct conf_seg){ buf + 2, 1, false };
	segs[2] = (struct conf_seg){ buf + 3, 1, true };
	/* Split: descriptors 3k..3k+2 (mod num), free by now. */
	ring_post_chain(r, (uint16_t)((r->posted * 3) % r->num), segs, 3);
	dev->ops->kick_vq(dev, qid);
	if (!ring_wait(r, r->posted, WAIT_MS) || r->bad[0] != '\0')
		return -ETIMEDOUT;
	*ack = __atomic_load_n(&buf[3], __ATOMIC_ACQUIRE);
	return 0;
}

/*
 * The control queue is 2N, N = max_virtqueue_pairs with MQ negotiated
 * and 1 without (virtio spec, "Device Types: Network Device").
 */
static void
ctrl_run(struct rte_mdev_device *dev, struct conf_result *res, bool mq,
	enum conf_layout layout)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	uint64_t f = offered(dev), want = FEAT(VIRTIO_F_VERSION_1);
	const uint64_t need = FEAT(VIRTIO_NET_F_CTRL_VQ) |
		(mq ? FEAT(VIRTIO_NET_F_MQ) : 0);
	struct arena a = { .base = NULL };
	struct conf_ring r;
	uint16_t qid;
	uint8_t ack;

	if ((f & need) != need) {
		conf_skip(res, mq ? "VIRTIO_NET_F_CTRL_VQ and _MQ not both "
			"offered" : "VIRTIO_NET_F_CTRL_VQ not offered");
		return;
	}
	want |= f & (FEAT(VIRTIO_NET_F_CTRL_VQ) | FEAT(VIRTIO_NET_F_CTRL_RX));
	if (mq)
		want |= FEAT(VIRTIO_NET_F_MQ);
	if (layout == CONF_PACKED)
		want |= FEAT(VIRTIO_F_RING_PACKED);
	qid = mq ? 2 * max_pairs(dev) : 2;
	if (negotiate(dev, want, res, __LINE__) != 0)
		goto out;
	CONF_CHECK(res, arena_init(&a, ring_bytes(dev, 64) + 2 * PAGE_SZ)
		== 0 && ring_take(dev, &a, &r, 64, layout) == 0,
		"out of memory");
	CONF_CHECK_RC(res, arena_map(dev, &a), 0);
	CONF_CHECK_RC(res, ring_program(dev, qid, &r), 0);
	CONF_CHECK_RC(res, ops->set_vq_ready(dev, qid, true), 0);
	ops->set_status(dev, S_RUNNING);
	/* An unknown class is answered with an error, not ignored. */
	CONF_CHECK(res, ctrl_cmd(dev, &a, &r, qid, 0xfe, 0, 0, &ack) == 0,
		"no answer on queue %u (control queue with MQ %s) within 1 s: "
		"%s", qid, mq ? "negotiated" : "not negotiated",
		ring_stuck(&r));
	CONF_CHECK(res, ack == VIRTIO_NET_ERR, "ack 0x%02x for an unknown "
		"command class, expected VIRTIO_NET_ERR", ack);
	if (f & FEAT(VIRTIO_NET_F_CTRL_RX)) {
		CONF_CHECK(res, ctrl_cmd(dev, &a, &r, qid, VIRTIO_NET_CTRL_RX,
			VIRTIO_NET_CTRL_RX_PROMISC, 1, &ack) == 0,
			"RX_PROMISC on: no answer within 1 s: %s",
			ring_stuck(&r));
		CONF_CHECK(res, ack == VIRTIO_NET_OK, "ack 0x%02x for "
			"RX_PROMISC on, expected VIRTIO_NET_OK", ack);
		CONF_CHECK(res, ctrl_cmd(dev, &a, &r, qid, VIRTIO_NET_CTRL_RX,
			VIRTIO_NET_CTRL_RX_PROMISC, 0, &ack) == 0,
			"RX_PROMISC off: no answer within 1 s: %s",
			ring_stuck(&r));
		CONF_CHECK(res, ack == VIRTIO_NET_OK, "ack 0x%02x for "
			"RX_PROMISC off, expected VIRTIO_NET_OK", ack);
	}
out:
	arena_fini(dev, &a);
}

CASE_LAYOUTS(ctrl_vq, ctrl_run, false)
CASE_LAYOUTS(ctrl_vq_mq, ctrl_run, true)

const struct conf_case conf_features_cases[] = {
	CASE2(vq_stats),
	CASE2(log_dirty),
	CASE2(ctrl_vq),
	CASE2(ctrl_vq_mq),
};

const unsigned int conf_features_cases_count = RTE_DIM(conf_features_cases);
