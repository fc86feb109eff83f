/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

#ifndef VDPA_MDEV_H
#define VDPA_MDEV_H

/*
 * The mdev vDPA driver: hands the virtqueues of a vhost-user front end to
 * any virtio-mdev device (a parent on the mdev bus), through the ops of
 * rte_virtio_mdev.h only.
 */

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <linux/virtio_ring.h>

#include <rte_log.h>
#include <rte_vhost.h>
#include <vdpa_driver.h>

#include "rte_bus_mdev.h"

extern int vdpa_mdev_logtype;
#define VDPA_MDEV_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, vdpa_mdev_logtype, "vdpa_mdev: " fmt "\n", \
		##__VA_ARGS__)

struct vdpa_mdev_device;

/* One virtqueue of the device as the vhost front end sees it. */
struct vdpa_mdev_vq {
	struct vdpa_mdev_device *vdev;
	uint16_t qid;
	/* The vhost library reported the vring ready (set_vring_state). */
	bool enabled;
	/* Programmed on the device and set ready there. */
	bool running;
	/*
	 * The front end's call eventfd, read by the device's callback on
	 * its own thread: atomic, -1 when the queue does not run.
	 */
	int callfd;
	/* Kick eventfd registered with the relay thread, -1 if none. */
	int kickfd;
	/* Kicks relayed since the queue started (relay lock). */
	uint64_t kicks;
	/* The vring as vhost gave it when the queue was started. */
	struct rte_vhost_vring vring;
	/* Its areas as IOVAs (guest physical addresses). */
	uint64_t desc_iova;
	uint64_t driver_iova;
	uint64_t device_iova;
	/*
	 * Used ring relay (vdpa_mdev_relay.c), split rings of a device
	 * without dirty logging while the front end logs: the device
	 * writes its used entries to a shadow ring of ours, the relay
	 * thread copies them to the front end's ring and logs what was
	 * written. Fields below belong to the relay lock once relayed.
	 */
	struct vring shadow;	/* shadow.used == NULL: not relayed */
	void *shadow_buf;	/* rte_zmalloc'ed: used ring, then a
				 * scratch avail ring for vhost's relay */
	uint64_t shadow_iova;	/* where the used ring is mapped */
	uint64_t shadow_len;	/* mapped length (whole pages) */
	bool relayed;		/* the relay thread serves the queue */
	int relay_vid;		/* front end the relay writes to */
	uint32_t relay_err;	/* relay failures since setup */
};

/* The device's control queue, driven by this driver (vdpa_mdev_ctrl.c). */
struct vdpa_mdev_ctrl {
	void *page;		/* rings and command buffer, NULL if none */
	uint64_t iova;		/* where the page is mapped on the device */
	uint16_t qid;
	uint16_t avail_idx;	/* packed: ring position of the next command */
	uint16_t used_idx;	/* split only */
	uint16_t pairs;		/* queue pairs the device was told to use */
	uint8_t wrap;		/* packed: driver ring wrap counter */
	bool packed;		/* VIRTIO_F_RING_PACKED negotiated */
	bool mapped;
	bool running;
};

/* Per mdev device state (dev->driver_priv). */
struct vdpa_mdev_device {
	struct rte_mdev_device *mdev;
	struct rte_vdpa_device *vdpa;
	/* Serialises the control ops on the device (contract rule). */
	pthread_mutex_t lock;
	uint64_t dev_features;	/* what the device offers */
	uint16_t max_pairs;	/* queue pairs (config, or 1 without MQ) */
	uint16_t nr_vq;		/* data queues (vrings of the front end) */
	/* The front end that owns the device (vhost vid), -1 when none. */
	int vid;
	bool configured;	/* between dev_conf and dev_close */
	bool logging;		/* device dirty logging on */
	/* The vhost log the device marks: where vhost has it ... */
	uint64_t log_base;
	uint64_t log_size;
	/* ... and our own mapping of its pages given to the device. */
	void *log_alias;
	uint64_t features;	/* negotiated with the front end */
	/* What the device lets the driver keep from the guest (as.c). */
	bool ctrl_private;	/* a control queue in its own space */
	bool rings_private;	/* data queue rings there too (relay) */
	struct rte_vhost_memory *mem;	/* mapped table (dma_map'ed) */
	uint32_t nr_mapped;	/* regions of mem mapped on the device */
	struct vdpa_mdev_ctrl ctrl;
	/* Used ring relay, the fallback for dirty logging (relay.c). */
	bool relaying;		/* split queues start relayed */
	bool relay_thread;	/* the thread runs */
	bool relay_stop;	/* asks it to stop (atomic) */
	int relay_evfd;		/* device callbacks wake the thread */
	pthread_t relay_tid;
	pthread_mutex_t relay_lock;	/* vq shadow fields vs the thread */
	struct vdpa_mdev_vq vqs[];
};

