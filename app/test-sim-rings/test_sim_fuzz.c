/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * Regression cases from the libFuzzer harnesses (tests/fuzz): each one
 * replays, as an ordinary test, the ring a fuzzer crashed the device
 * with. Sanitizer findings show only in the ASan build
 * (devtools/build.sh --asan); the cases also check the device's answer.
 */

#include <string.h>

#include <rte_common.h>

#include "sim_engine.h"
#include "test_sim.h"

#define F_AVAIL		(1u << VRING_PACKED_DESC_F_AVAIL)
#define F_USED		(1u << VRING_PACKED_DESC_F_USED)

/*
 * fuzz_sim_split: a tx chain of one empty buffer. The device has no
 * segment for it; the loopback's one-step check computed an address from
 * the NULL segment pointer before checking the segment count (undefined,
 * UBSan). The chain must complete and the queue stay usable.
 */
static int
fuzz_split_empty_tx(struct ctx *c)
{
	struct tq *tx = &c->q[1];
	struct rte_virtio_mdev_vq_stats s;

	if (dev_setup(c, T_BASE_FEATURES) != 0)
		return -1;
	post_rx(c, 0, 2, 2048);
	tq_push(tx, tq_desc(tx, zbuf(c, 64), 0, 0, 0));
	dev_poll(c);
	CHECK(c, tq_used_idx(tx) == 1, "empty tx chain not completed (used %u)",
		tq_used_idx(tx));
	CHECK(c, get_stats(c, 1, &s) == 0 && s.received_descs == 1 &&
		s.completed_descs == 1, "tx stats %" PRIu64 "/%" PRIu64,
		s.received_descs, s.completed_descs);
	CHECK(c, !(c->ops->get_status(c->dev) & VIRTIO_CONFIG_S_NEEDS_RESET),
		"an empty tx chain broke the device");
	return loop_check(c, 0, 64, 1) < 0 ? -1 : 0;
}

/* A packed queue of one descriptor, its ring the last 16 bytes of a region. */
static int
ring1_setup(struct ctx *c, uint16_t qid, uint64_t desc_iova, uint64_t ev)
{
	const struct rte_virtio_mdev_ops *ops = c->ops;
	int ret;

	ret = ops->set_vq_num(c->dev, qid, 1);
	if (ret == 0)
		ret = ops->set_vq_address(c->dev, qid, desc_iova, ev, ev + 16);
	if (ret == 0)
		ret = ops->set_vq_ready(c->dev, qid, true);
	return ret;
}

/*
 * fuzz_sim_packed: rings of one descriptor, each ending where its memory
 * ends. The engine's prefetch hint looked two slots ahead and wrapped
 * with one subtraction: pdesc[1], past the ring and here past the
 * memory (ASan: heap-buffer-overflow read in sim_packed_prefetch_buf).
 */
static int
fuzz_packed_ring_of_one(struct ctx *c)
{
	const struct rte_virtio_mdev_ops *ops = c->ops;
	uint8_t s = VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER;
	const uint64_t tx_iova = G_RING_IOVA + G_REGION_SIZE - 16;
	const uint64_t rx_iova = G_END_IOVA - 16;
	struct vring_packed_desc *tx = g_va(tx_iova, 16), *rx = g_va(rx_iova, 16);
	uint64_t tbuf, rbuf;
	uint16_t avail, f;
	uint8_t w = 1;
	int i;

	ctx_reset(c);
	memset(rx, 0, sizeof(*rx));
	ops->set_status(c->dev, VIRTIO_CONFIG_S_ACKNOWLEDGE);
	ops->set_status(c->dev, s);
	CHECK(c, ops->set_features(c->dev, T_BASE_FEATURES |
		T_FEAT(VIRTIO_F_RING_PACKED)) == 0, "packed features refused");
	s |= VIRTIO_CONFIG_S_FEATURES_OK;
	ops->set_status(c->dev, s);
	CHECK(c, ring1_setup(c, 0, rx_iova, G_RING_IOVA + 0x1000) == 0 &&
		ring1_setup(c, 1, tx_iova, G_RING_IOVA + 0x2000) == 0,
		"packed rings of 1 refused");
	if (dev_driver_ok(c, s) != 0)
		return -1;
	for (i = 0; i < 3; i++, w ^= 1) {
		avail = w ? F_AVAIL : F_USED;
		rbuf = zbuf(c, 2048);
		tbuf = zbuf(c, T_HDR_LEN + 64);
		*rx = (struct vring_packed_desc){ .addr = rbuf, .len = 2048 };
		*tx = (struct vring_packed_desc){ .addr = tbuf,
			.len = T_HDR_LEN + 64 };
		__atomic_store_n(&rx->flags, VRING_DESC_F_WRITE | avail,
			__ATOMIC_RELEASE);
		__atomic_store_n(&tx->flags, avail, __ATOMIC_RELEASE);
		sim_engine_poll_mdev(c->dev);
		f = __atomic_load_n(&tx->flags, __ATOMIC_ACQUIRE);
		CHECK(c, !!(f & F_AVAIL) == w && !!(f & F_USED) == w,
			"round %d: tx not used (flags 0x%x)", i, f);
		f = __atomic_load_n(&rx->flags, __ATOMIC_ACQUIRE);
		CHECK(c, !!(f & F_AVAIL) == w && !!(f & F_USED) == w &&
			rx->len == T_HDR_LEN + 64,
			"round %d: rx not used (flags 0x%x len %u)", i, f,
			rx->len);
	}
	return check_clean(c, 0) || check_clean(c, 1);
}

const struct test_case fuzz_cases[] = {
	{ "fuzz_split_empty_tx", fuzz_split_empty_tx },
	{ "fuzz_packed_ring_of_one", fuzz_packed_ring_of_one },
};
const unsigned int nb_fuzz_cases = RTE_DIM(fuzz_cases);
