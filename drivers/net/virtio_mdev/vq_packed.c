/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * Packed virtqueues (VIRTIO_F_RING_PACKED), driver side: ring layout,
 * rx (single buffer and mergeable buffers), tx (descriptor chains, no
 * INDIRECT), event suppression and the control queue.
 *
 * One ring of descriptors is shared both ways. The driver makes a
 * descriptor available by writing its AVAIL bit equal to its wrap
 * counter and its USED bit to the opposite; the device marks it used by
 * making both bits equal to its own wrap counter. Positions wrap with a
 * compare and subtract (sizes need not be powers of two), flipping the
 * wrap counter.
 *
 * Ordering: a batch of descriptors is published by writing the flags of
 * its first descriptor last, with a release store: the device reads
 * descriptors in ring order, so it sees none of the batch before all of
 * it is written. Used flags are read with an acquire load before the
 * id and length. Deciding whether to kick needs a full barrier between
 * publishing and reading the device's event suppression area.
 *
 * Buffer ids: rx takes ids from a stack of free ids (each buffer is one
 * descriptor); tx gives each chain one id from a free list (all of its
 * descriptors carry it) and the device returns one used descriptor per
 * chain, skipping the chain's length. With IN_ORDER the tx id is the
 * chain's head position and one used descriptor may stand for every
 * chain up to the one it names.
 */

#include <string.h>

#include <rte_atomic.h>
#include <rte_branch_prediction.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#include "virtio_mdev.h"
#include "virtio_mdev_rxtx.h"
#include "vq_common.h"
#include "vq_packed.h"

#define PACKED_F_AVAIL (1u << VRING_PACKED_DESC_F_AVAIL)
#define PACKED_F_USED (1u << VRING_PACKED_DESC_F_USED)
#define PACKED_F_BOTH (PACKED_F_AVAIL | PACKED_F_USED)
#define PACKED_EVENT_WRAP (1u << VRING_PACKED_EVENT_F_WRAP_CTR)

/* Ring memory and layout: descriptors, driver area, device area. */

static size_t
vq_packed_driver_off(uint16_t num, uint32_t align)
{
	return RTE_ALIGN_CEIL(sizeof(struct vring_packed_desc) * num, align);
}

static size_t
vq_packed_device_off(uint16_t num, uint32_t align)
{
	return RTE_ALIGN_CEIL(vq_packed_driver_off(num, align) +
		sizeof(struct vring_packed_desc_event), align);
}

static size_t
vq_packed_ring_size(uint16_t num, uint32_t align)
{
	return vq_packed_device_off(num, align) +
		sizeof(struct vring_packed_desc_event);
}

static void
vq_packed_init(struct vmdev_vq *vq, void *mem, uint16_t num, uint32_t align)
{
	/* The spec's minimum alignments: 16 (descriptors), 4 (events). */
	align = RTE_MAX(align, 16u);
	vq->pdesc = mem;
	vq->driver_event = RTE_PTR_ADD(mem, vq_packed_driver_off(num, align));
	vq->device_event = RTE_PTR_ADD(mem, vq_packed_device_off(num, align));
	vq->size = num;
	vq->mask = 0;
	vq->align = align;
	vq->ring_bytes = vq_packed_ring_size(num, align);
}

/* A new ring: position 0, both wrap counters 1, device calls disabled. */
static void
vq_packed_reset(struct vmdev_vq *vq)
{
	memset(vq->pdesc, 0, vq->ring_bytes);
	vq->avail_idx = 0;
	vq->last_used_idx = 0;
	vq->avail_flags = PACKED_F_AVAIL;
	vq->used_wrap = true;
	vq->free_cnt = vq->size;
	vq->kicked_idx = 0;
	vq->ctrl_ndescs = 0;
	vq->broken = false;
	/* The PMD polls: the device never needs to call back. */
	vq->driver_event->flags = VRING_PACKED_EVENT_FLAG_DISABLE;
}

/*
 * The three areas for set_vq_address: descriptor ring, driver event
 * suppression, device event suppression.
 */
