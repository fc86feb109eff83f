/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * Status, features and reset: identity, the status machine, feature
 * negotiation and what a reset clears. "status_new" runs first of all
 * cases (the device is still new).
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
	if (negotiate(dev, offered(dev), res, __LINE__) != 0)
		goto out;
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
	if (negotiate(dev, v1, res, __LINE__) != 0)
		goto out;
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
	if (negotiate(dev, FEAT(VIRTIO_F_VERSION_1), res, __LINE__) != 0)
		goto out;
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

	if (negotiate(dev, FEAT(VIRTIO_F_VERSION_1), res, __LINE__) != 0)
		goto out;
	if (ring64_setup(dev, &a, &vr, false, res, __LINE__) != 0)
		goto out;
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
	if (negotiate(dev, FEAT(VIRTIO_F_VERSION_1), res, __LINE__) != 0)
		goto out;
	CONF_CHECK_RC(res, ops->set_vq_ready(dev, 0, true), -EINVAL);
	CONF_CHECK(res, !ops->get_vq_ready(dev, 0),
		"queue 0 ready without address and size after reset");
out:
	arena_fini(dev, &a);
}

const struct conf_case conf_status_cases[] = {
	CASE(status_new),
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
};

const unsigned int conf_status_cases_count = RTE_DIM(conf_status_cases);
