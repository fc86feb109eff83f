/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * The ops table outside the data path: status machine, feature
 * negotiation, queue setup errors, state save/restore, config space,
 * DMA region table errors, counters.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/virtio_ids.h>

#include <rte_common.h>

#include "sim_iova.h"
#include "test_sim.h"

#define S_ACK VIRTIO_CONFIG_S_ACKNOWLEDGE
#define S_DRV VIRTIO_CONFIG_S_DRIVER
#define S_FOK VIRTIO_CONFIG_S_FEATURES_OK
#define S_DOK VIRTIO_CONFIG_S_DRIVER_OK
#define S_FAIL VIRTIO_CONFIG_S_FAILED

/* Reset, write the steps in order, return the status read back. */
static uint8_t
walk(struct ctx *c, const uint8_t *steps, int n)
{
	int i;

	c->ops->set_status(c->dev, 0);
	for (i = 0; i < n; i++)
		c->ops->set_status(c->dev, steps[i]);
	return c->ops->get_status(c->dev);
}

static int
ops_status_machine(struct ctx *c)
{
	const struct rte_virtio_mdev_ops *o = c->ops;
	static const uint8_t skip_ack[] = { S_DRV };
	static const uint8_t skip_fok[] = { S_ACK, S_ACK | S_DRV,
		S_ACK | S_DRV | S_DOK };
	static const uint8_t clear[] = { S_ACK, S_ACK | S_DRV, S_ACK };
	uint8_t st;

	o->set_status(c->dev, 0);
	CHECK(c, o->set_features(c->dev, T_FEAT(VIRTIO_F_VERSION_1)) == -EBUSY,
		"set_features before DRIVER accepted");
	CHECK(c, walk(c, skip_ack, 1) & S_FAIL, "DRIVER without ACK not FAILED");
	CHECK(c, walk(c, skip_fok, 3) & S_FAIL,
		"DRIVER_OK without FEATURES_OK not FAILED");
	CHECK(c, walk(c, clear, 3) & S_FAIL, "clearing DRIVER not FAILED");
	walk(c, skip_fok, 2);
	CHECK(c, o->set_features(c->dev, T_FEAT(VIRTIO_F_VERSION_1) |
		T_FEAT(VIRTIO_NET_F_RSS)) == -EINVAL,
		"feature not offered accepted");
	CHECK(c, o->set_features(c->dev, T_FEAT(VIRTIO_NET_F_MAC)) == 0,
		"set_features(MAC) failed");
	o->set_status(c->dev, S_ACK | S_DRV | S_FOK);
	st = o->get_status(c->dev);
	CHECK(c, !(st & S_FOK) && !(st & S_FAIL),
		"FEATURES_OK without VERSION_1 not refused: 0x%x", st);
	o->set_status(c->dev, S_ACK | S_DRV | S_FOK | S_DOK);
	CHECK(c, o->get_status(c->dev) & S_FAIL,
		"DRIVER_OK after refused FEATURES_OK not FAILED");
	o->set_status(c->dev, 0);
	CHECK(c, o->get_status(c->dev) == 0, "reset left 0x%x",
		o->get_status(c->dev));
	if (dev_setup(c, T_BASE_FEATURES) != 0)
		return -1;
	CHECK(c, o->set_features(c->dev, T_BASE_FEATURES) == -EBUSY,
		"set_features after FEATURES_OK accepted");
	return 0;
}

static int
ops_vq_errors(struct ctx *c)
{
	const struct rte_virtio_mdev_ops *o = c->ops;
	struct rte_virtio_mdev_vq_state st = { .split = { 0 } };

	o->set_status(c->dev, 0);
	CHECK(c, o->set_vq_num(c->dev, 0, 0) == -EINVAL, "num 0 accepted");
	CHECK(c, o->set_vq_num(c->dev, 0, 17) == -EINVAL, "num 17 accepted");
	CHECK(c, o->set_vq_num(c->dev, 0, 128) == -EINVAL,
		"num above max accepted");
	CHECK(c, o->set_vq_num(c->dev, T_NB_Q, 16) == -EINVAL,
		"qid %u accepted", T_NB_Q);
	CHECK(c, o->set_vq_address(c->dev, 99, 0, 0, 0) == -EINVAL,
		"qid 99 accepted");
	CHECK(c, o->set_vq_num(c->dev, 0, 16) == 0, "num 16 refused");
	CHECK(c, o->set_vq_ready(c->dev, 0, true) == -EINVAL,
		"ready without address accepted");
	o->set_vq_address(c->dev, 0, G_UNMAPPED, G_UNMAPPED + 4096,
		G_UNMAPPED + 8192);
	CHECK(c, o->set_vq_ready(c->dev, 0, true) == -EFAULT,
		"ready with unmapped rings accepted");
	o->set_vq_address(c->dev, 0, G_RING_IOVA + 8, G_RING_IOVA + 4096,
		G_RING_IOVA + 8192);
	CHECK(c, o->set_vq_ready(c->dev, 0, true) == -EINVAL,
		"misaligned descriptor table accepted");
	o->set_vq_address(c->dev, 0, G_END_IOVA - 128, G_RING_IOVA + 4096,
		G_RING_IOVA + 8192);
	CHECK(c, o->set_vq_ready(c->dev, 0, true) == -EFAULT,
		"descriptor table past the end accepted");
	if (dev_setup(c, T_BASE_FEATURES) != 0)
		return -1;
	CHECK(c, o->set_vq_num(c->dev, 1, 16) == -EBUSY, "num while ready");
	CHECK(c, o->set_vq_address(c->dev, 1, 0, 0, 0) == -EBUSY,
		"address while ready");
	CHECK(c, o->get_vq_state(c->dev, 1, &st) == -EBUSY, "state while ready");
	CHECK(c, o->set_vq_state(c->dev, 1, &st) == -EBUSY,
		"set state while ready");
	return 0;
}