static void
vq_packed_addresses(const struct vmdev_vq *vq, uint64_t *desc,
		uint64_t *driver, uint64_t *device)
{
	*desc = (uintptr_t)vq->pdesc;
	*driver = (uintptr_t)vq->driver_event;
	*device = (uintptr_t)vq->device_event;
}

/* Helpers for positions and flags. */

static __rte_always_inline void
vq_packed_avail_advance(struct vmdev_vq *vq, uint16_t n)
{
	vq->avail_idx += n;
	if (vq->avail_idx >= vq->size) {
		vq->avail_idx -= vq->size;
		vq->avail_flags ^= PACKED_F_BOTH;
	}
}

static __rte_always_inline void
vq_packed_used_advance(struct vmdev_vq *vq, uint16_t n)
{
	vq->last_used_idx += n;
	if (vq->last_used_idx >= vq->size) {
		vq->last_used_idx -= vq->size;
		vq->used_wrap ^= 1;
	}
}

/* Whether the descriptor at pos is used in wrap round "wrap". */
static __rte_always_inline bool
vq_packed_desc_is_used(const struct vmdev_vq *vq, uint16_t pos, bool wrap)
{
	uint16_t flags = __atomic_load_n(&vq->pdesc[pos].flags,
			__ATOMIC_ACQUIRE);
	bool avail = !!(flags & PACKED_F_AVAIL);
	bool used = !!(flags & PACKED_F_USED);

	return avail == used && used == wrap;
}

/* The k-th descriptor after last_used_idx (k < size) is used. */
static __rte_always_inline bool
vq_packed_used_at(const struct vmdev_vq *vq, uint16_t k)
{
	uint32_t pos = (uint32_t)vq->last_used_idx + k;
	bool wrap = vq->used_wrap;

	if (pos >= vq->size) {
		pos -= vq->size;
		wrap = !wrap;
	}
	return vq_packed_desc_is_used(vq, pos, wrap);
}

/* Publish a batch: the first descriptor's flags, written last. */
static __rte_always_inline void
vq_packed_publish(struct vmdev_vq *vq, uint16_t head, uint16_t head_flags)
{
	__atomic_store_n(&vq->pdesc[head].flags, head_flags, __ATOMIC_RELEASE);
}

/*
 * Kick unless the device's event suppression says it polls. With
 * EVENT_IDX and the DESC mode, kick only when the descriptor it named
 * (position and wrap counter in off_wrap) was made available since the
 * last decision; "added" descriptors were published since then.
 */
static __rte_always_inline void
vq_packed_notify(struct vmdev_vq *vq, uint16_t added)
{
	uint16_t flags, off_wrap, event, new_idx, old_idx;
	bool kick;

	rte_smp_mb();
	flags = __atomic_load_n(&vq->device_event->flags, __ATOMIC_RELAXED);
	if (flags != VRING_PACKED_EVENT_FLAG_DESC || !vq->event_idx) {
		kick = flags != VRING_PACKED_EVENT_FLAG_DISABLE;
	} else {
		off_wrap = __atomic_load_n(&vq->device_event->off_wrap,
				__ATOMIC_RELAXED);
		event = off_wrap & ~PACKED_EVENT_WRAP;
		/* An event in the previous wrap round is size behind. */
		if (!!(off_wrap & PACKED_EVENT_WRAP) !=
				!!(vq->avail_flags & PACKED_F_AVAIL))
			event -= vq->size;
		new_idx = vq->avail_idx;
		old_idx = new_idx - added;
		kick = vring_need_event(event, new_idx, old_idx);
	}
	if (kick)
		vq->kick(vq->mdev, vq->qid);
}

/* Rx: every buffer is one descriptor holding one mbuf. */

/*
 * Offer n mbufs from avail_idx on. Every descriptor but the first gets
 * its flags at once; the first's flags are returned for the publish.
 */
