/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

#ifndef RTE_VIRTIO_MDEV_H
#define RTE_VIRTIO_MDEV_H

/**
 * @file
 * The virtio-mdev device operations: the contract between a parent (a
 * device that implements virtio) and a consumer (the virtio_mdev PMD, the
 * mdev vDPA driver) on the mdev bus.
 *
 * A parent fills one struct rte_virtio_mdev_ops and tells which groups of
 * ops it implements with get_mdev_features(). RTE_VIRTIO_MDEV_F_VERSION_1
 * is the base table; every further bit names a group of optional ops. The
 * bus refuses a device whose ops table lacks an op of an advertised group.
 * Consumers test feature bits, never individual function pointers, with
 * one exception: get_generation is optional on its own (see there).
 *
 * Addresses given to the device (ring addresses, descriptor buffers) are
 * IOVAs. The device translates them through the regions given with
 * dma_map and never touches memory outside them.
 *
 * Address spaces (as in Linux vDPA): every queue belongs to a group for
 * its buffers (get_vq_group) and to a group for its ring areas
 * (get_vq_desc_group, possibly the same), and every group is bound to
 * one address space (set_group_asid): a separate IOVA space with its own
 * dma_map regions. An address a queue's driver writes is translated only
 * in the address space of the group it belongs to, so memory mapped in
 * another address space cannot be named from that queue. This is how a
 * consumer keeps memory of its own (a control queue it drives itself,
 * shadow rings) out of the reach of the driver of the other queues (a
 * guest). A device without RTE_VIRTIO_MDEV_F_ASID has one group and one
 * address space, 0, and refuses any other asid with -EINVAL: a consumer
 * must then not put private memory beside memory an untrusted driver
 * can name.
 *
 * Threading: control ops are called from one control thread at a time
 * (the consumer serialises them). kick_vq may be called from any data
 * path thread. dma_map and dma_unmap may also come from whichever thread
 * grows or shrinks DPDK's heap (the consumer's memory event callback),
 * concurrently with other ops and with EAL's memory locks held: parents
 * make them thread-safe and never allocate from DPDK's heap in them.
 * Read-only ops (get_status, get_config, get_features) may be called
 * from any control thread. Callbacks are invoked from the device's own context
 * (an engine thread or service lcore), must not block and must not call
 * control ops (kick_vq is allowed). Once set_vq_cb, set_config_cb or a
 * reset returns, the old callback is no longer running and will not run
 * again, so its argument may be freed.
 *
 * Queues: virtio-net numbering, rx of pair i = 2i, tx of pair i = 2i + 1;
 * the control queue is 2 * max_virtqueue_pairs when VIRTIO_NET_F_MQ is
 * negotiated, else 2. The ring layout (split or packed), and so the rules
 * of set_vq_num and the half of struct rte_virtio_mdev_vq_state that
 * applies, follow the features set before FEATURES_OK; queue ops are
 * meant to be used after FEATURES_OK.
 *
 * Status follows the virtio specification (VIRTIO_CONFIG_S_* of
 * <linux/virtio_config.h>): ACKNOWLEDGE, DRIVER, FEATURES_OK (the device
 * may refuse: get_status then lacks the bit), DRIVER_OK, NEEDS_RESET
 * (set by the device when a queue broke; it then also invokes the config
 * callback), FAILED. set_status(0) resets
 * the device to the state it had when new: all queues not ready with
 * address, size, state and callbacks cleared, features cleared, config
 * callback cleared. DMA mappings survive a reset; they are dropped only
 * by dma_unmap or when the device is destroyed.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/virtio_config.h>

#ifdef __cplusplus
extern "C" {
#endif

struct rte_mdev_device;

/** Class id of devices that implement struct rte_virtio_mdev_ops. */
#define RTE_MDEV_CLASS_ID_VIRTIO 2

/** mdev features: groups of ops (bit numbers of get_mdev_features()). */
/** Base table: every op not listed under another group. */
#define RTE_VIRTIO_MDEV_F_VERSION_1	0
/** Dirty page logging for live migration: set_log_base, set_log_enable. */
#define RTE_VIRTIO_MDEV_F_LOG_DIRTY	1
/** Per-queue device counters: get_vq_stats, reset_vq_stats. */
#define RTE_VIRTIO_MDEV_F_VQ_STATS	2
/**
 * Virtqueue groups and address spaces: get_group_num, get_as_num,
 * get_vq_group, get_vq_desc_group, set_group_asid; dma_map and
 * dma_unmap then accept every asid below get_as_num().
 */
#define RTE_VIRTIO_MDEV_F_ASID		3

#define RTE_VIRTIO_MDEV_FEATURE(bit) (UINT64_C(1) << (bit))

/** Callback from the device to its consumer (used buffers, config change). */
struct rte_virtio_mdev_callback {
	void (*fn)(void *arg);
	void *arg;
};

