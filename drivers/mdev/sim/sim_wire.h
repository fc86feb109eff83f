/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

#ifndef SIM_WIRE_H
#define SIM_WIRE_H

/*
 * The sim device's wire: the loopback (tx of pair i comes back on rx of
 * pair i, in sim_net_tx.c) or a DPDK ethdev port (wire=<port name>) that the
 * sim owns, configures and starts: what the driver transmits on pair i is
 * sent on port queue i, what port queue i receives goes to the driver's
 * rx buffers of pair i. Also the link state of every sim device: the
 * port's link (the loopback's is always up), unless forced down through
 * telemetry (/mdev_sim/link,<alias>,down).
 *
 * struct sim_wire lives in struct sim_dev and is used under the device
 * lock; the fields marked "probe" are set before the engine starts.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>

struct sim_dev;
struct sim_cursor;
struct sim_rx_ctx;

/* Packets kept for one rte_eth_tx_burst (at most one pass of a pair). */
#define SIM_WIRE_BURST		32
/* How often the engine looks at the port's link, in milliseconds. */
#define SIM_WIRE_LINK_MS	100
/* Longest packet sent on the port (a driver may chain up to 4 GiB). */
#define SIM_WIRE_MAX_PKT	65535
/* Most segments of a received mbuf chain copied to the driver. */
#define SIM_WIRE_MAX_SEGS	64

/* Where the wire's packets went, for the whole device (all pairs). */
struct sim_wire_stats {
	uint64_t tx_packets;	/* sent on the port */
	uint64_t tx_bytes;
	uint64_t tx_drops;	/* refused by the port, or over 64 KiB */
	uint64_t tx_nombuf;	/* no mbuf to copy the packet into */
	uint64_t rx_packets;	/* received from the port */
	uint64_t rx_bytes;
	uint64_t rx_delivered;	/* copied into the driver's rx buffers */
	uint64_t rx_nobuf_drops; /* no (big enough) rx buffer, queue off */
	uint64_t link_changes;	/* link up/down changes signalled */
};

struct sim_wire {
	char name[RTE_ETH_NAME_MAX_LEN];	/* probe; "" = loopback */
	bool ethdev;		/* probe: an ethdev port, not the loopback */
	uint16_t port_id;	/* probe */
	uint16_t nb_queues;	/* probe: pair i sends on i % nb_queues */
	uint64_t owner_id;	/* probe */
	struct rte_mempool *mp;	/* probe: mbufs for the port */
	/*
	 * The ethdev wire is in use (the data path goes through it); when
	 * the port is removed under us it stays set and port_gone is set:
	 * the wire is cut, packets are dropped, the link is down.
	 */
	bool port_ok;
	bool port_gone;
	bool port_started;
	bool cb_registered;
	bool port_link_up;
	bool forced_down;
	uint64_t next_link_tsc;
	uint16_t tx_n;		/* packets of the current pass, unsent */
	struct rte_mbuf *tx_pkts[SIM_WIRE_BURST];
	struct sim_wire_stats stats;
};

/* Probe: resolve wire=<name>, take the port, configure and start it. */
int sim_wire_open(struct sim_dev *d);
/* Remove (engine stopped): stop and close the port, free the mbufs. */
void sim_wire_close(struct sim_dev *d);

/* Engine pass (lock held): look at the port's link every ~100 ms. */
void sim_wire_link_poll(struct sim_dev *d);
/*
 * Force the link down (up = false) or let it follow the wire again;
 * takes the device lock. The driver's config callback follows from the
 * engine when the link it sees changes.
 */
void sim_wire_link_force(struct sim_dev *d, bool up);

/* tx chain of pair "pair", positioned after the header: copy to an mbuf. */
void sim_wire_tx(struct sim_dev *d, struct sim_cursor *src, uint32_t len);
/* Send the packets sim_wire_tx batched (one pass may batch SIM_WIRE_BURST). */
void sim_wire_tx_flush(struct sim_dev *d, uint16_t pair);
/*
 * End of a pair's pass (lock held): send the packets sim_wire_tx kept,
 * then copy what the port received into the pair's rx buffers through r
 * (initialised here when r->vq is NULL). Returns the packets received.
 */
int sim_wire_pair_io(struct sim_dev *d, uint16_t pair, struct sim_rx_ctx *r);

#endif /* SIM_WIRE_H */