static __rte_always_inline uint16_t
rx_packed_fill_batch(struct vmdev_rxq *rxq, struct rte_mbuf **mbufs,
		uint16_t n, uint16_t *head)
{
	struct vmdev_vq *vq = &rxq->vq;
	uint16_t top = vq->free_cnt;
	uint16_t head_flags = 0;
	uint16_t i;

	*head = vq->avail_idx;
	for (i = 0; i < n; i++) {
		uint16_t id = rxq->free_ids[--top];
		struct vring_packed_desc *d = &vq->pdesc[vq->avail_idx];
		uint16_t flags = vq->avail_flags | VRING_DESC_F_WRITE;

		d->addr = (uintptr_t)mbufs[i]->buf_addr +
			RTE_PKTMBUF_HEADROOM - VMDEV_NET_HDR_SIZE;
		d->len = rxq->buf_len;
		d->id = id;
		rxq->sw_ring[id] = mbufs[i];
		if (i == 0)
			head_flags = flags;
		else
			d->flags = flags;
		vq_packed_avail_advance(vq, 1);
	}
	vq->free_cnt = top;
	return head_flags;
}

/* Fill every free descriptor; publish each bulk allocation. */
static uint16_t
rx_packed_fill(struct vmdev_rxq *rxq)
{
	struct rte_mbuf *mbufs[VMDEV_BURST];
	struct vmdev_vq *vq = &rxq->vq;
	uint16_t filled = 0;
	uint16_t head, head_flags;

	while (vq->free_cnt > 0) {
		uint16_t n = RTE_MIN(vq->free_cnt, (uint16_t)VMDEV_BURST);

		if (unlikely(rte_pktmbuf_alloc_bulk(rxq->mp, mbufs, n) != 0)) {
			struct rte_eth_dev_data *data =
				rte_eth_devices[rxq->port_id].data;

			data->rx_mbuf_alloc_failed += n;
			break;
		}
		head_flags = rx_packed_fill_batch(rxq, mbufs, n, &head);
		vq_packed_publish(vq, head, head_flags);
		filled += n;
	}
	return filled;
}

/* Refill at queue start; the kick is left to DRIVER_OK. */
static int
vq_packed_rx_refill(struct vmdev_rxq *rxq)
{
	return rx_packed_fill(rxq);
}

static __rte_always_inline void
rx_packed_refill_burst(struct vmdev_rxq *rxq)
{
	uint16_t filled = rx_packed_fill(rxq);

	if (filled > 0)
		vq_packed_notify(&rxq->vq, filled);
}

/* Take the used descriptor at last_used_idx: its mbuf and length. */
static __rte_always_inline struct rte_mbuf *
rx_packed_take(struct vmdev_rxq *rxq, uint32_t *len)
{
	struct vmdev_vq *vq = &rxq->vq;
	const struct vring_packed_desc *d = &vq->pdesc[vq->last_used_idx];
	uint16_t id = d->id;
	struct rte_mbuf *m;

	*len = d->len;
	if (unlikely(id >= vq->size || rxq->sw_ring[id] == NULL)) {
		vq_mark_broken(vq, "rx buffer id", id);
		return NULL;
	}
	m = rxq->sw_ring[id];
	rxq->sw_ring[id] = NULL;
	rxq->free_ids[vq->free_cnt++] = id;
	vq_packed_used_advance(vq, 1);
	return m;
}

static __rte_always_inline void
rx_packed_prefetch_next(const struct vmdev_rxq *rxq)
{
	const struct vmdev_vq *vq = &rxq->vq;
	uint16_t id = vq->pdesc[vq->last_used_idx].id;

	if (likely(id < vq->size))
		rte_prefetch0(rxq->sw_ring[id]);
}

/* Used descriptors ready, up to n (one acquire load each). */
static __rte_always_inline uint16_t
rx_packed_ready(const struct vmdev_rxq *rxq, uint16_t n)
{
	const struct vmdev_vq *vq = &rxq->vq;
	uint16_t in_flight = vq->size - vq->free_cnt;
	uint16_t k;

	n = RTE_MIN(n, in_flight);
	for (k = 0; k < n; k++)
		if (!vq_packed_used_at(vq, k))
			break;
	return k;
}