/**
 * The position of a virtqueue, enough to stop it and start it again
 * where it stopped (reconnect, migration).
 */
struct rte_virtio_mdev_vq_state {
	union {
		struct {
			/** Next avail ring index the device will read. */
			uint16_t avail_index;
		} split;
		struct {
			/** Next descriptor the device will read ... */
			uint16_t last_avail_idx;
			/** ... and the driver wrap counter it expects there. */
			uint8_t last_avail_counter;
			/** Next descriptor the device will write as used ... */
			uint16_t last_used_idx;
			/** ... and the wrap counter it will write it with. */
			uint8_t last_used_counter;
		} packed;
	};
};

/**
 * Device counters of one virtqueue (RTE_VIRTIO_MDEV_F_VQ_STATS). They
 * survive a device reset; reset_vq_stats zeroes them.
 */
struct rte_virtio_mdev_vq_stats {
	uint64_t received_descs;	/**< chains taken from the driver */
	uint64_t completed_descs;	/**< chains returned as used */
	/** Descriptor outside mapped memory, bad index, flags or wrap. */
	uint64_t bad_desc_errors;
	uint64_t exceed_max_chain;	/**< chain loops or exceeds ring size */
	uint64_t invalid_buffer;	/**< length overflow, buffer too small */
	/** Rx queue: packets dropped for lack of an rx buffer. */
	uint64_t completion_errors;
};

/**
 * dma_map requires vaddr and iova to agree modulo this (the largest
 * alignment a ring area needs).
 */
#define RTE_VIRTIO_MDEV_DMA_ALIGN	16

/**
 * The names of the counters of struct rte_virtio_mdev_vq_stats, one
 * spelling for every consumer (PMD xstats, vDPA stats, telemetry): the
 * field names. RTE_VIRTIO_MDEV_VQ_STATS_NB entries.
 */
struct rte_virtio_mdev_vq_stat_name {
	const char *name;
	size_t offset;		/**< in struct rte_virtio_mdev_vq_stats */
};
#define RTE_VIRTIO_MDEV_VQ_STATS_NB 6
extern const struct rte_virtio_mdev_vq_stat_name
	rte_virtio_mdev_vq_stat_names[RTE_VIRTIO_MDEV_VQ_STATS_NB];

/** DMA permissions for dma_map. */
#define RTE_VIRTIO_MDEV_DMA_READ	(1u << 0)
#define RTE_VIRTIO_MDEV_DMA_WRITE	(1u << 1)
#define RTE_VIRTIO_MDEV_DMA_RW \
	(RTE_VIRTIO_MDEV_DMA_READ | RTE_VIRTIO_MDEV_DMA_WRITE)

/**
 * The device operations. Unless said otherwise an op belongs to
 * RTE_VIRTIO_MDEV_F_VERSION_1 and is mandatory. Ops returning int return
 * 0 on success and a negative errno on failure. "qid" beyond the device's
 * queue count gives -EINVAL (or is ignored by void ops).
 */
