/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * A packet the driver transmitted, either ring layout, to where it goes:
 * offloads done first when its header asks for them, then the ethdev
 * wire, or the loopback's receive side (through the receive filters).
 */

#include "sim_copy.h"
#include "sim_net.h"
#include "sim_vq.h"

/* Take one validated tx chain and put its packet on the wire. */
void
sim_tx_packet(struct sim_dev *d, struct sim_vq *tx, const struct sim_chain *c,
		struct sim_rx_ctx *r)
{
	uint32_t plen = c->len - SIM_NET_HDR_LEN;
	struct virtio_net_hdr h;
	struct sim_cursor src;

	if (unlikely(c->len <= SIM_NET_HDR_LEN)) {
		tx->stats.invalid_buffer++;
		return;
	}
	sim_cursor_init(&src, tx->segs, c->nseg);
	/* Offloads are looked at only when negotiated. */
	if (unlikely(sim_has(d, VIRTIO_NET_F_CSUM))) {
		sim_copy_out(sim_data_as(d), &src, &h, sizeof(h));
		sim_cursor_init(&src, tx->segs, c->nseg);
		sim_cursor_skip(&src, SIM_NET_HDR_LEN);
		if (h.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
			sim_tx_offload(d, &h, &src, plen, r);
			return;
		}
	} else {
		sim_cursor_skip(&src, SIM_NET_HDR_LEN);
	}
	if (d->wire.port_ok) {
		sim_wire_tx(d, &src, plen);
		return;
	}
	if (!r->ok) {
		r->vq->stats.completion_errors++;
		return;
	}
	if (sim_rx_accept(d, &src, plen))
		sim_rx_packet(d, r, &src, plen);
}