/* The headers of the next n used descriptors, all loading at once. */
static __rte_always_inline void
rx_packed_prefetch_hdrs(const struct vmdev_rxq *rxq, uint16_t n)
{
	const struct vmdev_vq *vq = &rxq->vq;
	uint16_t pos = vq->last_used_idx;
	uint16_t k, id;

	for (k = 0; k < n; k++) {
		id = vq->pdesc[pos].id;
		if (likely(id < vq->size))
			vmdev_rx_prefetch_hdr(rxq->sw_ring[id]);
		if (++pos == vq->size)
			pos = 0;
	}
}

static uint16_t
rx_packed_dequeue_single(struct vmdev_rxq *rxq, struct rte_mbuf **pkts,
		uint16_t nb)
{
	uint16_t nb_rx = 0;
	uint16_t i;

	rx_packed_prefetch_hdrs(rxq, nb);
	for (i = 0; i < nb; i++) {
		struct rte_mbuf *m;
		uint32_t len;

		m = rx_packed_take(rxq, &len);
		if (unlikely(m == NULL))
			break;
		if (i + 1 < nb)
			rx_packed_prefetch_next(rxq);
		if (unlikely(len <= VMDEV_NET_HDR_SIZE || len > rxq->buf_len)) {
			vmdev_rx_drop(rxq, m);
			continue;
		}
		m->data_len = len - VMDEV_NET_HDR_SIZE;
		m->pkt_len = len - VMDEV_NET_HDR_SIZE;
		m->port = rxq->port_id;
		if (unlikely(!vmdev_rx_hdr(rxq, m))) {
			vmdev_rx_drop(rxq, m);
			continue;
		}
		vmdev_stats_count(&rxq->stats, m);
		pkts[nb_rx++] = m;
	}
	return nb_rx;
}

static uint16_t
vmdev_recv_packed(void *rx_queue, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	struct vmdev_rxq *rxq = rx_queue;
	uint16_t nb_rx;

	if (unlikely(rxq->vq.broken))
		return 0;
	nb_rx = rx_packed_dequeue_single(rxq, pkts,
		rx_packed_ready(rxq, nb_pkts));
	if (rxq->vq.free_cnt >= rxq->free_thresh)
		rx_packed_refill_burst(rxq);
	return nb_rx;
}

/* Mergeable buffers: a packet is num_buffers used descriptors. */

/* num_buffers of the used descriptor at last_used_idx (0: broken). */
static __rte_always_inline uint16_t
rx_packed_num_buffers(struct vmdev_rxq *rxq)
{
	const struct vmdev_vq *vq = &rxq->vq;
	uint16_t id = vq->pdesc[vq->last_used_idx].id;
	const struct virtio_net_hdr_v1 *hdr;
	struct rte_mbuf *m;

	if (unlikely(id >= vq->size || rxq->sw_ring[id] == NULL)) {
		vq_mark_broken(&rxq->vq, "rx buffer id", id);
		return 0;
	}
	m = rxq->sw_ring[id];
	hdr = (const struct virtio_net_hdr_v1 *)((char *)m->buf_addr +
		RTE_PKTMBUF_HEADROOM - VMDEV_NET_HDR_SIZE);
	return hdr->num_buffers == 0 ? 1 : hdr->num_buffers;
}

/* Chain nbufs used descriptors (all known used) into one packet. */
static struct rte_mbuf *
rx_packed_merge(struct vmdev_rxq *rxq, uint16_t nbufs)
{
	struct vmdev_rx_merge p;
	struct rte_mbuf *m;
	uint32_t len;
	uint16_t k;

	m = rx_packed_take(rxq, &len);
	if (unlikely(m == NULL))
		return NULL;
	vmdev_rx_merge_start(rxq, &p, m, len);
	for (k = 1; k < nbufs; k++) {
		m = rx_packed_take(rxq, &len);
		if (unlikely(m == NULL)) {
			rte_pktmbuf_free(p.head);
			return NULL;
		}
		vmdev_rx_merge_add(rxq, &p, m, len);
	}
	return vmdev_rx_merge_end(rxq, &p, nbufs);
}