struct rte_virtio_mdev_ops {
	/**
	 * Set the IOVAs of a queue's descriptor area, driver area (split:
	 * avail ring; packed: driver event suppression) and device area
	 * (split: used ring; packed: device event suppression).
	 * Status: before the queue is ready. -EBUSY if it is ready.
	 */
	int (*set_vq_address)(struct rte_mdev_device *dev, uint16_t qid,
			uint64_t desc_iova, uint64_t driver_iova,
			uint64_t device_iova);
	/**
	 * Set a queue's size: a power of two (split) or any value (packed)
	 * from 1 to get_vq_num_max(). -EINVAL otherwise, -EBUSY if ready.
	 */
	int (*set_vq_num)(struct rte_mdev_device *dev, uint16_t qid,
			uint32_t num);
	/**
	 * Notify the device that a queue has new buffers. Any thread, any
	 * status; a device that polls may ignore it. Never blocks.
	 */
	void (*kick_vq)(struct rte_mdev_device *dev, uint16_t qid);
	/**
	 * Set (cb != NULL) or clear (cb == NULL or cb->fn == NULL) the
	 * callback the device invokes when it has used buffers on the queue
	 * and the driver has not suppressed notifications.
	 */
	void (*set_vq_cb)(struct rte_mdev_device *dev, uint16_t qid,
			const struct rte_virtio_mdev_callback *cb);
	/**
	 * Enable or disable a queue. Enabling checks that the address and
	 * size were set and the ring areas aligned as the layout requires
	 * (-EINVAL otherwise) and that the rings lie inside mapped memory
	 * (-EFAULT otherwise). Disabling stops the device using the queue
	 * before it returns; address and size are kept and the position
	 * stays readable with get_vq_state.
	 */
	int (*set_vq_ready)(struct rte_mdev_device *dev, uint16_t qid,
			bool ready);
	/** Whether a queue is enabled. */
	bool (*get_vq_ready)(struct rte_mdev_device *dev, uint16_t qid);
	/**
	 * Set the position a queue starts from (the device otherwise starts
	 * at 0 with wrap counters 1). Only while the queue is not ready:
	 * -EBUSY otherwise. Packed: -EINVAL for an index beyond the queue
	 * size. Split: the avail index is a free-running counter; the used
	 * index restarts equal to it (nothing is in flight across a stop).
	 */
	int (*set_vq_state)(struct rte_mdev_device *dev, uint16_t qid,
			const struct rte_virtio_mdev_vq_state *state);
	/**
	 * Read a queue's position. Meaningful when the queue is not ready
	 * (after set_vq_ready(false)); -EBUSY while it is ready.
	 */
	int (*get_vq_state)(struct rte_mdev_device *dev, uint16_t qid,
			struct rte_virtio_mdev_vq_state *state);
	/**
	 * Alignment in bytes the consumer should give each ring area
	 * (descriptor, driver and device areas). The device itself requires
	 * only the virtio specification's minimum alignments.
	 */
	uint32_t (*get_vq_align)(struct rte_mdev_device *dev);
	/** The virtio feature bits the device offers. Any status. */
	uint64_t (*get_features)(struct rte_mdev_device *dev);
	/**
	 * Set the features the driver accepted. Only in status DRIVER
	 * without FEATURES_OK (-EBUSY otherwise); -EINVAL if a bit was not
	 * offered. The device may still refuse the set when the driver
	 * writes FEATURES_OK.
	 */
	int (*set_features)(struct rte_mdev_device *dev, uint64_t features);
	/** Set or clear the callback invoked when the config space changed. */
	void (*set_config_cb)(struct rte_mdev_device *dev,
			const struct rte_virtio_mdev_callback *cb);
	/** Largest queue size the device supports. */
	uint16_t (*get_vq_num_max)(struct rte_mdev_device *dev);
	/** Virtio device id (VIRTIO_ID_* of <linux/virtio_ids.h>). */
	uint32_t (*get_device_id)(struct rte_mdev_device *dev);
	/** Vendor id (PCI vendor id style, never 0). */
	uint32_t (*get_vendor_id)(struct rte_mdev_device *dev);
	/** The device status byte. */
	uint8_t (*get_status)(struct rte_mdev_device *dev);
	/**
	 * Write the status byte. 0 resets (see the file comment). Writing
	 * FEATURES_OK checks the accepted features; when the device refuses
	 * them it leaves the bit clear, which the driver must read back.
	 * DRIVER_OK starts the data path on the ready queues. A status that
	 * skips a step (DRIVER_OK without FEATURES_OK) sets FAILED.
	 */
	void (*set_status)(struct rte_mdev_device *dev, uint8_t status);
	/** Size in bytes of the device's config space. */
	size_t (*get_config_size)(struct rte_mdev_device *dev);
	/**
	 * Read config space bytes [offset, offset + len). Bytes beyond the
	 * config size read as zero.
	 */
	void (*get_config)(struct rte_mdev_device *dev, unsigned int offset,
			void *buf, unsigned int len);
	/** Write config space bytes; writes to read-only fields are ignored. */
	void (*set_config)(struct rte_mdev_device *dev, unsigned int offset,
			const void *buf, unsigned int len);
	/**
	 * Optional (may be NULL): a counter that changes whenever the config
	 * space changes. Without it a consumer reads the config twice until
	 * two reads agree (rte_virtio_mdev_read_config() does this).
	 */
	uint32_t (*get_generation)(struct rte_mdev_device *dev);
	/** Bit mask of RTE_VIRTIO_MDEV_FEATURE(RTE_VIRTIO_MDEV_F_*). */
	uint64_t (*get_mdev_features)(struct rte_mdev_device *dev);
	/**
	 * Let the device access [vaddr, vaddr + size) of this process at
	 * [iova, iova + size) of address space asid. Any status. -EEXIST if
	 * the IOVA range overlaps an existing mapping of that address space,
	 * -ENOSPC when the device has no room for another region, -EINVAL
	 * for a zero size, a wrapping range, an asid the device does not
	 * have (anything but 0 without RTE_VIRTIO_MDEV_F_ASID), or a vaddr
	 * whose alignment differs from the iova's modulo
	 * RTE_VIRTIO_MDEV_DMA_ALIGN (rings aligned in IOVA space must be
	 * aligned in memory too).
	 */
	int (*dma_map)(struct rte_mdev_device *dev, uint32_t asid,
			uint64_t iova, uint64_t size, void *vaddr,
			uint32_t perm);
	/**
	 * Remove a mapping made with exactly this asid, iova and size
	 * (-ENOENT if there is none). The device stops using it before
	 * returning.
	 */
	int (*dma_unmap)(struct rte_mdev_device *dev, uint32_t asid,
			uint64_t iova, uint64_t size);

