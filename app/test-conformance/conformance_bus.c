/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * Bus cases: what rte_mdev_device_register() must refuse. They register
 * fake devices whose ops table is a copy of the device under test's
 * (so it is a complete, real table) with one op removed or one property
 * changed. The fakes share the real device's parent_priv so that an op
 * called on them touches valid state; each is unregistered at once.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_memory.h>
#include <rte_string_fns.h>

#include "conformance.h"

#define MDEV_FEAT(bit) RTE_VIRTIO_MDEV_FEATURE(bit)
#define F_V1 MDEV_FEAT(RTE_VIRTIO_MDEV_F_VERSION_1)
#define F_LOG MDEV_FEAT(RTE_VIRTIO_MDEV_F_LOG_DIRTY)
#define F_STATS MDEV_FEAT(RTE_VIRTIO_MDEV_F_VQ_STATS)
#define F_ASID MDEV_FEAT(RTE_VIRTIO_MDEV_F_ASID)

struct fake {
	struct rte_mdev_device dev;
	struct rte_virtio_mdev_ops ops;
	uint64_t mdev_features;	/* what get_mdev_features answers */
	bool registered;
};

static const struct rte_mdev_parent fake_parent = {
	.name = "conformance",
	.release = NULL,
};

static uint64_t
fake_get_mdev_features(struct rte_mdev_device *dev)
{
	return container_of(dev, struct fake, dev)->mdev_features;
}

/* Stand-ins so that a group is complete except for the op under test. */
static int
stub_get_vq_stats(struct rte_mdev_device *dev, uint16_t qid,
	struct rte_virtio_mdev_vq_stats *stats)
{
	memset(stats, 0, sizeof(*stats));
	return 0;
}

static int
stub_reset_vq_stats(struct rte_mdev_device *dev, uint16_t qid)
{
	return 0;
}

static int
stub_set_log_base(struct rte_mdev_device *dev, void *base, uint64_t size)
{
	return 0;
}

static int
stub_set_log_enable(struct rte_mdev_device *dev, bool enable)
{
	return 0;
}

static uint32_t
stub_one(struct rte_mdev_device *dev)
{
	return 1;
}

static uint32_t
stub_vq_group(struct rte_mdev_device *dev, uint16_t qid)
{
	return 0;
}

static int
stub_set_group_asid(struct rte_mdev_device *dev, uint32_t group,
	uint32_t asid)
{
	return group == 0 && asid == 0 ? 0 : -EINVAL;
}

/* A UUID no device has: the real one with its last bytes changed. */
static void
fresh_uuid(const struct rte_mdev_device *dut, rte_uuid_t uuid)
{
	static uint8_t salt;
	char name[RTE_UUID_STRLEN];

	do {
		rte_uuid_copy(uuid, dut->uuid);
		uuid[15] ^= 0xa5;
		uuid[14] ^= ++salt;
		rte_uuid_unparse(uuid, name, sizeof(name));
	} while (rte_mdev_find(name) != NULL);
}

static struct fake *
fake_new(const struct rte_mdev_device *dut, uint64_t mdev_features,
	const char *alias)
{
	struct fake *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return NULL;
	f->ops = *dut->ops;
	f->ops.get_mdev_features = fake_get_mdev_features;
	if (f->ops.get_vq_stats == NULL)
		f->ops.get_vq_stats = stub_get_vq_stats;
	if (f->ops.reset_vq_stats == NULL)
		f->ops.reset_vq_stats = stub_reset_vq_stats;
	if (f->ops.set_log_base == NULL)
		f->ops.set_log_base = stub_set_log_base;
	if (f->ops.set_log_enable == NULL)
		f->ops.set_log_enable = stub_set_log_enable;
	if (f->ops.get_group_num == NULL)
		f->ops.get_group_num = stub_one;
	if (f->ops.get_as_num == NULL)
		f->ops.get_as_num = stub_one;
	if (f->ops.get_vq_group == NULL)
		f->ops.get_vq_group = stub_vq_group;
	if (f->ops.get_vq_desc_group == NULL)
		f->ops.get_vq_desc_group = stub_vq_group;
	if (f->ops.set_group_asid == NULL)
		f->ops.set_group_asid = stub_set_group_asid;
	f->mdev_features = mdev_features;
	fresh_uuid(dut, f->dev.uuid);
	strlcpy(f->dev.alias, alias, sizeof(f->dev.alias));
	strlcpy(f->dev.type, "conformance-fake", sizeof(f->dev.type));
	f->dev.class_id = RTE_MDEV_CLASS_ID_VIRTIO;
	f->dev.consumer = dut->consumer;
	f->dev.numa_node = SOCKET_ID_ANY;
	f->dev.parent = &fake_parent;
	f->dev.ops = &f->ops;
	f->dev.parent_priv = dut->parent_priv;
	return f;
}