static uint16_t
rx_packed_dequeue_mergeable(struct vmdev_rxq *rxq, struct rte_mbuf **pkts,
		uint16_t nb)
{
	struct vmdev_vq *vq = &rxq->vq;
	uint16_t nb_rx = 0;

	/* Usually one buffer per packet: nb descriptors cover the burst. */
	rx_packed_prefetch_hdrs(rxq, rx_packed_ready(rxq, nb));
	while (nb_rx < nb && vq_packed_used_at(vq, 0)) {
		uint16_t in_flight = vq->size - vq->free_cnt;
		uint16_t nbufs = rx_packed_num_buffers(rxq);
		struct rte_mbuf *m;

		if (unlikely(nbufs == 0))
			break;
		if (unlikely(nbufs > in_flight)) {
			vq_mark_broken(vq, "num_buffers", nbufs);
			break;
		}
		/* The rest of the packet may not be published yet. */
		if (nbufs > 1 && rx_packed_ready(rxq, nbufs) < nbufs)
			break;
		m = rx_packed_merge(rxq, nbufs);
		if (m != NULL)
			pkts[nb_rx++] = m;
		else if (vq->broken)
			break;
	}
	return nb_rx;
}

static uint16_t
vmdev_recv_packed_mergeable(void *rx_queue, struct rte_mbuf **pkts,
		uint16_t nb_pkts)
{
	struct vmdev_rxq *rxq = rx_queue;
	uint16_t nb_rx;

	if (unlikely(rxq->vq.broken))
		return 0;
	nb_rx = rx_packed_dequeue_mergeable(rxq, pkts, nb_pkts);
	if (rxq->vq.free_cnt >= rxq->free_thresh)
		rx_packed_refill_burst(rxq);
	return nb_rx;
}

/* Tx: one buffer id per chain; free ids linked through next[]. */

/* Release the chain with buffer id "id"; its mbuf goes to done[]. */
static __rte_always_inline struct rte_mbuf *
tx_packed_release(struct vmdev_txq *txq, uint16_t id)
{
	struct vmdev_tx_slot *slot = &txq->slots[id];
	struct rte_mbuf *m = slot->mbuf;

	slot->mbuf = NULL;
	txq->vq.free_cnt += slot->ndescs;
	vq_packed_used_advance(&txq->vq, slot->ndescs);
	if (!txq->vq.in_order) {
		txq->next[id] = txq->free_head;
		txq->free_head = id;
	}
	return m;
}

/*
 * IN_ORDER: the used descriptor names the last chain of a batch; every
 * chain from last_used_idx up to it is done. Ids are head positions.
 */
static __rte_always_inline unsigned int
tx_packed_complete_in_order(struct vmdev_txq *txq, uint16_t last,
		struct rte_mbuf **done, unsigned int n)
{
	struct vmdev_vq *vq = &txq->vq;
	uint16_t id;

	do {
		id = vq->last_used_idx;
		if (unlikely(txq->slots[id].mbuf == NULL)) {
			vq_mark_broken(vq, "tx buffer id", last);
			break;
		}
		done[n++] = tx_packed_release(txq, id);
		if (n == VMDEV_BURST) {
			rte_pktmbuf_free_bulk(done, n);
			n = 0;
		}
	} while (id != last);
	return n;
}

/* Return the chains the device used; free their mbufs in bulk. */
static void
tx_packed_complete(struct vmdev_txq *txq)
{
	struct rte_mbuf *done[VMDEV_BURST];
	struct vmdev_vq *vq = &txq->vq;
	unsigned int n = 0;

	while (vq->free_cnt < vq->size && !vq->broken &&
			vq_packed_used_at(vq, 0)) {
		uint16_t id = vq->pdesc[vq->last_used_idx].id;

		if (unlikely(id >= vq->size || txq->slots[id].mbuf == NULL)) {
			vq_mark_broken(vq, "tx buffer id", id);
			break;
		}
		if (vq->in_order) {
			n = tx_packed_complete_in_order(txq, id, done, n);
			continue;
		}
		done[n++] = tx_packed_release(txq, id);
		if (n == VMDEV_BURST) {
			rte_pktmbuf_free_bulk(done, n);
			n = 0;
		}
	}
	if (n > 0)
		rte_pktmbuf_free_bulk(done, n);
}

