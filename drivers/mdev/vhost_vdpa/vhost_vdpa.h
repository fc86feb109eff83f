/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

#ifndef VHOST_VDPA_H
#define VHOST_VDPA_H

/*
 * The vhost_vdpa parent: a kernel vDPA device (/dev/vhost-vdpa-N: a
 * vDPA NIC, VDUSE, vdpa_sim_net) as a device on the mdev bus. Every op
 * of the contract becomes a vhost-vdpa ioctl or IOTLB message; the
 * device's eventfds (calls, config changes) are turned into the
 * contract's callbacks by a thread of the parent's own.
 */

#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_log.h>

#include "rte_bus_mdev.h"
#include "rte_virtio_mdev.h"

extern int vv_logtype;
#define VV_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, vv_logtype, "mdev_vhost_vdpa: " fmt "\n", \
		##__VA_ARGS__)

/* Backend features newer than Debian 12's uapi headers (Linux 6.1). */
#ifndef VHOST_BACKEND_F_ENABLE_AFTER_DRIVER_OK
#define VHOST_BACKEND_F_ENABLE_AFTER_DRIVER_OK	0x6
#endif
#ifndef VHOST_BACKEND_F_IOTLB_PERSIST
#define VHOST_BACKEND_F_IOTLB_PERSIST		0x8
#endif

/* Queues this parent serves (vhost-vdpa devices have up to 2^16). */
#define VV_MAX_QUEUES		64
/* Groups and address spaces it tracks. */
#define VV_MAX_GROUPS		8
/* dma_map regions it remembers (exact unmap, ring checks). */
#define VV_MAX_REGIONS		2048

/* One dma_map region, as the contract saw it. */
struct vv_region {
	uint32_t asid;
	uint64_t iova;
	uint64_t size;
	uint64_t vaddr;
	uint32_t perm;
};

struct vv_vq {
	int kickfd;		/* eventfd given with VHOST_SET_VRING_KICK */
	int callfd;		/* eventfd given with VHOST_SET_VRING_CALL */
	uint32_t num;
	uint64_t desc_iova;
	uint64_t driver_iova;
	uint64_t device_iova;
	bool addr_set;
	bool ready;
	struct rte_virtio_mdev_callback cb;	/* cb_lock */
};

struct vv_dev {
	struct rte_mdev_device mdev;
	char name[RTE_DEV_NAME_MAX_LEN];	/* the vdev's */
	char path[PATH_MAX];			/* /dev/vhost-vdpa-N */
	char kname[64];				/* the kernel's, "vdpa0" */
	int fd;
	bool removing;
	/* What the kernel device is, read once at probe. */
	uint64_t backend_features;
	uint64_t kernel_features;	/* VHOST_GET_FEATURES */
	uint64_t offered;		/* what the contract shows */
	uint32_t device_id;
	uint32_t nvqs;
	uint32_t ngroups;
	uint32_t nas;
	uint16_t vq_num_max;
	uint32_t config_size;
	/* Serialises control ops and the region table. */
	pthread_mutex_t lock;
	uint64_t features;		/* set with set_features */
	bool features_set;		/* since the last reset */
	uint32_t group_asid[VV_MAX_GROUPS];
	struct vv_region *regions;	/* sorted by (asid, iova) */
	uint32_t nb_regions;
	/* Callbacks, and the thread that invokes them (vhost_vdpa_irq.c). */
	pthread_mutex_t cb_lock;
	struct rte_virtio_mdev_callback config_cb;
	int config_callfd;
	int epfd;
	int stop_fd;
	pthread_t irq_thread;
	bool irq_running;
	struct vv_vq vq[VV_MAX_QUEUES];
};

static inline struct vv_dev *
vv_dev_of(struct rte_mdev_device *mdev)
{
	return mdev->parent_priv;
}

static inline bool
vv_has(const struct vv_dev *d, unsigned int bit)
{
	return (d->features >> bit) & 1;
}

/* vhost_vdpa_ops.c */
extern const struct rte_virtio_mdev_ops vv_ops;
void vv_reset_state(struct vv_dev *d);

/* vhost_vdpa_dma.c: dma_map/dma_unmap as IOTLB messages. */
int vv_dma_map(struct rte_mdev_device *dev, uint32_t asid, uint64_t iova,
		uint64_t size, void *vaddr, uint32_t perm);
int vv_dma_unmap(struct rte_mdev_device *dev, uint32_t asid, uint64_t iova,
		uint64_t size);
bool vv_dma_covers(const struct vv_dev *d, uint32_t asid, uint64_t iova,
		uint64_t len);
int vv_dma_replay(struct vv_dev *d);

/* vhost_vdpa_vdev.c: the vdev of this process serving path, if any. */
bool vv_user_of(const char *path, char *name, size_t size);

/* vhost_vdpa_irq.c: eventfds and the callback thread. */
int vv_irq_start(struct vv_dev *d);
void vv_irq_stop(struct vv_dev *d);

#endif /* VHOST_VDPA_H */
