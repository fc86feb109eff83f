/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * The mdev bus: a registry of mediated devices created by parents, bound
 * at once to the consumer driver their class id and class= devarg name.
 */

#include <errno.h>
#include <string.h>

#include <bus_driver.h>
#include <rte_devargs.h>
#include <rte_kvargs.h>
#include <rte_string_fns.h>

#include "mdev_private.h"


struct mdev_device_list mdev_devices = TAILQ_HEAD_INITIALIZER(mdev_devices);
struct mdev_driver_list mdev_drivers = TAILQ_HEAD_INITIALIZER(mdev_drivers);

static struct rte_bus mdev_bus;

static const char * const consumer_names[] = {
	[RTE_MDEV_CONSUMER_NET] = "net",
	[RTE_MDEV_CONSUMER_VDPA] = "vdpa",
};

const char *
rte_mdev_consumer_name(enum rte_mdev_consumer consumer)
{
	if ((unsigned int)consumer >= RTE_DIM(consumer_names))
		return "unknown";
	return consumer_names[consumer];
}

void
rte_mdev_register_driver(struct rte_mdev_driver *drv)
{
	TAILQ_INSERT_TAIL(&mdev_drivers, drv, next);
}

void
rte_mdev_unregister_driver(struct rte_mdev_driver *drv)
{
	TAILQ_REMOVE(&mdev_drivers, drv, next);
}

static struct rte_mdev_driver *
mdev_driver_for(const struct rte_mdev_device *dev)
{
	struct rte_mdev_driver *drv;

	TAILQ_FOREACH(drv, &mdev_drivers, next)
		if (drv->class_id == dev->class_id &&
				drv->consumer == dev->consumer)
			return drv;
	return NULL;
}

/* Bind a device to its consumer; a device without one stays unbound. */
static int
mdev_bind(struct rte_mdev_device *dev)
{
	struct rte_mdev_driver *drv;
	int ret;

	if (dev->device.driver != NULL)
		return 0;
	drv = mdev_driver_for(dev);
	if (drv == NULL) {
		MDEV_LOG(WARNING, "%s (%s): no class=%s driver loaded, device left unbound",
			dev->alias, dev->name,
			rte_mdev_consumer_name(dev->consumer));
		return 0;
	}
	dev->device.driver = &drv->driver;
	ret = drv->probe(dev);
	if (ret != 0) {
		dev->device.driver = NULL;
		MDEV_LOG(ERR, "%s (%s): %s probe failed: %s", dev->alias,
			dev->name, drv->driver.name, strerror(-ret));
		return ret;
	}
	MDEV_LOG(INFO, "%s (%s) bound to %s", dev->alias, dev->name,
		drv->driver.name);
	return 0;
}

static int
mdev_unbind(struct rte_mdev_device *dev)
{
	struct rte_mdev_driver *drv;
	int ret;

	if (dev->device.driver == NULL)
		return 0;
	drv = container_of(dev->device.driver, struct rte_mdev_driver,
		driver);
	ret = drv->remove(dev);
	if (ret != 0) {
		MDEV_LOG(ERR, "%s: %s remove failed: %s", dev->alias,
			drv->driver.name, strerror(-ret));
		return ret;
	}
	dev->device.driver = NULL;
	return 0;
}

static int
mdev_check_device(const struct rte_mdev_device *dev)
{
	const char *who = dev->alias[0] != '\0' ? dev->alias : "mdev device";

	if (dev->class_id != RTE_MDEV_CLASS_ID_VIRTIO) {
		MDEV_LOG(ERR, "%s: class id %u unknown (accepted: %u = virtio)",
			who, dev->class_id, RTE_MDEV_CLASS_ID_VIRTIO);
		return -EINVAL;
	}
	if (dev->ops == NULL || dev->ops->get_mdev_features == NULL ||
			dev->parent == NULL) {
		MDEV_LOG(ERR, "%s: no parent, ops table or get_mdev_features",
			who);
		return -EINVAL;
	}
	if ((unsigned int)dev->consumer >= RTE_DIM(consumer_names)) {
		MDEV_LOG(ERR, "%s: consumer %d unknown", who, dev->consumer);
		return -EINVAL;
	}
	return 0;
}

int
rte_mdev_device_register(struct rte_mdev_device *dev)
{
	struct rte_mdev_device *other;
	int ret;

	ret = mdev_check_device(dev);
	if (ret != 0)
		return ret;
	dev->mdev_features = dev->ops->get_mdev_features(dev);
	ret = rte_virtio_mdev_check_ops(dev->alias, dev->ops,
		dev->mdev_features);
	if (ret != 0)
		return ret;
	rte_uuid_unparse(dev->uuid, dev->name, sizeof(dev->name));
	TAILQ_FOREACH(other, &mdev_devices, next) {
		if (rte_uuid_compare(other->uuid, dev->uuid) == 0) {
			MDEV_LOG(ERR, "%s: UUID %s already used by %s",
				dev->alias, dev->name, other->alias);
			return -EEXIST;
		}
		if (strcmp(other->alias, dev->alias) == 0) {
			MDEV_LOG(ERR, "%s: name already used by device %s",
				dev->alias, other->name);
			return -EEXIST;
		}
	}
	dev->device.name = dev->name;
	dev->device.bus = &mdev_bus;
	dev->device.numa_node = dev->numa_node;
	dev->device.driver = NULL;
	TAILQ_INSERT_TAIL(&mdev_devices, dev, next);
	ret = mdev_bind(dev);
	if (ret != 0) {
		TAILQ_REMOVE(&mdev_devices, dev, next);
		return ret;
	}
	return 0;
}