/*
 * Put one packet on the ring from avail_idx on: header in the headroom
 * (push) or in its own descriptor from txq->hdrs, then one descriptor
 * per segment, all with the chain's buffer id. Returns the flags of the
 * head descriptor, which the caller writes (first of batch: last).
 */
static __rte_always_inline uint16_t
tx_packed_single(struct vmdev_txq *txq, struct rte_mbuf *m, bool push,
		uint16_t ndescs, bool defer_head)
{
	struct vmdev_vq *vq = &txq->vq;
	uint16_t head = vq->avail_idx;
	uint16_t id = vq->in_order ? head : txq->free_head;
	uint16_t head_flags = 0;
	struct rte_mbuf *seg = m;
	struct virtio_net_hdr_v1 *hdr;
	struct vmdev_tx_slot *slot;
	uint32_t len;
	uint16_t k;

	if (push) {
		hdr = rte_pktmbuf_mtod_offset(m, struct virtio_net_hdr_v1 *,
				-(int)VMDEV_NET_HDR_SIZE);
		len = m->data_len + VMDEV_NET_HDR_SIZE;
		seg = m->next;
	} else {
		/* By id: a position may be reused before its chain is done. */
		hdr = &txq->hdrs[id];
		len = VMDEV_NET_HDR_SIZE;
	}
	vmdev_tx_hdr(txq, hdr, m);
	if (!vq->in_order)
		txq->free_head = txq->next[id];
	for (k = 0; k < ndescs; k++) {
		struct vring_packed_desc *d = &vq->pdesc[vq->avail_idx];
		uint16_t flags = vq->avail_flags |
			(k + 1 < ndescs ? VRING_DESC_F_NEXT : 0);

		d->addr = (uintptr_t)hdr;
		d->len = len;
		d->id = id;
		if (k == 0 && defer_head)
			head_flags = flags;
		else if (k == 0)
			__atomic_store_n(&d->flags, flags, __ATOMIC_RELEASE);
		else
			d->flags = flags;
		vq_packed_avail_advance(vq, 1);
		if (seg != NULL) {
			hdr = rte_pktmbuf_mtod(seg, void *);
			len = seg->data_len;
			seg = seg->next;
		}
	}
	vq->free_cnt -= ndescs;
	slot = &txq->slots[id];
	slot->mbuf = m;
	slot->ndescs = ndescs;
	return head_flags;
}

/* Room for ndescs: complete what the device returned; false if none. */
static __rte_always_inline bool
tx_packed_make_room(struct vmdev_txq *txq, uint16_t ndescs)
{
	if (likely(ndescs <= txq->vq.free_cnt))
		return true;
	tx_packed_complete(txq);
	return ndescs <= txq->vq.free_cnt;
}

/*
 * A burst is one batch: the first chain's head flags are written after
 * every other descriptor. Completion runs only while it can free a
 * threshold's worth or when the ring is short.
 */