static int
fake_register(struct fake *f)
{
	int rc = rte_mdev_device_register(&f->dev);

	f->registered = rc == 0;
	return rc;
}

static void
fake_free(struct fake *f)
{
	if (f == NULL)
		return;
	if (f->registered)
		rte_mdev_device_unregister(&f->dev);
	free(f);
}

static uint64_t
dut_groups(const struct rte_mdev_device *dut)
{
	return dut->mdev_features & (F_V1 | F_LOG | F_STATS);
}

/* Positive control: a complete fake registers, is found, unregisters. */
static void
case_bus_register_valid(struct rte_mdev_device *dut, struct conf_result *res)
{
	char name[RTE_UUID_STRLEN];
	struct fake *f = fake_new(dut, F_V1 | F_LOG | F_STATS, "conf_fake0");
	int rc;

	CONF_CHECK(res, f != NULL, "out of memory");
	rte_uuid_unparse(f->dev.uuid, name, sizeof(name));
	CONF_CHECK_RC(res, fake_register(f), 0);
	CONF_CHECK(res, f->dev.mdev_features == (F_V1 | F_LOG | F_STATS),
		"bus set mdev_features 0x%" PRIx64 ", device says 0x%" PRIx64,
		f->dev.mdev_features, F_V1 | F_LOG | F_STATS);
	CONF_CHECK(res, strcmp(f->dev.name, name) == 0,
		"bus named the device '%s', its UUID is %s", f->dev.name, name);
	CONF_CHECK(res, rte_mdev_find(name) == &f->dev,
		"rte_mdev_find(uuid %s) does not find it", name);
	CONF_CHECK(res, rte_mdev_find("conf_fake0") == &f->dev,
		"rte_mdev_find(alias) does not find it");
	rc = rte_mdev_device_unregister(&f->dev);
	f->registered = rc != 0;
	CONF_CHECK(res, rc == 0, "unregister: %d (%s)", rc, conf_errname(rc));
	CONF_CHECK(res, rte_mdev_find(name) == NULL,
		"rte_mdev_find finds an unregistered device");
	/* get_generation is optional on its own. */
	f->ops.get_generation = NULL;
	CONF_CHECK_RC(res, fake_register(f), 0);
out:
	fake_free(f);
}

/* Each group with one op missing; the base table with one op missing. */
static void
case_bus_register_missing_op(struct rte_mdev_device *dut,
	struct conf_result *res)
{
	static const struct {
		const char *op;
		size_t off;
		uint64_t groups;
	} missing[] = {
#define M(op, g) { #op, offsetof(struct rte_virtio_mdev_ops, op), g }
		M(get_vq_stats, F_V1 | F_STATS),
		M(reset_vq_stats, F_V1 | F_STATS),
		M(set_log_base, F_V1 | F_LOG),
		M(set_log_enable, F_V1 | F_LOG),
		M(get_vq_group, F_V1 | F_ASID),
		M(set_group_asid, F_V1 | F_ASID),
		M(kick_vq, F_V1),
		M(dma_map, F_V1),
		M(set_status, F_V1),
#undef M
	};
	char name[RTE_UUID_STRLEN];
	struct fake *f = NULL;
	unsigned int i;
	int rc;

	for (i = 0; i < RTE_DIM(missing); i++) {
		f = fake_new(dut, missing[i].groups, "conf_fake1");
		CONF_CHECK(res, f != NULL, "out of memory");
		memset((uint8_t *)&f->ops + missing[i].off, 0,
			sizeof(void (*)(void)));
		rc = rte_virtio_mdev_check_ops("conformance", &f->ops,
				missing[i].groups);
		CONF_CHECK(res, rc == -EINVAL, "rte_virtio_mdev_check_ops "
			"without %s (mdev features 0x%" PRIx64 "): %d, "
			"expected -EINVAL", missing[i].op, missing[i].groups,
			rc);
		rc = fake_register(f);
		CONF_CHECK(res, rc == -EINVAL, "register without %s (mdev "
			"features 0x%" PRIx64 "): %d (%s), expected -EINVAL",
			missing[i].op, missing[i].groups, rc, conf_errname(rc));
		rte_uuid_unparse(f->dev.uuid, name, sizeof(name));
		CONF_CHECK(res, rte_mdev_find(name) == NULL,
			"a refused device is on the bus");
		fake_free(f);
		f = NULL;
	}
	/* The same op missing is fine when its group is not advertised. */
	f = fake_new(dut, F_V1, "conf_fake1");
	CONF_CHECK(res, f != NULL, "out of memory");
	f->ops.get_vq_stats = NULL;
	f->ops.reset_vq_stats = NULL;
	CONF_CHECK_RC(res, fake_register(f), 0);
out:
	fake_free(f);
}