static bool
mdev_on_bus(const struct rte_mdev_device *dev)
{
	const struct rte_mdev_device *d;

	TAILQ_FOREACH(d, &mdev_devices, next)
		if (d == dev)
			return true;
	return false;
}

int
rte_mdev_device_unregister(struct rte_mdev_device *dev)
{
	int ret;

	if (!mdev_on_bus(dev))
		return 0;
	ret = mdev_unbind(dev);
	if (ret != 0)
		return ret;
	TAILQ_REMOVE(&mdev_devices, dev, next);
	return 0;
}

struct rte_mdev_device *
rte_mdev_find(const char *name)
{
	struct rte_mdev_device *dev;

	TAILQ_FOREACH(dev, &mdev_devices, next)
		if (strcmp(dev->name, name) == 0 ||
				strcmp(dev->alias, name) == 0)
			return dev;
	return NULL;
}

/* Devices come from parents, which create them when they are probed. */
static int
mdev_scan(void)
{
	return 0;
}

static int
mdev_probe(void)
{
	struct rte_mdev_device *dev;
	int failed = 0;

	TAILQ_FOREACH(dev, &mdev_devices, next)
		if (mdev_bind(dev) != 0)
			failed++;
	return failed ? -1 : 0;
}

static struct rte_device *
mdev_find_device(const struct rte_device *start, rte_dev_cmp_t cmp,
		const void *data)
{
	struct rte_mdev_device *dev;

	if (start != NULL)
		dev = TAILQ_NEXT(RTE_DEV_TO_MDEV_CONST(start), next);
	else
		dev = TAILQ_FIRST(&mdev_devices);
	for (; dev != NULL; dev = TAILQ_NEXT(dev, next))
		if (cmp(&dev->device, data) == 0)
			return &dev->device;
	return NULL;
}

static int
mdev_plug(struct rte_device *rte_dev)
{
	return mdev_bind(RTE_DEV_TO_MDEV(rte_dev));
}

/*
 * The application removes a device: detach its consumer, then let the
 * parent destroy it, so that probing the parent's devargs again (testpmd
 * "port attach", OVS re-adding a port) creates it anew.
 */
static int
mdev_unplug(struct rte_device *rte_dev)
{
	struct rte_mdev_device *dev = RTE_DEV_TO_MDEV(rte_dev);
	int ret;

	ret = mdev_unbind(dev);
	if (ret != 0)
		return ret;
	if (dev->parent->release != NULL)
		dev->parent->release(dev);
	return 0;
}

/* A device is named by its UUID on the bus; "mdev:<uuid>" finds it. */
static int
mdev_parse(const char *name, void *addr)
{
	rte_uuid_t uuid;
	char uuid_str[RTE_UUID_STRLEN];

	if (rte_uuid_parse(name, uuid) != 0)
		return 1;
	if (addr != NULL) {
		rte_uuid_unparse(uuid, uuid_str, sizeof(uuid_str));
		strlcpy(addr, uuid_str, RTE_DEV_NAME_MAX_LEN);
	}
	return 0;
}

static bool
mdev_matches(const struct rte_mdev_device *dev, const struct rte_kvargs *kv)
{
	static const char * const keys[] = {
		"name", "uuid", "alias", "parent", "type"
	};
	const char *vals[] = { dev->name, dev->name, dev->alias,
		dev->parent->name, dev->type };
	const char *want;
	unsigned int i;

	for (i = 0; i < RTE_DIM(keys); i++) {
		want = rte_kvargs_get(kv, keys[i]);
		if (want != NULL && strcmp(want, vals[i]) != 0)
			return false;
	}
	return true;
}

/* Iterator for "bus=mdev,name=|uuid=|alias=|parent=|type=" strings. */
static void *
mdev_dev_iterate(const void *start, const char *str,
		const struct rte_dev_iterator *it __rte_unused)
{
	static const char * const keys[] = { "name", "uuid", "alias",
		"parent", "type", NULL };
	struct rte_kvargs *kv = NULL;
	struct rte_mdev_device *dev;

	if (str != NULL) {
		kv = rte_kvargs_parse(str, keys);
		if (kv == NULL) {
			MDEV_LOG(ERR, "cannot parse \"%s\" (accepted keys: name, uuid, alias, parent, type)",
				str);
			rte_errno = EINVAL;
			return NULL;
		}
	}
	if (start != NULL)
		dev = TAILQ_NEXT(RTE_DEV_TO_MDEV_CONST(start), next);
	else
		dev = TAILQ_FIRST(&mdev_devices);
	while (dev != NULL && kv != NULL && !mdev_matches(dev, kv))
		dev = TAILQ_NEXT(dev, next);
	rte_kvargs_free(kv);
	return dev != NULL ? &dev->device : NULL;
}

/* At EAL cleanup detach consumers; parents free their devices. */
static int
mdev_cleanup(void)
{
	struct rte_mdev_device *dev;
	int ret = 0;

	TAILQ_FOREACH(dev, &mdev_devices, next)
		if (mdev_unbind(dev) != 0)
			ret = -1;
	return ret;
}

static struct rte_bus mdev_bus = {
	.scan = mdev_scan,
	.probe = mdev_probe,
	.find_device = mdev_find_device,
	.plug = mdev_plug,
	.unplug = mdev_unplug,
	.parse = mdev_parse,
	.dev_iterate = mdev_dev_iterate,
	.cleanup = mdev_cleanup,
};

RTE_REGISTER_BUS(mdev, mdev_bus);
