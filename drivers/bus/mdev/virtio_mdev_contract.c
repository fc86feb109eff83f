/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * What the contract itself provides: the op groups behind each mdev
 * feature bit, checked once when a device is registered, and the config
 * read fallback for parents without get_generation.
 */

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <inttypes.h>

#include <linux/virtio_net.h>

#include <rte_byteorder.h>
#include <rte_common.h>

#include "mdev_private.h"

struct op_ref {
	const char *name;
	size_t offset;
};

#define OP(n) { #n, offsetof(struct rte_virtio_mdev_ops, n) }

static const struct op_ref version_1_ops[] = {
	OP(set_vq_address), OP(set_vq_num), OP(kick_vq), OP(set_vq_cb),
	OP(set_vq_ready), OP(get_vq_ready), OP(set_vq_state),
	OP(get_vq_state), OP(get_vq_align), OP(get_features),
	OP(set_features), OP(set_config_cb), OP(get_vq_num_max),
	OP(get_device_id), OP(get_vendor_id), OP(get_status),
	OP(set_status), OP(get_config_size), OP(get_config), OP(set_config),
	OP(get_mdev_features), OP(dma_map), OP(dma_unmap),
	{ NULL, 0 }
};

static const struct op_ref log_dirty_ops[] = {
	OP(set_log_base), OP(set_log_enable), { NULL, 0 }
};

static const struct op_ref vq_stats_ops[] = {
	OP(get_vq_stats), OP(reset_vq_stats), { NULL, 0 }
};

static const struct op_ref asid_ops[] = {
	OP(get_group_num), OP(get_as_num), OP(get_vq_group),
	OP(get_vq_desc_group), OP(set_group_asid), { NULL, 0 }
};

static const struct {
	unsigned int bit;
	const char *name;
	const struct op_ref *ops;
} op_groups[] = {
	{ RTE_VIRTIO_MDEV_F_VERSION_1, "VERSION_1", version_1_ops },
	{ RTE_VIRTIO_MDEV_F_LOG_DIRTY, "LOG_DIRTY", log_dirty_ops },
	{ RTE_VIRTIO_MDEV_F_VQ_STATS, "VQ_STATS", vq_stats_ops },
	{ RTE_VIRTIO_MDEV_F_ASID, "ASID", asid_ops },
};

#define KNOWN_MDEV_FEATURES \
	(RTE_VIRTIO_MDEV_FEATURE(RTE_VIRTIO_MDEV_F_VERSION_1) | \
	 RTE_VIRTIO_MDEV_FEATURE(RTE_VIRTIO_MDEV_F_LOG_DIRTY) | \
	 RTE_VIRTIO_MDEV_FEATURE(RTE_VIRTIO_MDEV_F_VQ_STATS) | \
	 RTE_VIRTIO_MDEV_FEATURE(RTE_VIRTIO_MDEV_F_ASID))

static const char *
first_missing_op(const struct rte_virtio_mdev_ops *ops,
		const struct op_ref *refs)
{
	const void *fn;

	for (; refs->name != NULL; refs++) {
		memcpy(&fn, (const char *)ops + refs->offset, sizeof(fn));
		if (fn == NULL)
			return refs->name;
	}
	return NULL;
}

int
rte_virtio_mdev_check_ops(const char *who,
		const struct rte_virtio_mdev_ops *ops, uint64_t mdev_features)
{
	const char *missing;
	unsigned int i;

	if (!(mdev_features &
			RTE_VIRTIO_MDEV_FEATURE(RTE_VIRTIO_MDEV_F_VERSION_1))) {
		MDEV_LOG(ERR, "%s: refused: mdev features 0x%" PRIx64 " lack VERSION_1",
			who, mdev_features);
		return -EINVAL;
	}
	if (mdev_features & ~KNOWN_MDEV_FEATURES) {
		MDEV_LOG(ERR, "%s: refused: unknown mdev features 0x%" PRIx64,
			who, mdev_features & ~KNOWN_MDEV_FEATURES);
		return -EINVAL;
	}
	for (i = 0; i < RTE_DIM(op_groups); i++) {
		if (!(mdev_features &
				RTE_VIRTIO_MDEV_FEATURE(op_groups[i].bit)))
			continue;
		missing = first_missing_op(ops, op_groups[i].ops);
		if (missing != NULL) {
			MDEV_LOG(ERR, "%s: refused: advertises mdev feature %s but has no %s op",
				who, op_groups[i].name, missing);
			return -EINVAL;
		}
	}
	return 0;
}

#define CONFIG_READ_TRIES 100
#define CONFIG_CHUNK 256

/* No generation counter: read a chunk until two reads agree. */
static void
read_config_stable(struct rte_mdev_device *dev, unsigned int offset,
		uint8_t *buf, unsigned int len)
{
	uint8_t again[CONFIG_CHUNK];
	int tries;

	dev->ops->get_config(dev, offset, buf, len);
	for (tries = 0; tries < CONFIG_READ_TRIES; tries++) {
		dev->ops->get_config(dev, offset, again, len);
		if (memcmp(again, buf, len) == 0)
			return;
		memcpy(buf, again, len);
	}
	MDEV_LOG(WARNING, "%s: config space kept changing while read",
		dev->alias);
}

