/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

#ifndef VIRTIO_MDEV_H
#define VIRTIO_MDEV_H

/*
 * Private state of the virtio_mdev PMD: a virtio-net driver whose device
 * is reached through the virtio-mdev ops table (rte_virtio_mdev.h).
 * Descriptors carry process virtual addresses: the PMD dma_maps all of
 * DPDK's memory with iova == vaddr (virtio_mdev_dma.c).
 *
 * The definitions every file shares (port, queues), low in the layers:
 * it includes only the ring layer's bottom (vq_common.h) and declares
 * the functions of the files below the ring layouts (DMA, offloads).
 * Each file above declares its own in its header.
 */

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <linux/virtio_net.h>
#include <linux/virtio_ring.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_memzone.h>

#include <ethdev_driver.h>

#include "rte_bus_mdev.h"
#include "rte_virtio_mdev.h"

#include "vq_common.h"

/* Virtio 1.x is little endian; the rings are used without byte swaps. */
#if RTE_BYTE_ORDER != RTE_LITTLE_ENDIAN
#error "virtio_mdev supports little-endian hosts only"
#endif

#define VMDEV_NAME_LEN RTE_MDEV_NAME_LEN

/* The virtio-net header of a VERSION_1 device: always 12 bytes. */
#define VMDEV_NET_HDR_SIZE sizeof(struct virtio_net_hdr_v1)

/* Ring sizes. Split rings are powers of two. */
#define VMDEV_RING_MIN 64
#define VMDEV_RING_DEFAULT 1024
/* Largest ring an application may ask for; clamped to the device. */
#define VMDEV_RING_REQUEST_MAX 32768
#define VMDEV_CTRL_RING_SIZE 64
/*
 * Receive filter table (VIRTIO_NET_CTRL_MAC_TABLE_SET): unicast
 * addresses of the port (the primary one included in the count) and
 * multicast addresses; both tables fit one control command.
 */
#define VMDEV_MAX_MAC_ADDRS 16
#define VMDEV_MAX_MC_ADDRS 32
#define VMDEV_CTRL_DATA_MAX RTE_ALIGN_CEIL(2 * sizeof(uint32_t) + \
	(VMDEV_MAX_MAC_ADDRS + VMDEV_MAX_MC_ADDRS) * RTE_ETHER_ADDR_LEN, \
	RTE_CACHE_LINE_SIZE)

/* Descriptors taken or returned per refill / completion step. */
#define VMDEV_BURST 64
/* Split avail ring entries in one cache line. */
#define VMDEV_AVAIL_PER_LINE (RTE_CACHE_LINE_SIZE / sizeof(uint16_t))
#define VMDEV_RX_FREE_THRESH 32
#define VMDEV_TX_FREE_THRESH 32

/* Without VIRTIO_NET_F_MTU the device gives no limit: use a jumbo MTU. */
#define VMDEV_DEFAULT_MAX_MTU 9000
#define VMDEV_MIN_RX_BUFSIZE 64

/* Queue size classes of the per-queue xstats (undersize .. 1519-max). */
#define VMDEV_SIZE_BINS 8

/* Software counters of one rx or tx queue (updated by its lcore only). */
struct vmdev_qstats {
	uint64_t packets;
	uint64_t bytes;
	uint64_t errors;
	uint64_t multicast;
	uint64_t broadcast;
	uint64_t size_bins[VMDEV_SIZE_BINS];
};

/* One rx queue: descriptors each hold one mbuf, by descriptor id. */
struct vmdev_rxq {
	struct vmdev_vq vq;
	struct rte_mbuf **sw_ring;	/* mbuf per descriptor id */
	uint16_t *free_ids;		/* stack of free descriptor ids */
	struct rte_mempool *mp;
	uint32_t buf_len;	/* bytes one descriptor offers, header incl. */
	uint16_t port_id;
	uint16_t free_thresh;
	bool offload;		/* GUEST_CSUM negotiated: read the header */
	struct vmdev_qstats stats;
	/* cold */
	uint16_t queue_id;
	uint16_t nb_desc;
	unsigned int socket_id;
	int intr_fd;		/* rx interrupt eventfd, -1 without */
	struct vmdev_hw *hw;
};

/* Tx offloads a queue may use (txq->offload), from the features. */
#define VMDEV_TXO_CSUM	(1u << 0)	/* VIRTIO_NET_F_CSUM */
#define VMDEV_TXO_TSO4	(1u << 1)	/* VIRTIO_NET_F_HOST_TSO4 */
#define VMDEV_TXO_TSO6	(1u << 2)	/* VIRTIO_NET_F_HOST_TSO6 */