static uint16_t
vmdev_xmit_packed(void *tx_queue, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	struct vmdev_txq *txq = tx_queue;
	struct vmdev_vq *vq = &txq->vq;
	uint16_t head = vq->avail_idx, head_flags = 0;
	uint16_t nb_enq = 0, added = 0;
	uint16_t i;

	if (unlikely(vq->broken))
		return 0;
	if (vq->size - vq->free_cnt >= txq->free_thresh ||
			vq->free_cnt < nb_pkts)
		tx_packed_complete(txq);
	for (i = 0; i < nb_pkts; i++) {
		struct rte_mbuf *m = pkts[i];
		bool push = vmdev_tx_can_push_hdr(m);
		uint16_t ndescs = m->nb_segs + !push;
		uint16_t flags;

		if (i + 1 < nb_pkts)
			rte_prefetch0(pkts[i + 1]);
		if (unlikely(!tx_packed_make_room(txq, ndescs))) {
			if (ndescs <= vq->size)
				break;
			vmdev_tx_drop_oversized(txq, m);
			continue;
		}
		if (nb_enq == 0)
			head = vq->avail_idx;
		flags = tx_packed_single(txq, m, push, ndescs, nb_enq == 0);
		if (nb_enq == 0)
			head_flags = flags;
		vmdev_stats_count(&txq->stats, m);
		added += ndescs;
		nb_enq++;
	}
	if (nb_enq > 0) {
		vq_packed_publish(vq, head, head_flags);
		vq_packed_notify(vq, added);
	}
	return i;
}

/*
 * Control queue: one command at a time, from avail_idx on, buffer id 0.
 * The device answers before the next command is sent.
 */
static int
vq_packed_ctrl_send(struct vmdev_vq *vq, const void *const *bufs,
		const uint32_t *lens, const bool *writable, unsigned int n)
{
	uint16_t head = vq->avail_idx, head_flags = 0;
	unsigned int i;

	if (n == 0 || n > vq->size)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		struct vring_packed_desc *d = &vq->pdesc[vq->avail_idx];
		uint16_t flags = vq->avail_flags |
			(writable[i] ? VRING_DESC_F_WRITE : 0) |
			(i + 1 < n ? VRING_DESC_F_NEXT : 0);

		d->addr = (uintptr_t)bufs[i];
		d->len = lens[i];
		d->id = 0;
		if (i == 0)
			head_flags = flags;
		else
			d->flags = flags;
		vq_packed_avail_advance(vq, 1);
	}
	vq->ctrl_ndescs = n;
	vq_packed_publish(vq, head, head_flags);
	/*
	 * Always kick: the command is rare and a device that handles it
	 * inside kick_vq() must not miss it for a stale flag.
	 */
	rte_smp_mb();
	vq->kick(vq->mdev, vq->qid);
	return 0;
}

static int
vq_packed_ctrl_poll(struct vmdev_vq *vq)
{
	if (!vq_packed_used_at(vq, 0))
		return 0;
	vq_packed_used_advance(vq, vq->ctrl_ndescs);
	vq->ctrl_ndescs = 0;
	return 1;
}

/*
 * Rx interrupts: let the device call back after used descriptors. True
 * when one is already pending, for which no call will come.
 */
static bool
vq_packed_intr_enable(struct vmdev_vq *vq)
{
	__atomic_store_n(&vq->driver_event->flags,
		VRING_PACKED_EVENT_FLAG_ENABLE, __ATOMIC_RELAXED);
	rte_smp_mb();
	return vq->free_cnt < vq->size && vq_packed_used_at(vq, 0);
}

static void
vq_packed_intr_disable(struct vmdev_vq *vq)
{
	__atomic_store_n(&vq->driver_event->flags,
		VRING_PACKED_EVENT_FLAG_DISABLE, __ATOMIC_RELAXED);
}

const struct vmdev_ring_ops vq_packed_ops = {
	.name = "packed",
	.pow2_size = false,
	.ring_size = vq_packed_ring_size,
	.init = vq_packed_init,
	.reset = vq_packed_reset,
	.addresses = vq_packed_addresses,
	.rx_start = vmdev_rxq_ids_reset,
	.rx_refill = vq_packed_rx_refill,
	/* Free ids linked as on split rings (IN_ORDER: ids are positions). */
	.tx_start = vmdev_txq_ids_reset,
	.intr_enable = vq_packed_intr_enable,
	.intr_disable = vq_packed_intr_disable,
	.ctrl_send = vq_packed_ctrl_send,
	.ctrl_poll = vq_packed_ctrl_poll,
	.rx_burst = vmdev_recv_packed,
	.rx_burst_mergeable = vmdev_recv_packed_mergeable,
	.tx_burst = vmdev_xmit_packed,
};