void
rte_virtio_mdev_read_config(struct rte_mdev_device *dev,
		unsigned int offset, void *buf, unsigned int len)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	unsigned int done, n;
	uint32_t gen;

	if (ops->get_generation != NULL) {
		do {
			gen = ops->get_generation(dev);
			ops->get_config(dev, offset, buf, len);
		} while (gen != ops->get_generation(dev));
		return;
	}
	for (done = 0; done < len; done += n) {
		n = RTE_MIN(len - done, (unsigned int)CONFIG_CHUNK);
		read_config_stable(dev, offset + done,
			(uint8_t *)buf + done, n);
	}
}

#define STATUS_STEPS (VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER | \
	VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK)

uint8_t
rte_virtio_mdev_next_status(uint8_t old, uint8_t status, bool accept_features,
		bool *failed)
{
	uint8_t s = (status & ~VIRTIO_CONFIG_S_NEEDS_RESET) |
		(old & (VIRTIO_CONFIG_S_NEEDS_RESET | VIRTIO_CONFIG_S_FAILED));
	bool fail = false;

	if ((s & ~old & VIRTIO_CONFIG_S_FEATURES_OK) && !accept_features)
		s &= ~VIRTIO_CONFIG_S_FEATURES_OK;
	/* Only a reset clears steps already taken. */
	if (old & STATUS_STEPS & ~s)
		fail = true;
	if ((s & VIRTIO_CONFIG_S_DRIVER) && !(s & VIRTIO_CONFIG_S_ACKNOWLEDGE))
		fail = true;
	if ((s & VIRTIO_CONFIG_S_FEATURES_OK) && !(s & VIRTIO_CONFIG_S_DRIVER))
		fail = true;
	if ((s & VIRTIO_CONFIG_S_DRIVER_OK) &&
			!(s & VIRTIO_CONFIG_S_FEATURES_OK))
		fail = true;
	*failed = fail;
	return fail ? s | VIRTIO_CONFIG_S_FAILED : s;
}

static void
add_status(struct rte_mdev_device *dev, uint8_t bits)
{
	dev->ops->set_status(dev, dev->ops->get_status(dev) | bits);
}

int
rte_virtio_mdev_negotiate(struct rte_mdev_device *dev, uint64_t features,
		const char *who)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	int ret;

	ops->set_status(dev, 0);
	add_status(dev, VIRTIO_CONFIG_S_ACKNOWLEDGE);
	add_status(dev, VIRTIO_CONFIG_S_DRIVER);
	ret = ops->set_features(dev, features);
	if (ret != 0) {
		MDEV_LOG(ERR, "%s: device refused features 0x%" PRIx64 " (offered 0x%" PRIx64 "): %s",
			who, features, ops->get_features(dev), strerror(-ret));
		add_status(dev, VIRTIO_CONFIG_S_FAILED);
		return ret;
	}
	add_status(dev, VIRTIO_CONFIG_S_FEATURES_OK);
	if (!(ops->get_status(dev) & VIRTIO_CONFIG_S_FEATURES_OK)) {
		MDEV_LOG(ERR, "%s: device did not accept FEATURES_OK for features 0x%" PRIx64 " (offered 0x%" PRIx64 ")",
			who, features, ops->get_features(dev));
		add_status(dev, VIRTIO_CONFIG_S_FAILED);
		return -EIO;
	}
	return 0;
}

int
rte_virtio_mdev_net_max_pairs(struct rte_mdev_device *dev, uint64_t features,
		uint16_t *pairs, const char *who)
{
	uint16_t n;

	*pairs = 1;
	if (!(features & (UINT64_C(1) << VIRTIO_NET_F_MQ)))
		return 0;
	rte_virtio_mdev_read_config(dev,
		offsetof(struct virtio_net_config, max_virtqueue_pairs),
		&n, sizeof(n));
	n = rte_le_to_cpu_16(n);
	if (n < 1 || n > 0x8000) {
		MDEV_LOG(ERR, "%s: device reports %u queue pairs; 1 to 32768 expected",
			who, n);
		return -EINVAL;
	}
	*pairs = n;
	return 0;
}

#define STAT(f) { #f, offsetof(struct rte_virtio_mdev_vq_stats, f) }
const struct rte_virtio_mdev_vq_stat_name
rte_virtio_mdev_vq_stat_names[RTE_VIRTIO_MDEV_VQ_STATS_NB] = {
	STAT(received_descs), STAT(completed_descs), STAT(bad_desc_errors),
	STAT(exceed_max_chain), STAT(invalid_buffer), STAT(completion_errors),
};
_Static_assert(sizeof(struct rte_virtio_mdev_vq_stats) ==
	RTE_VIRTIO_MDEV_VQ_STATS_NB * sizeof(uint64_t),
	"a counter without a name");