	/* RTE_VIRTIO_MDEV_F_LOG_DIRTY */
	/**
	 * Set the dirty log: a bitmap of size bytes, one bit per 4 KiB page
	 * of IOVA space, bit n % 8 of byte n / 8 for page n (the vhost log
	 * format), set atomically. Pages beyond the bitmap are not marked.
	 * Only while logging is off (-EBUSY). The log and its on/off state
	 * survive a device reset, like DMA mappings.
	 */
	int (*set_log_base)(struct rte_mdev_device *dev, void *base,
			uint64_t size);
	/** Start or stop marking every page the device writes. */
	int (*set_log_enable)(struct rte_mdev_device *dev, bool enable);

	/* RTE_VIRTIO_MDEV_F_VQ_STATS */
	/** Read a queue's device counters. */
	int (*get_vq_stats)(struct rte_mdev_device *dev, uint16_t qid,
			struct rte_virtio_mdev_vq_stats *stats);
	/** Zero a queue's device counters. */
	int (*reset_vq_stats)(struct rte_mdev_device *dev, uint16_t qid);

	/* RTE_VIRTIO_MDEV_F_ASID */
	/** Number of virtqueue groups (at least 1). */
	uint32_t (*get_group_num)(struct rte_mdev_device *dev);
	/** Number of address spaces (at least 1). */
	uint32_t (*get_as_num)(struct rte_mdev_device *dev);
	/**
	 * The group of a queue's buffers (what its descriptors point at,
	 * indirect tables included). Depends on the negotiated features
	 * (which queue is the control queue): ask after FEATURES_OK.
	 * UINT32_MAX for a qid beyond the device's queues.
	 */
	uint32_t (*get_vq_group)(struct rte_mdev_device *dev, uint16_t qid);
	/**
	 * The group of a queue's ring areas (descriptor, driver and device
	 * areas). Equal to get_vq_group() on a device that cannot place
	 * them apart. UINT32_MAX for a qid beyond the device's queues.
	 */
	uint32_t (*get_vq_desc_group)(struct rte_mdev_device *dev,
			uint16_t qid);
	/**
	 * Bind a group to an address space. A reset binds every group to
	 * address space 0 again. -EINVAL for an unknown group or asid,
	 * -EBUSY while a queue whose buffers or rings are in the group is
	 * ready.
	 */
	int (*set_group_asid)(struct rte_mdev_device *dev, uint32_t group,
			uint32_t asid);
};

/**
 * Read config space consistently: uses get_generation when the device
 * has it, else reads until two reads agree.
 */
void rte_virtio_mdev_read_config(struct rte_mdev_device *dev,
		unsigned int offset, void *buf, unsigned int len);

/**
 * The status a device keeps after its driver wrote "status" over "old"
 * (not 0: a reset is the parent's own), by the rules of set_status that
 * every parent follows: NEEDS_RESET and FAILED stay; a newly written
 * FEATURES_OK is refused (cleared) unless accept_features says the
 * device takes the features set; FAILED is added, and *failed set, for
 * a status that clears a step taken or skips one (DRIVER without
 * ACKNOWLEDGE, FEATURES_OK without DRIVER, DRIVER_OK without
 * FEATURES_OK).
 */
uint8_t rte_virtio_mdev_next_status(uint8_t old, uint8_t status,
		bool accept_features, bool *failed);

/*
 * The driver side every consumer shares (the virtio driver core).
 */

/**
 * Reset the device and negotiate: ACKNOWLEDGE, DRIVER, set_features,
 * FEATURES_OK and read it back. On a refusal the device gets FAILED and
 * the reason is logged with "who".
 * @return 0, the error of set_features, or -EIO when FEATURES_OK was
 * refused.
 */
int rte_virtio_mdev_negotiate(struct rte_mdev_device *dev, uint64_t features,
		const char *who);

/**
 * A virtio-net device's queue pairs: 1 without VIRTIO_NET_F_MQ in
 * features, else max_virtqueue_pairs from config space, which must be
 * 1 to 0x8000 (virtio spec).
 * @return 0, or -EINVAL (logged with "who") for a value out of range.
 */
int rte_virtio_mdev_net_max_pairs(struct rte_mdev_device *dev,
		uint64_t features, uint16_t *pairs, const char *who);

/**
 * Check an ops table against the mdev features it advertises.
 * @return 0, or -EINVAL after logging the first missing op by name.
 */
int rte_virtio_mdev_check_ops(const char *who,
		const struct rte_virtio_mdev_ops *ops, uint64_t mdev_features);

#ifdef __cplusplus
}
#endif

#endif /* RTE_VIRTIO_MDEV_H */
