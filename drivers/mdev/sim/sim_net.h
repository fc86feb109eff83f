/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

#ifndef SIM_NET_H
#define SIM_NET_H

/* virtio-net on top of the split ring engine: the wire and the ctrl queue. */

#include "sim.h"
#include "sim_log.h"

/* The receive side of one burst (of the loopback or an ethdev wire). */
struct sim_rx_ctx {
	struct sim_vq *vq;
	bool ok;		/* ready and not broken */
	uint16_t avail_end;	/* avail index seen so far */
	/* Header of the next packet (offloads); NULL: all zero. */
	const struct virtio_net_hdr *hdr;
	/*
	 * Segments the device may still make in software (TSO) in this
	 * pass: a chain is not taken once it is 0, so that one driver
	 * cannot hold the device lock with thousands of segments.
	 */
	uint32_t gso_left;
};

/* Software TSO segments per pair and pass (sim_rx_ctx.gso_left). */
#define SIM_GSO_BUDGET	2048
/*
 * Smallest gso_size accepted: Linux's TCP minimum MSS. Smaller ones
 * would make a 64 KiB chain into thousands of segments.
 */
#define SIM_GSO_MIN_MSS	88

struct sim_cursor;

void sim_rx_ctx_init(struct sim_dev *d, struct sim_rx_ctx *r,
		struct sim_vq *rx);
/*
 * Copy one packet (src positioned after any header, plen bytes) into the
 * rx buffers of r: one chain, or several with mergeable buffers. A packet
 * without room is dropped and counted in the rx queue's statistics.
 */
void sim_rx_packet(struct sim_dev *d, struct sim_rx_ctx *r,
		struct sim_cursor *src, uint32_t plen);

/*
 * One pass over queue pair "pair": tx chains looped back to its rx, or
 * sent on the ethdev wire and what it received given to the rx queue.
 * Returns the number of tx chains taken plus packets received.
 */
int sim_net_pair_poll(struct sim_dev *d, uint16_t pair);

/*
 * Answer pending control queue commands. from_kick: called on the
 * driver's thread, so the queue callback is left to the engine.
 */
void sim_net_ctrl_poll(struct sim_dev *d, bool from_kick);

/* Shared by the split (sim_net.c) and packed (sim_net_packed.c) paths. */
struct sim_chain;
struct sim_vq;
struct sim_iova_table;
void sim_rx_put_hdr(struct sim_iova_table *t, struct sim_cursor *dst,
		uint8_t *nb[2], const struct virtio_net_hdr *vh);
void sim_tx_packet(struct sim_dev *d, struct sim_vq *tx,
		const struct sim_chain *c, struct sim_rx_ctx *r);
int sim_ctrl_chain(struct sim_dev *d, struct sim_vq *vq,
		const struct sim_chain *c);
/*
 * One packet being copied into rx chains, by either ring layout: the
 * layout finds each chain and writes its used entry; sim_rx_fill_chain
 * fills it and sim_rx_fill_done writes num_buffers at the end.
 */
struct sim_rx_fill {
	uint32_t plen;		/* packet bytes (after the header) */
	uint32_t left;		/* bytes not copied yet */
	uint16_t nbufs;		/* chains used so far */
	uint8_t *nb[2];		/* the two bytes of num_buffers */
	struct sim_log_nb lnb;	/* where they are, for the dirty log */
};

void sim_rx_fill_init(struct sim_rx_fill *f, uint32_t plen);
/*
 * Copy the packet's next bytes (after the header in the first chain)
 * into chain c. Returns the bytes written to c for its used entry, or -1
 * when the first chain cannot hold the header (or, without mergeable
 * buffers, the whole packet).
 */
int sim_rx_fill_chain(struct sim_dev *d, struct sim_rx_ctx *r,
		struct sim_rx_fill *f, const struct sim_chain *c,
		struct sim_cursor *src);
void sim_rx_fill_done(struct sim_dev *d, struct sim_rx_fill *f);

/* Packed ring versions (sim_net_packed.c). */
void sim_rx_packet_packed(struct sim_dev *d, struct sim_rx_ctx *r,
		struct sim_cursor *src, uint32_t plen);
int sim_net_pair_poll_packed(struct sim_dev *d, uint16_t pair);
void sim_net_ctrl_poll_packed(struct sim_dev *d, struct sim_vq *vq,
		bool from_kick);

/*
 * Receive filters (sim_net_filter.c): whether the packet at src (plen
 * bytes, cursor left where it is) may be delivered; a refused one is
 * counted in rx_filtered.
 */
bool sim_rx_accept(struct sim_dev *d, const struct sim_cursor *src,
		uint32_t plen);
/* VIRTIO_NET_CTRL_VLAN ADD / DEL. */
uint8_t sim_ctrl_vlan(struct sim_dev *d, uint8_t cmd, const uint8_t *data,
		uint32_t len);
/* Receive filters back to their reset state (everything received). */
void sim_rx_mode_reset(struct sim_dev *d);

/*
 * Offloads (sim_net_offload.c): a tx packet whose header asks for them
 * (h, read from the chain; src after the header, plen bytes), put on the
 * wire with them done or passed on to the receiving driver.
 */
void sim_tx_offload(struct sim_dev *d, const struct virtio_net_hdr *h,
		struct sim_cursor *src, uint32_t plen, struct sim_rx_ctx *r);
/* The same for a header with a GSO type (sim_net_gso.c). */
void sim_tx_gso(struct sim_dev *d, const struct virtio_net_hdr *h,
		struct sim_cursor *src, uint32_t plen, struct sim_rx_ctx *r);

#endif /* SIM_NET_H */