/* Stop a queue, read its position, start it again from there. */
static int
ops_vq_state(struct ctx *c)
{
	const struct rte_virtio_mdev_ops *o = c->ops;
	struct rte_virtio_mdev_vq_state st;
	int i;

	if (dev_setup(c, T_BASE_FEATURES) != 0)
		return -1;
	post_rx(c, 0, 4, 2048);
	for (i = 0; i < 3; i++)
		if (loop_check(c, 0, 64, 1) < 0)
			return -1;
	CHECK(c, o->set_vq_ready(c->dev, 1, false) == 0 &&
		!o->get_vq_ready(c->dev, 1), "tx did not stop");
	CHECK(c, o->get_vq_state(c->dev, 1, &st) == 0 &&
		st.split.avail_index == 3, "tx avail index %u, expected 3",
		st.split.avail_index);
	/* Stopped: a new packet waits. */
	send_pkt(c, 1, (const uint8_t *)"0123456789abcdef", 16, 1);
	dev_poll(c);
	CHECK(c, tq_used_idx(&c->q[1]) == 3, "stopped tx queue moved");
	CHECK(c, o->set_vq_state(c->dev, 1, &st) == 0 &&
		o->set_vq_ready(c->dev, 1, true) == 0, "restart failed");
	dev_poll(c);
	CHECK(c, tq_used_idx(&c->q[1]) == 4, "restarted tx did not resume");
	c->q[0].used_seen++;
	post_rx(c, 0, 1, 2048);
	return loop_check(c, 0, 1500, 3) < 0 ? -1 : 0;
}

static int
ops_config(struct ctx *c)
{
	const struct rte_virtio_mdev_ops *o = c->ops;
	struct virtio_net_config cfg;
	uint8_t tail[8];
	uint64_t mf = RTE_VIRTIO_MDEV_FEATURE(RTE_VIRTIO_MDEV_F_VERSION_1) |
		RTE_VIRTIO_MDEV_FEATURE(RTE_VIRTIO_MDEV_F_LOG_DIRTY) |
		RTE_VIRTIO_MDEV_FEATURE(RTE_VIRTIO_MDEV_F_VQ_STATS) |
		RTE_VIRTIO_MDEV_FEATURE(RTE_VIRTIO_MDEV_F_ASID);

	CHECK(c, o->get_mdev_features(c->dev) == mf, "mdev features 0x%"
		PRIx64, o->get_mdev_features(c->dev));
	CHECK(c, o->get_device_id(c->dev) == VIRTIO_ID_NET, "device id %u",
		o->get_device_id(c->dev));
	CHECK(c, o->get_vq_num_max(c->dev) == 64, "vq num max %u",
		o->get_vq_num_max(c->dev));
	CHECK(c, (o->get_features(c->dev) & T_BASE_FEATURES) ==
		T_BASE_FEATURES, "features 0x%" PRIx64,
		o->get_features(c->dev));
	CHECK(c, o->get_config_size(c->dev) == sizeof(cfg), "config size %zu",
		o->get_config_size(c->dev));
	rte_virtio_mdev_read_config(c->dev, 0, &cfg, sizeof(cfg));
	CHECK(c, (cfg.mac[0] & 3) == 2, "MAC %02x:... not local unicast",
		cfg.mac[0]);
	CHECK(c, cfg.status == VIRTIO_NET_S_LINK_UP &&
		cfg.max_virtqueue_pairs == 2 && cfg.mtu == 1500,
		"status %u pairs %u mtu %u", cfg.status,
		cfg.max_virtqueue_pairs, cfg.mtu);
	memset(tail, 0x55, sizeof(tail));
	o->get_config(c->dev, sizeof(cfg) - 4, tail, sizeof(tail));
	CHECK(c, tail[4] == 0 && tail[7] == 0, "bytes past the config not 0");
	o->set_config(c->dev, 0, "\x01\x02\x03\x04\x05\x06", 6);
	rte_virtio_mdev_read_config(c->dev, 0, tail, 6);
	CHECK(c, memcmp(tail, cfg.mac, 6) == 0, "read-only MAC was written");
	return 0;
}