static void
case_bus_register_duplicate_uuid(struct rte_mdev_device *dut,
	struct conf_result *res)
{
	struct fake *f = fake_new(dut, dut_groups(dut), "conf_fake2");
	int rc;

	CONF_CHECK(res, f != NULL, "out of memory");
	rte_uuid_copy(f->dev.uuid, dut->uuid);
	rc = fake_register(f);
	CONF_CHECK(res, rc == -EEXIST, "registering a second device with "
		"UUID %s: %d (%s), expected -EEXIST", dut->name, rc,
		conf_errname(rc));
	CONF_CHECK(res, rte_mdev_find(dut->name) == dut,
		"rte_mdev_find(%s) no longer finds the real device", dut->name);
	CONF_CHECK(res, rte_mdev_find("conf_fake2") == NULL,
		"the refused duplicate is findable by its alias");
out:
	fake_free(f);
}

static void
case_bus_register_bad_device(struct rte_mdev_device *dut,
	struct conf_result *res)
{
	struct fake *f = fake_new(dut, dut_groups(dut), "conf_fake3");
	int rc;

	CONF_CHECK(res, f != NULL, "out of memory");
	f->dev.class_id = 0xfff0;
	rc = fake_register(f);
	CONF_CHECK(res, rc == -EINVAL, "class id 0xfff0: %d (%s), expected "
		"-EINVAL", rc, conf_errname(rc));
	f->dev.class_id = RTE_MDEV_CLASS_ID_VIRTIO;
	f->dev.ops = NULL;
	rc = fake_register(f);
	CONF_CHECK(res, rc == -EINVAL, "NULL ops: %d (%s), expected -EINVAL",
		rc, conf_errname(rc));
	f->dev.ops = &f->ops;
	f->dev.parent = NULL;
	rc = fake_register(f);
	CONF_CHECK(res, rc == -EINVAL, "NULL parent: %d (%s), expected "
		"-EINVAL", rc, conf_errname(rc));
	f->dev.parent = &fake_parent;
	/* Neither is spelled out by the header: reported, not failed. */
	f->mdev_features = 0;
	rc = fake_register(f);
	if (rc != -EINVAL)
		conf_note(res, "a device without mdev feature VERSION_1 "
			"registers with %d (%s)", rc, conf_errname(rc));
	if (rc == 0)
		rte_mdev_device_unregister(&f->dev);
	f->mdev_features = F_V1 | MDEV_FEAT(40);
	rc = fake_register(f);
	if (rc != -EINVAL)
		conf_note(res, "a device advertising undefined mdev feature "
			"bit 40 registers with %d (%s)", rc, conf_errname(rc));
	if (rc == 0)
		rte_mdev_device_unregister(&f->dev);
	f->registered = false;
out:
	fake_free(f);
}

/* Not promised by the header either way: reported, never failed. */
static void
case_bus_duplicate_alias(struct rte_mdev_device *dut, struct conf_result *res)
{
	struct fake *f = fake_new(dut, dut_groups(dut), dut->alias);
	int rc;

	CONF_CHECK(res, f != NULL, "out of memory");
	rc = fake_register(f);
	if (rc == 0)
		conf_note(res, "a second device with alias '%s' registers;"
			" rte_mdev_find(alias) then returns the %s one",
			dut->alias, rte_mdev_find(dut->alias) == dut ?
			"first" : "new");
	else
		conf_note(res, "a second device with alias '%s' is refused: "
			"%d (%s)", dut->alias, rc, conf_errname(rc));
out:
	fake_free(f);
}

#define CASE(n) { #n, case_ ## n }

const struct conf_case conf_bus_cases[] = {
	CASE(bus_register_valid),
	CASE(bus_register_missing_op),
	CASE(bus_register_duplicate_uuid),
	CASE(bus_register_bad_device),
	CASE(bus_duplicate_alias),
};

const unsigned int conf_bus_cases_count = RTE_DIM(conf_bus_cases);
