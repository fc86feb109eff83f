/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * Config space: size, byte access, read-only fields, generation, the
 * read_config helper and the config callback.
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
	if (negotiate(dev, FEAT(VIRTIO_F_VERSION_1), res, __LINE__) != 0)
		goto out;
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
	if (negotiate(dev, FEAT(VIRTIO_F_VERSION_1), res, __LINE__) != 0)
		goto out;
	s = ops->get_status(dev);
	CONF_CHECK(res, s == S_NEGOTIATED, "status 0x%02x", s);
out:
	ops->set_config_cb(dev, NULL);
	dev_reset(dev);
}

const struct conf_case conf_config_cases[] = {
	CASE(config_size),
	CASE(config_bytes),
	CASE(config_readonly),
	CASE(generation),
	CASE(read_config),
	CASE(config_cb),
};

const unsigned int conf_config_cases_count = RTE_DIM(conf_config_cases);
