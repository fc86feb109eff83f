/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

#ifndef VQ_COMMON_H
#define VQ_COMMON_H

/*
 * The bottom of the ring layer: the driver side of one virtqueue, what
 * every ring layout (vq_split.c, vq_packed.c) shares, and the table of
 * operations through which the layers above use a layout. The layout is
 * chosen once, when the features are negotiated (hw->ring); nothing
 * above the ring files asks which one it is.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/virtio_ring.h>

#include <rte_common.h>
#include <rte_memzone.h>

#include <ethdev_driver.h>

struct rte_mdev_device;
struct vmdev_rxq;
struct vmdev_txq;

/*
 * Driver side of one virtqueue. The ring layout (split or packed) is
 * handled by vq_<layout>.c; the fields below the ring pointers are
 * layout independent.
 *
 * Split: avail_idx and last_used_idx are free-running 16-bit counters.
 * Packed: they are ring positions (0 .. size - 1) with wrap counters;
 * avail_flags holds the AVAIL/USED bits that mark a descriptor
 * available in the current driver wrap, used_wrap the wrap counter a
 * used descriptor must show.
 */
struct vmdev_vq {
	union {
		struct vring_desc *desc;		/* split */
		struct vring_packed_desc *pdesc;	/* packed */
	};
	union {
		struct vring_avail *avail;		/* split */
		struct vring_packed_desc_event *driver_event; /* packed */
	};
	union {
		struct vring_used *used;		/* split */
		struct vring_packed_desc_event *device_event; /* packed */
	};
	uint16_t size;		/* ring size (split: a power of two) */
	uint16_t mask;		/* split: size - 1 */
	uint16_t avail_idx;	/* split: shadow of avail->idx */
	uint16_t last_used_idx;	/* next used entry to consume */
	uint16_t free_cnt;	/* descriptors owned by the driver */
	uint16_t qid;		/* virtqueue index on the device */
	uint16_t avail_flags;	/* packed: flags of an available desc */
	uint16_t kicked_idx;	/* avail_idx at the last kick decision */
	bool used_wrap;		/* packed: used wrap counter */
	bool event_idx;		/* VIRTIO_RING_F_EVENT_IDX negotiated */
	bool in_order;		/* VIRTIO_F_IN_ORDER negotiated */
	/*
	 * The device returned nonsense (vq_mark_broken, logged once): the
	 * bursts stop using the queue, the layers above read the flag.
	 * Cleared by the layout's reset (port restart).
	 */
	bool broken;
	uint16_t ctrl_ndescs;	/* control queue: descs of the pending cmd */
	struct rte_mdev_device *mdev;
	void (*kick)(struct rte_mdev_device *dev, uint16_t qid);
	/* cold */
	const struct rte_memzone *mz;	/* ring memory (and extras) */
	size_t ring_bytes;		/* bytes of the ring proper */
	uint32_t align;
	const char *name;		/* port name, for logs */
};

/*
 * What a ring layout does for the layers above, all but the bursts off
 * the data path. The bursts are the layout's own functions, set on the
 * ethdev at start: no indirection per packet.
 */
struct vmdev_ring_ops {
	const char *name;	/* "split", "packed": for logs */
	/* Ring sizes must be powers of two. */
	bool pow2_size;
	/* Ring memory: bytes for num descriptors, laid out in mem. */
	size_t (*ring_size)(uint16_t num, uint32_t align);
	void (*init)(struct vmdev_vq *vq, void *mem, uint16_t num,
			uint32_t align);
	/* Back to a new ring (device calls off, broken cleared). */
	void (*reset)(struct vmdev_vq *vq);
	/* Descriptor, driver and device areas, for set_vq_address. */
	void (*addresses)(const struct vmdev_vq *vq, uint64_t *desc,
			uint64_t *driver, uint64_t *device);
	/* Queue start, after reset: free ids; fill the rx ring. */
	void (*rx_start)(struct vmdev_rxq *rxq);
	int (*rx_refill)(struct vmdev_rxq *rxq);
	void (*tx_start)(struct vmdev_txq *txq);
	/* Rx interrupts: enable is true when used entries are pending. */
	bool (*intr_enable)(struct vmdev_vq *vq);
	void (*intr_disable)(struct vmdev_vq *vq);
	/* Control queue: one command at a time; poll is 1 when done. */
	int (*ctrl_send)(struct vmdev_vq *vq, const void *const *bufs,
			const uint32_t *lens, const bool *writable,
			unsigned int n);
	int (*ctrl_poll)(struct vmdev_vq *vq);
	/* The data path. */
	eth_rx_burst_t rx_burst;		/* one buffer per packet */
	eth_rx_burst_t rx_burst_mergeable;	/* VIRTIO_NET_F_MRG_RXBUF */
	eth_tx_burst_t tx_burst;
};

/*
 * The device returned something that was never given to it (any
 * layout). Stop using the queue until the port restarts; say so once.
 */
void __rte_cold vq_mark_broken(struct vmdev_vq *vq, const char *what,
		uint32_t value);

#endif /* VQ_COMMON_H */
