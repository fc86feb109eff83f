/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

#ifndef RTE_BUS_MDEV_H
#define RTE_BUS_MDEV_H

/**
 * @file
 * The mdev bus: mediated devices, each with a UUID (its bus name), a
 * parent (the driver that created it), a type and a class id. Parents
 * create devices with rte_mdev_device_register(); the bus binds each new
 * device at once to the consumer driver that matches its class id and
 * its "class=" devarg (net by default, or vdpa).
 *
 * Devices are named by UUID on the bus. A device also has an alias, the
 * name the user wrote for it (the parent's vdev name, e.g. "mdev_sim0"):
 * consumers name their ports after it so that applications that look a
 * port up by its devargs name (OVS) find it.
 */

#include <stdint.h>
#include <sys/queue.h>

#include <rte_compat.h>
#include <dev_driver.h>
#include <rte_dev.h>
#include <rte_uuid.h>

#include "rte_virtio_mdev.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RTE_MDEV_BUS_NAME "mdev"
#define RTE_MDEV_NAME_LEN 64
#define RTE_MDEV_ARGS_LEN 512

/** Consumers a user can choose with class=. */
enum rte_mdev_consumer {
	RTE_MDEV_CONSUMER_NET = 0,	/**< class=net: ethdev PMD */
	RTE_MDEV_CONSUMER_VDPA,		/**< class=vdpa: vDPA driver */
};

struct rte_mdev_device;

/** What a parent tells the bus about itself. */
struct rte_mdev_parent {
	const char *name;	/**< e.g. "sim" */
	/**
	 * Called by the bus when the application removes a device (hot
	 * unplug, rte_dev_remove) after its consumer was detached: the
	 * parent destroys the device (and whatever created it) by calling
	 * rte_mdev_device_unregister(). May be NULL: the bus then only
	 * detaches the consumer.
	 */
	void (*release)(struct rte_mdev_device *dev);
};

/** A mediated device. Filled by its parent before registration. */
struct rte_mdev_device {
	TAILQ_ENTRY(rte_mdev_device) next;	/**< bus list (bus use) */
	struct rte_device device;	/**< name = uuid string (bus sets) */
	rte_uuid_t uuid;		/**< parent sets */
	char name[RTE_UUID_STRLEN];	/**< bus sets from uuid */
	char alias[RTE_MDEV_NAME_LEN];	/**< parent sets, e.g. "mdev_sim0" */
	char type[32];			/**< parent sets, e.g. "sim-net" */
	uint16_t class_id;		/**< parent sets: RTE_MDEV_CLASS_ID_* */
	enum rte_mdev_consumer consumer; /**< parent sets from class= */
	int numa_node;			/**< parent sets, SOCKET_ID_ANY if none */
	/** devargs for the consumer, "key=value,..." (parent sets). */
	char args[RTE_MDEV_ARGS_LEN];
	const struct rte_mdev_parent *parent;	/**< parent sets */
	/**
	 * The device the user created, through which the parent made this
	 * one (the sim's vdev "mdev_sim0"), or NULL. Parent sets. Consumers
	 * show it to applications as their port's device (see
	 * rte_mdev_app_device()).
	 */
	struct rte_device *parent_dev;
	const struct rte_virtio_mdev_ops *ops;	/**< parent sets */
	uint64_t mdev_features;		/**< bus sets from get_mdev_features */
	void *parent_priv;		/**< the parent's device state */
	void *driver_priv;		/**< the consumer's state */
};

/** A consumer driver. */
struct rte_mdev_driver {
	TAILQ_ENTRY(rte_mdev_driver) next;	/**< bus list (bus use) */
	struct rte_driver driver;
	uint16_t class_id;		/**< devices of this class ... */
	enum rte_mdev_consumer consumer; /**< ... chosen with this class= */
	/** Extra devargs keys this consumer accepts (NULL-terminated). */
	const char * const *devargs_keys;
	int (*probe)(struct rte_mdev_device *dev);
	int (*remove)(struct rte_mdev_device *dev);
};

