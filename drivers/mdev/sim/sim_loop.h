/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

#ifndef SIM_LOOP_H
#define SIM_LOOP_H

/*
 * The loopback's one-step path, shared by both ring layouts: a tx chain
 * of one buffer (header and frame) that needs no offload is copied whole
 * into an rx chain of one buffer with room for it, with one memcpy and
 * no cursor. Everything else takes the general path (sim_tx_packet),
 * which handles any chain and says what is wrong with a bad one.
 *
 * Why: at 64 B the general path's per-packet steps (filters, cursors,
 * header and num_buffers) made the engine the loopback's bottleneck;
 * doc/guides/perf.rst ("Profile notes") has the measurements.
 */

#include <stddef.h>
#include <string.h>

#include <rte_memcpy.h>

#include "sim.h"
#include "sim_net.h"
#include "sim_vq.h"

/*
 * Can this pass take the one-step path? Not with an ethdev wire, a
 * dirty log to keep or receive filters to apply.
 */
static inline bool
sim_loop_pass_ok(const struct sim_dev *d)
{
	return !d->wire.port_ok && !d->dlog.on && d->rx_mode.promisc;
}

/* The tx side: one mapped buffer, a frame after the header, no offload. */
static inline bool
sim_loop_tx_ok(const struct sim_dev *d, const struct sim_chain *c,
		const struct sim_seg *ts, const struct sim_rx_ctx *r)
{
	/*
	 * The header is at an address the driver chose, possibly odd: read
	 * its flags byte as a byte, not through a struct pointer.
	 */
	const uint8_t *flags;

	if (!r->ok || c->nseg != 1 || ts->va == NULL ||
			c->len <= SIM_NET_HDR_LEN)
		return false;
	/*
	 * Only now: with no segment (a chain of empty buffers) ts->va is
	 * NULL, and even adding 0 to it is undefined (found by fuzz_sim_split).
	 */
	flags = ts->va + offsetof(struct virtio_net_hdr, flags);
	return !sim_has(d, VIRTIO_NET_F_CSUM) ||
		!(*flags & VIRTIO_NET_HDR_F_NEEDS_CSUM);
}

/*
 * Header and frame of len bytes from the tx buffer to the rx buffer: the
 * rx header says no offload and num_buffers = 1 (little-endian).
 */
static inline void
sim_loop_copy(uint8_t *dst, const uint8_t *src, uint32_t len)
{
	const size_t nb = offsetof(struct virtio_net_hdr_mrg_rxbuf,
		num_buffers);

	memset(dst, 0, nb);
	dst[nb] = 1;
	dst[nb + 1] = 0;
	rte_memcpy(dst + SIM_NET_HDR_LEN, src + SIM_NET_HDR_LEN,
		len - SIM_NET_HDR_LEN);
}

#endif /* SIM_LOOP_H */