/*
 * vdpa_mdev_as.c: the address space of the driver's own pages, which
 * the guest's descriptors cannot name (address space 0 holds only the
 * front end's memory).
 */
#define VDPA_MDEV_AS_GUEST	0
#define VDPA_MDEV_AS_PRIVATE	1
uint64_t vdpa_mdev_as_features(struct rte_mdev_device *mdev,
		uint64_t features);
void vdpa_mdev_as_probe(struct vdpa_mdev_device *vdev);
int vdpa_mdev_as_bind(struct vdpa_mdev_device *vdev, uint16_t ctrl_qid);

/* vdpa_mdev_mem.c: the front end's memory on the device. */
int vdpa_mdev_mem_map(struct vdpa_mdev_device *vdev, int vid);
void vdpa_mdev_mem_unmap(struct vdpa_mdev_device *vdev);
/*
 * The driver's own pages (control queue, shadow used rings) are mapped
 * in VDPA_MDEV_AS_PRIVATE, above the front end's memory (which that
 * space holds too, for the data queues' rings): the control page at
 * vdpa_mdev_mem_end(), shadow used ring of queue q at
 * vdpa_mdev_mem_end() + VDPA_MDEV_SHADOW_OFF + q * VDPA_MDEV_SHADOW_SLOT
 * (a slot holds the used ring of the largest split queue, 32768).
 */
#define VDPA_MDEV_SHADOW_OFF	(UINT64_C(1) << 20)
#define VDPA_MDEV_SHADOW_SLOT	(UINT64_C(1) << 19)
#define VDPA_MDEV_PRIVATE_LEN(nr_vq) \
	(VDPA_MDEV_SHADOW_OFF + (uint64_t)(nr_vq) * VDPA_MDEV_SHADOW_SLOT)
uint64_t vdpa_mdev_mem_end(const struct rte_vhost_memory *mem);
int vdpa_mdev_hva_to_gpa(const struct rte_vhost_memory *mem, uint64_t hva,
		uint64_t len, uint64_t *gpa);

/* vdpa_mdev_vq.c: one virtqueue. */
int vdpa_mdev_vq_start(struct vdpa_mdev_vq *vq, int vid);
void vdpa_mdev_vq_stop(struct vdpa_mdev_vq *vq, int vid);

/* vdpa_mdev_ctrl.c: the device's control queue. */
int vdpa_mdev_ctrl_alloc(struct vdpa_mdev_device *vdev);
void vdpa_mdev_ctrl_free(struct vdpa_mdev_device *vdev);
int vdpa_mdev_ctrl_start(struct vdpa_mdev_device *vdev, uint16_t qid);
void vdpa_mdev_ctrl_stop(struct vdpa_mdev_device *vdev);
int vdpa_mdev_ctrl_update_pairs(struct vdpa_mdev_device *vdev);

/* vdpa_mdev_relay.c: used ring relay when the device cannot log. */
int vdpa_mdev_relay_enable(struct vdpa_mdev_device *vdev);
void vdpa_mdev_relay_disable(struct vdpa_mdev_device *vdev);
int vdpa_mdev_relay_vq_setup(struct vdpa_mdev_vq *vq, int vid,
		uint64_t *device_iova);
void vdpa_mdev_relay_vq_activate(struct vdpa_mdev_vq *vq);
void vdpa_mdev_relay_vq_teardown(struct vdpa_mdev_vq *vq);

/* vdpa_mdev_kick.c: relay of kick eventfds to kick_vq. */
int vdpa_mdev_kick_get(void);
void vdpa_mdev_kick_put(void);
int vdpa_mdev_kick_add(struct vdpa_mdev_vq *vq, int kickfd);
void vdpa_mdev_kick_del(struct vdpa_mdev_vq *vq);

#endif /* VDPA_MDEV_H */