#define RTE_DEV_TO_MDEV(ptr) \
	container_of(ptr, struct rte_mdev_device, device)
#define RTE_DEV_TO_MDEV_CONST(ptr) \
	container_of(ptr, const struct rte_mdev_device, device)

/**
 * The rte_device a consumer gives applications for this device: the
 * parent's device when there is one, else the mdev device itself.
 * Applications find a port from the devargs they probed (OVS iterates
 * "mdev_sim0,..." on the vdev bus) and remove it with rte_dev_remove()
 * on that device: removing the parent's device destroys the mdev device
 * with it, and removing an mdev device lets its parent release it.
 */
static inline struct rte_device *
rte_mdev_app_device(struct rte_mdev_device *dev)
{
	return dev->parent_dev != NULL ? dev->parent_dev : &dev->device;
}

/** Register a consumer driver (from a constructor). */
__rte_internal
void rte_mdev_register_driver(struct rte_mdev_driver *drv);
__rte_internal
void rte_mdev_unregister_driver(struct rte_mdev_driver *drv);

#define RTE_PMD_REGISTER_MDEV(nm, mdev_drv) \
RTE_INIT(mdevinitfn_ ##nm) \
{ \
	(mdev_drv).driver.name = RTE_STR(nm); \
	rte_mdev_register_driver(&(mdev_drv)); \
} \
RTE_PMD_EXPORT_NAME(nm, __COUNTER__)

/**
 * Add a device to the bus and bind it to its consumer. The bus checks
 * the class, the ops table against get_mdev_features() (VERSION_1 is
 * required, unknown mdev feature bits are refused) and that the UUID and
 * the alias are unique, and refuses the device with a log line otherwise.
 * When no consumer driver of the chosen class is loaded the device is
 * added unbound (a warning says so) and 0 is returned.
 * @return 0, -EINVAL (bad device), -EEXIST (UUID or alias taken), or the
 *   consumer's probe error (the device is then not on the bus).
 */
__rte_internal
int rte_mdev_device_register(struct rte_mdev_device *dev);

/** Detach the consumer (if any) and take the device off the bus. */
__rte_internal
int rte_mdev_device_unregister(struct rte_mdev_device *dev);

/**
 * Parse "class=" from a devargs string: "net" (also the default when
 * absent) or "vdpa". @return 0 or -EINVAL after logging what is accepted.
 */
__rte_internal
int rte_mdev_parse_class(const char *who, const char *value,
		enum rte_mdev_consumer *consumer);

/**
 * Check that every key of a devargs string is one the parent accepts,
 * "class", or a key of a consumer driver. Logs the first unknown key
 * with the list of accepted keys. @return 0 or -EINVAL.
 */
__rte_internal
int rte_mdev_check_devargs(const char *who, const char *args,
		const char * const *parent_keys);

/**
 * A stable 64-bit hash of a name (FNV-1a and a final mix), seeded: the
 * same name always gives the same value, names one character apart
 * give unrelated ones. For parents that derive identities (UUID, MAC)
 * from a name.
 */
__rte_internal
uint64_t rte_mdev_name_hash(const char *name, uint64_t seed);

/**
 * A UUID derived from a name (RFC 9562 version 8, vendor-specific): a
 * parent gives the same device the same UUID every time.
 */
__rte_internal
void rte_mdev_uuid_from_name(const char *name, rte_uuid_t uuid);

/** Name of a consumer ("net", "vdpa"). */
const char *rte_mdev_consumer_name(enum rte_mdev_consumer consumer);

/** Find a device by its UUID string or alias. NULL if none. */
struct rte_mdev_device *rte_mdev_find(const char *name);

#ifdef __cplusplus
}
#endif

#endif /* RTE_BUS_MDEV_H */
