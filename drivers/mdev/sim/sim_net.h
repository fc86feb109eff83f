/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

#ifndef SIM_NET_H
#define SIM_NET_H

/*
 * virtio-net on top of the rings, bottom to top: the receive side
 * (sim_net.c: a packet into the driver's rx chains, either layout), the
 * receive filters, control commands, the ethdev wire, software GSO and
 * checksum offloads, a transmitted packet to where it goes
 * (sim_net_tx.c), and the passes of each ring layout over a queue pair
 * and the control queue (sim_net_split.c, sim_net_packed.c), which the
 * engine and the ops reach through the two dispatchers at the end.
 */

#include "sim.h"

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

/* The receive side (sim_net.c): start a burst into rx queue rx. */
void sim_rx_ctx_init(struct sim_dev *d, struct sim_rx_ctx *r,
		struct sim_vq *rx);
/*
 * Copy one packet (src positioned after any header, plen bytes) into the
 * rx buffers of r: one chain, or several with mergeable buffers. A packet
 * without room is dropped and counted in the rx queue's statistics.
 */
void sim_rx_packet(struct sim_dev *d, struct sim_rx_ctx *r,
		struct sim_cursor *src, uint32_t plen);

struct sim_chain;

/*
 * Take one validated tx chain (either layout, sim_net_tx.c) and put its
 * packet on the wire: offloads, the ethdev port, or the loopback into r.
 */
void sim_tx_packet(struct sim_dev *d, struct sim_vq *tx,
		const struct sim_chain *c, struct sim_rx_ctx *r);
/* Answer one control command chain (sim_net_ctrl.c). */
int sim_ctrl_chain(struct sim_dev *d, struct sim_vq *vq,
		const struct sim_chain *c);

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

/*
 * One pass over queue pair "pair": tx chains looped back to its rx, or
 * sent on the ethdev wire and what it received given to the rx queue.
 * Returns the number of tx chains taken plus packets received.
 */
int sim_split_pair_poll(struct sim_dev *d, uint16_t pair);
int sim_packed_pair_poll(struct sim_dev *d, uint16_t pair);
/* Answer pending commands of the control queue vq (ready, not broken). */
void sim_split_ctrl_poll(struct sim_dev *d, struct sim_vq *vq,
		bool from_kick);
void sim_packed_ctrl_poll(struct sim_dev *d, struct sim_vq *vq,
		bool from_kick);

/* The pass over a queue pair of the negotiated ring layout (engine). */
static inline int
sim_net_pair_poll(struct sim_dev *d, uint16_t pair)
{
	if (sim_has(d, VIRTIO_F_RING_PACKED))
		return sim_packed_pair_poll(d, pair);
	return sim_split_pair_poll(d, pair);
}

/*
 * Answer pending control queue commands. from_kick: called on the
 * driver's thread, so the queue callback is left to the engine.
 */
static inline void
sim_net_ctrl_poll(struct sim_dev *d, bool from_kick)
{
	uint16_t qid = sim_ctrl_qid(d);
	struct sim_vq *vq;

	if (!sim_has(d, VIRTIO_NET_F_CTRL_VQ) || qid >= d->nb_vqs)
		return;
	vq = &d->vq[qid];
	if (!vq->ready || vq->broken)
		return;
	if (vq->packed)
		sim_packed_ctrl_poll(d, vq, from_kick);
	else
		sim_split_ctrl_poll(d, vq, from_kick);
}

#endif /* SIM_NET_H */
