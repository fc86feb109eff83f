/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * Checksum offload (VIRTIO_NET_F_CSUM / VIRTIO_NET_F_GUEST_CSUM). A tx
 * packet whose header has VIRTIO_NET_HDR_F_NEEDS_CSUM carries a partial
 * checksum: the bytes from csum_start to its end still have to be summed
 * (16-bit ones' complement) and the result stored at csum_start +
 * csum_offset. On the loopback, a driver that negotiated GUEST_CSUM gets
 * the packet as it was sent with NEEDS_CSUM and the same offsets in its
 * rx header (the specification allows it); otherwise, and always on an
 * ethdev wire, the device completes the checksum itself, on a linear copy
 * of the packet (the tx buffers are the driver's, read-only), and
 * delivers or sends that copy with a plain header.
 *
 * A header with a GSO type (segmentation offload, HOST_TSO4/6) goes to
 * sim_tx_gso() (sim_net_gso.c).
 */

#include <string.h>

#include <rte_byteorder.h>
#include <rte_ip.h>

#include "sim_copy.h"
#include "sim_net.h"

/* Complete the checksum of a linear packet. */
static void
sim_csum_fill(uint8_t *p, uint32_t len, uint16_t start, uint16_t off)
{
	uint16_t sum;

	sum = ~rte_raw_cksum(p + start, len - start);
	/* As Linux does: 0 would mean "no checksum" for UDP. */
	if (sum == 0)
		sum = 0xffff;
	memcpy(p + start + off, &sum, sizeof(sum));
}

/* Pass NEEDS_CSUM and its offsets to a driver that negotiated GUEST_CSUM. */
static void
sim_rx_partial(struct sim_dev *d, const struct virtio_net_hdr *h,
		struct sim_cursor *src, uint32_t plen, struct sim_rx_ctx *r)
{
	struct virtio_net_hdr rh;

	memset(&rh, 0, sizeof(rh));
	rh.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	rh.csum_start = h->csum_start;
	rh.csum_offset = h->csum_offset;
	r->hdr = &rh;
	sim_rx_packet(d, r, src, plen);
	r->hdr = NULL;
	d->net_stats.tx_csum_passed++;
}

void
sim_tx_offload(struct sim_dev *d, const struct virtio_net_hdr *h,
		struct sim_cursor *src, uint32_t plen, struct sim_rx_ctx *r)
{
	uint16_t start = rte_le_to_cpu_16(h->csum_start);
	uint16_t off = rte_le_to_cpu_16(h->csum_offset);
	bool wire = d->wire.port_ok;
	struct sim_seg seg;
	struct sim_cursor lin;

	if (h->gso_type != VIRTIO_NET_HDR_GSO_NONE) {
		sim_tx_gso(d, h, src, plen, r);
		return;
	}
	if ((uint32_t)start + off + 2 > plen || plen > SIM_BOUNCE_MAX) {
		d->net_stats.tx_bad_offload++;
		return;
	}
	if (!wire) {
		if (!r->ok) {
			r->vq->stats.completion_errors++;
			return;
		}
		if (!sim_rx_accept(d, src, plen))
			return;
		if (sim_has(d, VIRTIO_NET_F_GUEST_CSUM)) {
			sim_rx_partial(d, h, src, plen, r);
			return;
		}
	}
	if (sim_copy_out(sim_data_as(d), src, d->bounce, plen) != plen) {
		d->net_stats.tx_bad_offload++;
		return;
	}
	sim_csum_fill(d->bounce, plen, start, off);
	d->net_stats.tx_csum_sw++;
	memset(&seg, 0, sizeof(seg));
	seg.va = d->bounce;
	seg.len = plen;
	sim_cursor_init(&lin, &seg, 1);
	if (wire)
		sim_wire_tx(d, &lin, plen);
	else
		sim_rx_packet(d, r, &lin, plen);
}
