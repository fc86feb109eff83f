/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

#ifndef SIM_H
#define SIM_H

/*
 * Private state of the sim parent: one struct sim_dev per vdev, holding
 * the mdev device it registers, the virtio-net device state, its queues
 * and its DMA regions. The per-device lock serialises control ops with
 * the engine, which takes it once per polling pass.
 */

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/queue.h>

#include <linux/virtio_net.h>
#include <linux/virtio_ring.h>

#include <rte_ether.h>
#include <rte_log.h>
#include <rte_spinlock.h>
#include <rte_uuid.h>

#include "rte_bus_mdev.h"
#include "rte_virtio_mdev.h"
#include "sim_iova.h"
#include "sim_wire.h"

/* sim_devs.c */
extern int sim_logtype;
#define SIM_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, sim_logtype, "mdev_sim: " fmt "\n", \
		##__VA_ARGS__)

#define SIM_DRIVER_NAME		"mdev_sim"
#define SIM_MAX_PAIRS		16
#define SIM_MAX_QUEUES		(2 * SIM_MAX_PAIRS + 1)
#define SIM_QSIZE_MIN		64
#define SIM_QSIZE_MAX		32768
#define SIM_QSIZE_DEF		1024
#define SIM_MTU_MIN		68
#define SIM_MTU_MAX		9000
#define SIM_MTU_DEF		1500
#define SIM_VQ_ALIGN		4096
/* The vendor id every virtio PCI device reports (QEMU's too). */
#define SIM_VENDOR_ID		0x1af4
/* virtio-net header with VERSION_1: always carries num_buffers. */
#define SIM_NET_HDR_LEN		sizeof(struct virtio_net_hdr_mrg_rxbuf)
/* Chains taken from one queue in one polling pass. */
#define SIM_BURST		32

/*
 * Virtqueue groups (RTE_VIRTIO_MDEV_F_ASID), as Linux's vDPA NICs have
 * them: the data queues' buffers, the control queue (rings and
 * buffers), and the data queues' ring areas, which a consumer may move
 * to an address space of its own (shadow rings). Every group starts in
 * address space 0.
 */
enum sim_group {
	SIM_GROUP_DATA,
	SIM_GROUP_CTRL,
	SIM_GROUP_DATA_RINGS,
	SIM_NGROUPS
};
#define SIM_NAS			2

enum sim_engine_kind {
	SIM_ENGINE_AUTO,
	SIM_ENGINE_SERVICE,
	SIM_ENGINE_THREAD,
	SIM_ENGINE_NONE,	/* tests drive sim_engine_poll() themselves */
};

/* What the devargs asked for. */
struct sim_params {
	rte_uuid_t uuid;
	bool has_uuid;
	enum rte_mdev_consumer consumer;
	uint16_t queues;
	uint16_t queue_size;
	struct rte_ether_addr mac;
	bool has_mac;
	uint16_t mtu;
	uint64_t features;	/* mask ANDed with the offered features */
	enum sim_engine_kind engine;
	int cpu;		/* -1: not pinned */
	char wire[RTE_ETH_NAME_MAX_LEN];	/* "": loopback */
	uint64_t feat_on;	/* packed_vq=1 ...: offered though off by default */
	uint64_t feat_off;	/* mq=0 ...: withheld */
	bool no_log_dirty;	/* log_dirty=0: no RTE_VIRTIO_MDEV_F_LOG_DIRTY */
};

/* One validated buffer of a descriptor chain. */
struct sim_seg {
	uint64_t iova;
	uint8_t *va;		/* NULL when the buffer spans regions */
	uint32_t len;
	uint32_t writable;
};

/* A used entry of a packed ring, written at the end of the pass. */
struct sim_used {
	uint16_t id;
	uint16_t ndesc;		/* ring descriptors the chain took */
	uint32_t len;
};

/* Device-side state of one virtqueue (split or packed). */
struct sim_vq {
	/* Data path (engine, under the device lock). */
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	uint16_t mask;
	uint16_t last_avail;	/* next avail slot the device reads */
	uint16_t used_idx;	/* next used slot, published per burst */
	uint16_t pub_idx;	/* used->idx the driver last saw */
	bool ready;
	bool broken;
	struct sim_seg *segs;	/* scratch for one chain, segs_cap entries */
	uint32_t segs_cap;
	/* The address spaces of its buffers and of its rings (enable). */
	struct sim_iova_table *bufs;
	struct sim_iova_table *rings;
	/* Layout and notifications, fixed when the queue is enabled. */
	bool packed;		/* VIRTIO_F_RING_PACKED (sim_vq_packed.h) */
	bool event_idx;		/* VIRTIO_RING_F_EVENT_IDX */
	bool in_order;		/* VIRTIO_F_IN_ORDER */
	bool polled;		/* the engine polls it: no kicks wanted */
	/* Packed: last_avail and used_idx are ring positions (< num). */
	uint8_t avail_wrap;	/* driver wrap counter expected at last_avail */
	uint8_t used_wrap;	/* wrap counter written at used_idx */
	uint8_t pub_wrap;	/* used_wrap at the last publish */
	uint16_t nshadow;	/* used entries of this pass, not yet written */
	struct vring_packed_desc *pdesc;
	struct vring_packed_desc_event *drv_event;
	struct vring_packed_desc_event *dev_event;
	struct sim_used *shadow;	/* shadow_cap entries (>= num) */
	uint32_t shadow_cap;
	struct rte_virtio_mdev_callback cb;
	struct rte_virtio_mdev_vq_stats stats;
	/* Control path. */
	uint64_t desc_iova;
	uint64_t driver_iova;
	uint64_t device_iova;
	uint32_t num;
	bool addr_set;
	uint16_t qid;
};