static int
ops_dma(struct ctx *c)
{
	const struct rte_virtio_mdev_ops *o = c->ops;
	const uint64_t base = UINT64_C(0x70000000);
	enum { N = SIM_IOVA_MAX_REGIONS - G_NB_REGIONS };
	uint8_t *m = calloc(N + 1, 4096);
	int i, ret = 0;

	CHECK(c, m != NULL, "out of memory");
	if (o->dma_map(c->dev, 0, G_IOVA_BASE + 4096, 4096, m, 3) != -EEXIST ||
			o->dma_map(c->dev, 0, G_IOVA_BASE - 4096, 8192, m, 3) !=
			-EEXIST ||
			o->dma_map(c->dev, 0, G_END_IOVA - 1, 2, m, 3) != -EEXIST)
		ret = snprintf(c->why, sizeof(c->why), "overlap accepted");
	else if (o->dma_map(c->dev, 0, base, 0, m, 3) != -EINVAL ||
			o->dma_map(c->dev, 0, UINT64_MAX - 10, 100, m, 3) !=
			-EINVAL)
		ret = snprintf(c->why, sizeof(c->why), "bad range accepted");
	else if (o->dma_unmap(c->dev, 0, G_IOVA_BASE, 4096) != -ENOENT ||
			o->dma_unmap(c->dev, 0, base, 4096) != -ENOENT)
		ret = snprintf(c->why, sizeof(c->why), "bad unmap accepted");
	for (i = 0; ret == 0 && i < N; i++)
		if (o->dma_map(c->dev, 0, base + i * 8192, 4096, m + i * 4096, 3))
			ret = snprintf(c->why, sizeof(c->why),
				"region %d refused", i);
	if (ret == 0 && o->dma_map(c->dev, 0, base + N * 8192, 4096,
			m + N * 4096, 3) != -ENOSPC)
		ret = snprintf(c->why, sizeof(c->why), "region %d accepted", N);
	for (i = 0; i < N; i++)
		o->dma_unmap(c->dev, 0, base + i * 8192, 4096);
	free(m);
	if (ret != 0)
		return -1;
	/* The table still translates after all that churn. */
	if (dev_setup(c, T_BASE_FEATURES) != 0)
		return -1;
	post_rx(c, 0, 1, 2048);
	return loop_check(c, 0, 300, 2) < 0 ? -1 : 0;
}

/* dma_unmap of ring memory: every queue there stops, nothing crashes. */
static int
ops_ring_unmapped(struct ctx *c)
{
	const struct rte_virtio_mdev_ops *o = c->ops;
	struct rte_virtio_mdev_vq_stats s;
	uint16_t q;

	if (dev_setup(c, T_BASE_FEATURES) != 0)
		return -1;
	CHECK(c, o->dma_unmap(c->dev, 0, G_RING_IOVA, G_REGION_SIZE) == 0,
		"unmap failed");
	dev_poll(c);
	CHECK(c, o->get_status(c->dev) & VIRTIO_CONFIG_S_NEEDS_RESET,
		"no NEEDS_RESET");
	for (q = 0; q < T_NB_Q; q++) {
		get_stats(c, q, &s);
		CHECK(c, s.bad_desc_errors == 1, "queue %u bad_desc_errors %"
			PRIu64, q, s.bad_desc_errors);
	}
	CHECK(c, o->dma_map(c->dev, 0, G_RING_IOVA, G_REGION_SIZE, g_mem[0],
		RTE_VIRTIO_MDEV_DMA_RW) == 0, "remap failed");
	if (dev_setup(c, T_BASE_FEATURES) != 0)
		return -1;
	post_rx(c, 0, 1, 2048);
	return loop_check(c, 0, 64, 1) < 0 ? -1 : 0;
}

static int
ops_stats_reset(struct ctx *c)
{
	struct rte_virtio_mdev_vq_stats s, zero;

	if (dev_setup(c, T_BASE_FEATURES) != 0)
		return -1;
	post_rx(c, 0, 1, 2048);
	if (loop_check(c, 0, 64, 1) < 0)
		return -1;
	get_stats(c, 1, &s);
	CHECK(c, s.received_descs == 1 && s.completed_descs == 1,
		"tx counters %" PRIu64 "/%" PRIu64, s.received_descs,
		s.completed_descs);
	CHECK(c, c->ops->reset_vq_stats(c->dev, 1) == 0, "reset failed");
	get_stats(c, 1, &s);
	memset(&zero, 0, sizeof(zero));
	CHECK(c, memcmp(&s, &zero, sizeof(s)) == 0, "counters not zeroed");
	CHECK(c, c->ops->get_vq_stats(c->dev, 99, &s) == -EINVAL,
		"qid 99 accepted");
	return 0;
}

const struct test_case ops_cases[] = {
	{ "ops_status_machine", ops_status_machine },
	{ "ops_vq_errors", ops_vq_errors },
	{ "ops_vq_state", ops_vq_state },
	{ "ops_config", ops_config },
	{ "ops_dma_table", ops_dma },
	{ "ops_ring_unmapped", ops_ring_unmapped },
	{ "ops_stats_reset", ops_stats_reset },
};
const unsigned int nb_ops_cases = RTE_DIM(ops_cases);
