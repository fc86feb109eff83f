/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * Telemetry: what mdevctl would show. /mdev/list names every device;
 * /mdev/info,<uuid|alias> gives its parent, type, class, consumer,
 * driver, status and features.
 */

#include <string.h>

#include <rte_telemetry.h>

#include "mdev_private.h"

static int
mdev_tel_list(const char *cmd __rte_unused, const char *params __rte_unused,
		struct rte_tel_data *d)
{
	struct rte_mdev_device *dev;

	rte_tel_data_start_array(d, RTE_TEL_STRING_VAL);
	TAILQ_FOREACH(dev, &mdev_devices, next)
		rte_tel_data_add_array_string(d, dev->name);
	return 0;
}

static void
add_hex(struct rte_tel_data *d, const char *name, uint64_t val)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%" PRIx64, val);
	rte_tel_data_add_dict_string(d, name, buf);
}

static int
mdev_tel_info(const char *cmd __rte_unused, const char *params,
		struct rte_tel_data *d)
{
	struct rte_mdev_device *dev;

	if (params == NULL)
		return -EINVAL;
	dev = rte_mdev_find(params);
	if (dev == NULL)
		return -EINVAL;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "uuid", dev->name);
	rte_tel_data_add_dict_string(d, "alias", dev->alias);
	rte_tel_data_add_dict_string(d, "parent", dev->parent->name);
	rte_tel_data_add_dict_string(d, "type", dev->type);
	rte_tel_data_add_dict_string(d, "class",
		dev->class_id == RTE_MDEV_CLASS_ID_VIRTIO ? "virtio" : "?");
	rte_tel_data_add_dict_string(d, "consumer",
		rte_mdev_consumer_name(dev->consumer));
	rte_tel_data_add_dict_string(d, "driver", dev->device.driver ?
		dev->device.driver->name : "");
	add_hex(d, "mdev_features", dev->mdev_features);
	add_hex(d, "device_features", dev->ops->get_features(dev));
	add_hex(d, "status", dev->ops->get_status(dev));
	rte_tel_data_add_dict_string(d, "args", dev->args);
	return 0;
}

RTE_INIT(mdev_telemetry_init)
{
	rte_telemetry_register_cmd("/mdev/list", mdev_tel_list,
		"Returns the UUIDs of the mdev devices. No parameters");
	rte_telemetry_register_cmd("/mdev/info", mdev_tel_info,
		"Returns an mdev device's parent, type, class, consumer, status and features. Parameters: UUID or alias");
}