/*
 * Receive filters set through the control queue, applied to what the
 * device delivers (sim_net_filter.c). promisc starts on, as in QEMU, so
 * that a driver without VIRTIO_NET_F_CTRL_RX receives everything.
 */
#define SIM_MAC_TABLE_MAX 64
#define SIM_VLAN_WORDS (4096 / 32)
struct sim_rx_mode {
	bool promisc;
	bool allmulti;
	uint32_t uc_count;
	uint32_t mc_count;
	bool table_overflow;
	struct rte_ether_addr table[SIM_MAC_TABLE_MAX];
	uint32_t vlans[SIM_VLAN_WORDS];	/* VIRTIO_NET_F_CTRL_VLAN table */
};

/* Device-wide net counters (not reset with the device). */
struct sim_net_stats {
	uint64_t rx_filtered;	/* dropped by the receive filters */
	uint64_t tx_csum_sw;	/* NEEDS_CSUM completed in software */
	uint64_t tx_csum_passed;	/* NEEDS_CSUM passed to the driver */
	uint64_t tx_bad_offload;	/* bad csum/GSO header, too long */
	uint64_t tx_tso_sw;	/* TCP segments made by the device (GSO) */
	uint64_t tx_gso_passed;	/* GSO packets passed whole to the driver */
};

/* Largest packet whose checksum (or segmentation) the device does. */
#define SIM_BOUNCE_MAX	(64 * 1024 + 64)

/*
 * Dirty page log (RTE_VIRTIO_MDEV_F_LOG_DIRTY, sim_log.h). Set under the
 * device lock; the engine reads it under the lock too.
 */
struct sim_dirty_log {
	uint8_t *base;		/* vhost-format bitmap, NULL: none given */
	uint64_t size;		/* its bytes */
	uint64_t pages;		/* IOVA pages it covers */
	uint64_t beyond;	/* writes to pages beyond it (not logged) */
	bool on;
};

struct sim_engine {
	enum sim_engine_kind kind;	/* SERVICE, THREAD or NONE */
	uint32_t service_id;
	uint32_t service_lcore;
	pthread_t thread;
	bool thread_started;
	bool stop;
};

struct sim_dev {
	struct rte_mdev_device mdev;
	TAILQ_ENTRY(sim_dev) next;
	char name[RTE_DEV_NAME_MAX_LEN];
	struct sim_params p;
	rte_spinlock_t lock;
	uint8_t status;		/* atomic loads outside the lock */
	bool running;		/* DRIVER_OK and not FAILED (atomic) */
	bool mrg_rxbuf;		/* negotiated VIRTIO_NET_F_MRG_RXBUF */
	uint64_t offered;
	uint64_t features;
	uint16_t active_pairs;
	uint16_t nb_vqs;
	uint32_t generation;
	struct virtio_net_config cfg;
	struct rte_virtio_mdev_callback config_cb;
	bool config_cb_pending;
	bool ctrl_cb_pending;
	struct sim_rx_mode rx_mode;
	struct sim_net_stats net_stats;
	struct sim_engine engine;
	struct sim_wire wire;
	bool removing;		/* vdev remove in progress */
	/* DMA regions of each address space, and each group's binding. */
	struct sim_iova_table as[SIM_NAS];
	uint32_t group_asid[SIM_NGROUPS];
	struct sim_dirty_log dlog;
	struct sim_vq vq[SIM_MAX_QUEUES];
	/* Linear copy of a packet whose checksum the device completes. */
	uint8_t *bounce;	/* SIM_BOUNCE_MAX bytes */
};

static inline struct sim_dev *
sim_dev_of(struct rte_mdev_device *mdev)
{
	return mdev->parent_priv;
}

static inline bool
sim_has(const struct sim_dev *d, unsigned int bit)
{
	return (d->features >> bit) & 1;
}

/* Index of the control queue (virtio-net: 2N, N = 1 without MQ). */
static inline uint16_t
sim_ctrl_qid(const struct sim_dev *d)
{
	return 2 * (sim_has(d, VIRTIO_NET_F_MQ) ? d->p.queues : 1);
}

/* The groups of a queue's buffers and of its rings (F_ASID). */
static inline uint32_t
sim_vq_group(const struct sim_dev *d, uint16_t qid)
{
	return qid == sim_ctrl_qid(d) ? SIM_GROUP_CTRL : SIM_GROUP_DATA;
}

static inline uint32_t
sim_vq_desc_group(const struct sim_dev *d, uint16_t qid)
{
	return qid == sim_ctrl_qid(d) ? SIM_GROUP_CTRL : SIM_GROUP_DATA_RINGS;
}

/* The address space a group is bound to. */
static inline struct sim_iova_table *
sim_group_as(struct sim_dev *d, uint32_t group)
{
	return &d->as[d->group_asid[group]];
}

/* Where the data queues' buffers are (the loopback copies between them). */
static inline struct sim_iova_table *
sim_data_as(struct sim_dev *d)
{
	return sim_group_as(d, SIM_GROUP_DATA);
}

/* sim_ops.c */
extern const struct rte_virtio_mdev_ops sim_ops;
void sim_dev_init_state(struct sim_dev *d);
void sim_dev_reset(struct sim_dev *d);

/* sim_devs.c: the devices alive, for telemetry (list lock held). */
TAILQ_HEAD(sim_dev_list, sim_dev);
extern struct sim_dev_list sim_devs;
void sim_devs_lock(void);
void sim_devs_unlock(void);

/* sim_devargs.c */
extern const char * const sim_devargs_keys[];
int sim_parse_devargs(const char *name, const char *args,
		struct sim_params *p);
void sim_derive_uuid(const char *name, rte_uuid_t uuid);
void sim_derive_mac(const char *name, struct rte_ether_addr *mac);

#endif /* SIM_H */