/* What a tx chain holds until the device returns it. */
struct vmdev_tx_slot {
	struct rte_mbuf *mbuf;	/* NULL when the head is free */
	uint16_t tail;		/* last descriptor of the chain */
	uint16_t ndescs;
};

/* One tx queue: chains of descriptors, free list in next[]. */
struct vmdev_txq {
	struct vmdev_vq vq;
	struct vmdev_tx_slot *slots;	/* by head descriptor id */
	uint16_t *next;			/* private copy of desc[].next */
	uint16_t free_head;
	uint16_t free_thresh;
	uint8_t offload;		/* VMDEV_TXO_*: negotiated tx offloads */
	/* headers for mbufs without usable headroom, by head id */
	struct virtio_net_hdr_v1 *hdrs;
	struct vmdev_qstats stats;
	/* cold */
	uint16_t queue_id;
	uint16_t nb_desc;
	unsigned int socket_id;
	struct vmdev_hw *hw;
};

/* Control virtqueue command buffer (in the control queue's memzone). */
struct vmdev_ctrl_buf {
	struct virtio_net_ctrl_hdr hdr;
	uint8_t pad0[RTE_CACHE_LINE_SIZE - sizeof(struct virtio_net_ctrl_hdr)];
	uint8_t data[VMDEV_CTRL_DATA_MAX];
	virtio_net_ctrl_ack ack;
};

struct vmdev_ctrl {
	struct vmdev_vq vq;
	struct vmdev_ctrl_buf *buf;
};

/* One DMA mapping given to the device (iova == vaddr). */
struct vmdev_dma_region {
	uint64_t iova;
	uint64_t len;
};

struct vmdev_dma {
	pthread_mutex_t lock;	/* table and dma ops: callback thread races */
	struct vmdev_dma_region *regions;	/* libc memory, see .c */
	unsigned int nb;
	unsigned int cap;
	bool cb_registered;
	char cb_name[64];
};

/* The port: eth_dev->data->dev_private. */
struct vmdev_hw {
	struct rte_mdev_device *mdev;
	const struct rte_virtio_mdev_ops *ops;
	struct rte_eth_dev *eth_dev;
	char name[VMDEV_NAME_LEN];	/* the mdev alias = port name */
	uint64_t dev_features;		/* offered by the device */
	uint64_t features;		/* negotiated */
	uint16_t max_pairs;		/* queue pairs the device has */
	uint16_t nb_pairs;		/* queue pairs configured */
	uint16_t max_mtu;
	uint16_t vq_num_max;
	uint32_t vq_align;
	uint64_t refused;		/* features refused with vm_* devargs */
	/* The ring layout, chosen with the features (VIRTIO_F_RING_PACKED). */
	const struct vmdev_ring_ops *ring;
	bool started;
	bool reset_reported;		/* NEEDS_RESET told once per start */
	bool has_vq_stats;
	struct vmdev_ctrl *ctrl;	/* NULL without VIRTIO_NET_F_CTRL_VQ */
	struct vmdev_dma dma;
	/* rx interrupts: eventfds by rx queue (eth_dev->intr_handle) */
	struct rte_intr_handle *intr;
	uint16_t nb_intr;
	/* device counters carried over resets, by virtqueue index */
	struct rte_virtio_mdev_vq_stats *vq_stats_base;
	/* rte_eth_dev_set_mc_addr_list(), sent again at every start */
	struct rte_ether_addr mc_addrs[VMDEV_MAX_MC_ADDRS];
	uint32_t nb_mc_addrs;
};

static inline bool
vmdev_with(const struct vmdev_hw *hw, unsigned int bit)
{
	return (hw->features & (UINT64_C(1) << bit)) != 0;
}

/* Virtqueue index of rx / tx queue q (virtio-net numbering). */
static inline uint16_t
vmdev_rx_vq(uint16_t q)
{
	return 2 * q;
}

static inline uint16_t
vmdev_tx_vq(uint16_t q)
{
	return 2 * q + 1;
}

/* virtio_mdev_dma.c */
int vmdev_dma_setup(struct vmdev_hw *hw);
void vmdev_dma_teardown(struct vmdev_hw *hw);

/* virtio_mdev_offload.c */
uint16_t vmdev_tx_prepare(void *txq, struct rte_mbuf **pkts, uint16_t n);
void vmdev_tx_hdr_offload(struct virtio_net_hdr_v1 *hdr, struct rte_mbuf *m);
int vmdev_rx_offload(struct rte_mbuf *m,
		const struct virtio_net_hdr_v1 *hdr);

#endif /* VIRTIO_MDEV_H */
