/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * Split virtqueues, driver side: ring layout, rx (single buffer and
 * mergeable buffers), tx (descriptor chains, no INDIRECT) and the
 * one-command-at-a-time use of the control queue.
 *
 * Addresses written into descriptors are process virtual addresses: all
 * of DPDK's memory is mapped into the device with iova == vaddr.
 *
 * Ordering: the device reads avail->idx and then the entries before it,
 * so entries are written before a release store of avail->idx; the
 * device writes used entries before used->idx, so used->idx is read with
 * an acquire load before the entries. Deciding whether to kick needs a
 * full barrier between publishing avail->idx and reading used->flags.
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
#include "vq_split.h"

/* Ring memory and layout */

static size_t
vq_split_ring_size(uint16_t num, uint32_t align)
{
	return vring_size(num, align);
}

static void
vq_split_init(struct vmdev_vq *vq, void *mem, uint16_t num, uint32_t align)
{
	struct vring vr;

	vring_init(&vr, num, mem, align);
	vq->desc = vr.desc;
	vq->avail = vr.avail;
	vq->used = vr.used;
	vq->size = num;
	vq->mask = num - 1;
	vq->align = align;
	vq->ring_bytes = vring_size(num, align);
}

static void vq_split_intr_disable(struct vmdev_vq *vq);

/* Back to the state of a new ring: the device starts again at index 0. */
static void
vq_split_reset(struct vmdev_vq *vq)
{
	memset(vq->desc, 0, vq->ring_bytes);
	vq->avail_idx = 0;
	vq->last_used_idx = 0;
	vq->free_cnt = vq->size;
	vq->kicked_idx = 0;
	vq->broken = false;
	/*
	 * The PMD polls: the device never needs to call back (the flag,
	 * or with EVENT_IDX a used_event it will not reach) until rx
	 * interrupts are enabled on the queue.
	 */
	vq_split_intr_disable(vq);
}

static void
vq_split_addresses(const struct vmdev_vq *vq, uint64_t *desc,
		uint64_t *driver, uint64_t *device)
{
	*desc = (uintptr_t)vq->desc;
	*driver = (uintptr_t)vq->avail;
	*device = (uintptr_t)vq->used;
}

static __rte_always_inline uint16_t
vq_split_used_count(const struct vmdev_vq *vq)
{
	return (uint16_t)(__atomic_load_n(&vq->used->idx, __ATOMIC_ACQUIRE) -
			vq->last_used_idx);
}

static __rte_always_inline void
vq_split_publish(struct vmdev_vq *vq)
{
	__atomic_store_n(&vq->avail->idx, vq->avail_idx, __ATOMIC_RELEASE);
}

/* avail_event: written by the device after the used ring (EVENT_IDX). */
static __rte_always_inline uint16_t
vq_split_avail_event(const struct vmdev_vq *vq)
{
	const uint16_t *ev = (const uint16_t *)&vq->used->ring[vq->size];

	return __atomic_load_n(ev, __ATOMIC_RELAXED);
}

/*
 * Kick unless the device said it polls: with EVENT_IDX when the avail
 * index moved past avail_event since the last decision, else unless
 * VRING_USED_F_NO_NOTIFY is set.
 */
static __rte_always_inline void
vq_split_notify(struct vmdev_vq *vq)
{
	uint16_t old = vq->kicked_idx;
	bool kick;

	rte_smp_mb();
	vq->kicked_idx = vq->avail_idx;
	if (vq->event_idx)
		kick = vring_need_event(vq_split_avail_event(vq),
			vq->avail_idx, old);
	else
		kick = !(__atomic_load_n(&vq->used->flags, __ATOMIC_RELAXED) &
			VRING_USED_F_NO_NOTIFY);
	if (kick)
		vq->kick(vq->mdev, vq->qid);
}

/* Rx: every descriptor is one mbuf, the free ids are a stack. */

/* The avail slots of the next n chains, with write intent (see below). */
static __rte_always_inline void
vq_split_prefetch_avail(const struct vmdev_vq *vq, uint16_t n)
{
	uint16_t i;

	for (i = 0; i < n; i += VMDEV_AVAIL_PER_LINE)
		rte_prefetch0_write(&vq->avail->ring[
			(uint16_t)(vq->avail_idx + i) & vq->mask]);
}

/*
 * The descriptors and avail slots the next n offers write: the device
 * read them last, so each store would wait for the line to come back
 * from its core, one after the other. Asking for all of them with
 * write intent first overlaps those round trips.
 */
static __rte_always_inline void
rx_split_prefetch_slots(const struct vmdev_rxq *rxq, uint16_t n)
{
	const struct vmdev_vq *vq = &rxq->vq;
	uint16_t top = vq->free_cnt, i;

	for (i = 0; i < n; i++)
		rte_prefetch0_write(&vq->desc[rxq->free_ids[top - 1 - i]]);
	vq_split_prefetch_avail(vq, n);
}

/*
 * Offer n new mbufs. The header goes in the headroom right before where
 * the packet data will start, so the data lands at the usual offset.
 */
static __rte_always_inline void
rx_split_fill_descs(struct vmdev_rxq *rxq, struct rte_mbuf **mbufs,
		uint16_t n)
{
	struct vmdev_vq *vq = &rxq->vq;
	uint16_t top = vq->free_cnt;
	uint16_t avail_idx = vq->avail_idx;
	uint16_t i;

	rx_split_prefetch_slots(rxq, n);
	for (i = 0; i < n; i++) {
		uint16_t id = rxq->free_ids[--top];
		struct vring_desc *d = &vq->desc[id];

		d->addr = (uintptr_t)mbufs[i]->buf_addr +
			RTE_PKTMBUF_HEADROOM - VMDEV_NET_HDR_SIZE;
		d->len = rxq->buf_len;
		d->flags = VRING_DESC_F_WRITE;
		d->next = 0;
		rxq->sw_ring[id] = mbufs[i];
		vq->avail->ring[avail_idx & vq->mask] = id;
		avail_idx++;
	}
	vq->free_cnt = top;
	vq->avail_idx = avail_idx;
}

/* Fill every free descriptor, in bulk allocations; no publish. */
static uint16_t
rx_split_fill(struct vmdev_rxq *rxq)
{
	struct rte_mbuf *mbufs[VMDEV_BURST];
	struct vmdev_vq *vq = &rxq->vq;
	uint16_t filled = 0;

	while (vq->free_cnt > 0) {
		uint16_t n = RTE_MIN(vq->free_cnt, (uint16_t)VMDEV_BURST);

		if (unlikely(rte_pktmbuf_alloc_bulk(rxq->mp, mbufs, n) != 0)) {
			rte_eth_devices[rxq->port_id].data->rx_mbuf_alloc_failed += n;
			break;
		}
		rx_split_fill_descs(rxq, mbufs, n);
		filled += n;
	}
	return filled;
}

/* Refill at queue start: publish, but leave the kick to DRIVER_OK. */
static int
vq_split_rx_refill(struct vmdev_rxq *rxq)
{
	int filled = rx_split_fill(rxq);

	vq_split_publish(&rxq->vq);
	return filled;
}

/* Refill from the data path: one avail index update per burst. */
static __rte_always_inline void
rx_split_refill_burst(struct vmdev_rxq *rxq)
{
	if (rx_split_fill(rxq) == 0)
		return;
	vq_split_publish(&rxq->vq);
	vq_split_notify(&rxq->vq);
}

/* The mbuf of used entry idx, without taking it. */
static __rte_always_inline struct rte_mbuf *
rx_split_peek(const struct vmdev_rxq *rxq, uint16_t idx)
{
	const struct vmdev_vq *vq = &rxq->vq;
	uint32_t id = vq->used->ring[idx & vq->mask].id;

	if (unlikely(id >= vq->size))
		return NULL;
	return rxq->sw_ring[id];
}

/* Take used entry idx: its mbuf leaves the ring, its id becomes free. */
static __rte_always_inline struct rte_mbuf *
rx_split_take(struct vmdev_rxq *rxq, uint16_t idx, uint32_t *len)
{
	struct vmdev_vq *vq = &rxq->vq;
	const struct vring_used_elem *e = &vq->used->ring[idx & vq->mask];
	uint32_t id = e->id;
	struct rte_mbuf *m;

	*len = e->len;
	if (unlikely(id >= vq->size)) {
		vq_mark_broken(vq, "used id", id);
		return NULL;
	}
	m = rxq->sw_ring[id];
	if (unlikely(m == NULL)) {
		vq_mark_broken(vq, "used id not in flight", id);
		return NULL;
	}
	rxq->sw_ring[id] = NULL;
	rxq->free_ids[vq->free_cnt++] = id;
	return m;
}

/* Warm the mbuf of the used entry after idx. */
static __rte_always_inline void
rx_split_prefetch(const struct vmdev_rxq *rxq, uint16_t idx)
{
	const struct vmdev_vq *vq = &rxq->vq;
	uint32_t id = vq->used->ring[idx & vq->mask].id;

	rte_prefetch0(rxq->sw_ring[id & vq->mask]);
}

/* The headers of used entries [idx, idx + n), all loading at once. */
static __rte_always_inline void
rx_split_prefetch_hdrs(const struct vmdev_rxq *rxq, uint16_t idx, uint16_t n)
{
	const struct vmdev_vq *vq = &rxq->vq;
	uint16_t k;

	/* The id is the device's: masked, as it is not checked yet. */
	for (k = 0; k < n; k++)
		vmdev_rx_prefetch_hdr(rxq->sw_ring[
			vq->used->ring[(uint16_t)(idx + k) & vq->mask].id &
			vq->mask]);
}

/* Without mergeable buffers: one used entry is one packet. */
static uint16_t
rx_split_dequeue_single(struct vmdev_rxq *rxq, struct rte_mbuf **pkts,
		uint16_t nb)
{
	struct vmdev_vq *vq = &rxq->vq;
	uint16_t idx = vq->last_used_idx;
	uint16_t nb_rx = 0;
	uint16_t i;

	rx_split_prefetch_hdrs(rxq, idx, nb);
	for (i = 0; i < nb; i++) {
		struct rte_mbuf *m;
		uint32_t len;

		if (i + 1 < nb)
			rx_split_prefetch(rxq, idx + i + 1);
		m = rx_split_take(rxq, idx + i, &len);
		if (unlikely(m == NULL))
			break;
		if (unlikely(len <= VMDEV_NET_HDR_SIZE ||
				len > rxq->buf_len)) {
			vmdev_rx_drop(rxq, m);
			continue;
		}
		/* data_off, nb_segs and next were set by the bulk alloc. */
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
	vq->last_used_idx = idx + i;
	return nb_rx;
}

/*
 * Chain the nbufs used entries from idx into one packet. Only the first
 * buffer holds the header; the others hold data from their first byte.
 */
static struct rte_mbuf *
rx_split_merge(struct vmdev_rxq *rxq, uint16_t idx, uint16_t nbufs)
{
	struct vmdev_rx_merge p;
	struct rte_mbuf *m;
	uint32_t len;
	uint16_t k;

	m = rx_split_take(rxq, idx, &len);
	if (unlikely(m == NULL))
		return NULL;
	vmdev_rx_merge_start(rxq, &p, m, len);
	for (k = 1; k < nbufs; k++) {
		if (k + 1 < nbufs)
			rx_split_prefetch(rxq, idx + k + 1);
		m = rx_split_take(rxq, idx + k, &len);
		if (unlikely(m == NULL)) {
			rte_pktmbuf_free(p.head);
			return NULL;
		}
		vmdev_rx_merge_add(rxq, &p, m, len);
	}
	return vmdev_rx_merge_end(rxq, &p, nbufs);
}

/* How many buffers the packet at used entry idx spans (0: broken). */
static __rte_always_inline uint16_t
rx_split_num_buffers(struct vmdev_rxq *rxq, uint16_t idx)
{
	struct rte_mbuf *m = rx_split_peek(rxq, idx);
	const struct virtio_net_hdr_v1 *hdr;
	uint16_t n;

	if (unlikely(m == NULL)) {
		vq_mark_broken(&rxq->vq, "bad used id at index", idx);
		return 0;
	}
	hdr = (const struct virtio_net_hdr_v1 *)((char *)m->buf_addr +
		RTE_PKTMBUF_HEADROOM - VMDEV_NET_HDR_SIZE);
	n = hdr->num_buffers;
	return n == 0 ? 1 : n;
}

/* Mergeable buffers: a packet is num_buffers used entries. */
static uint16_t
rx_split_dequeue_mergeable(struct vmdev_rxq *rxq, struct rte_mbuf **pkts,
		uint16_t nb, uint16_t nb_used)
{
	struct vmdev_vq *vq = &rxq->vq;
	uint16_t idx = vq->last_used_idx;
	uint16_t end = idx + nb_used;
	uint16_t in_flight = vq->size - vq->free_cnt;
	uint16_t nb_rx = 0;

	/* Usually one buffer per packet: nb entries cover the burst. */
	rx_split_prefetch_hdrs(rxq, idx, RTE_MIN(nb, nb_used));
	while (nb_rx < nb && idx != end) {
		uint16_t nbufs = rx_split_num_buffers(rxq, idx);
		struct rte_mbuf *m;

		if (unlikely(nbufs == 0))
			break;
		if (unlikely(nbufs > (uint16_t)(end - idx))) {
			/* Rest of the packet not published yet, or never. */
			if (nbufs > in_flight)
				vq_mark_broken(vq, "num_buffers", nbufs);
			break;
		}
		m = rx_split_merge(rxq, idx, nbufs);
		idx += nbufs;
		if (m != NULL)
			pkts[nb_rx++] = m;
		else if (vq->broken)
			break;
	}
	vq->last_used_idx = idx;
	return nb_rx;
}

/* Used entries ready on rx, or 0 when the device overran the ring. */
static __rte_always_inline uint16_t
rx_split_ready(struct vmdev_rxq *rxq)
{
	struct vmdev_vq *vq = &rxq->vq;
	uint16_t nb_used = vq_split_used_count(vq);

	if (unlikely(nb_used > vq->size - vq->free_cnt)) {
		vq_mark_broken(vq, "used entries beyond those in flight:",
			nb_used);
		return 0;
	}
	return nb_used;
}

static uint16_t
vmdev_recv_split(void *rx_queue, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	struct vmdev_rxq *rxq = rx_queue;
	uint16_t nb_used, nb_rx;

	if (unlikely(rxq->vq.broken))
		return 0;
	nb_used = rx_split_ready(rxq);
	nb_rx = rx_split_dequeue_single(rxq, pkts, RTE_MIN(nb_used, nb_pkts));
	if (rxq->vq.free_cnt >= rxq->free_thresh)
		rx_split_refill_burst(rxq);
	return nb_rx;
}

static uint16_t
vmdev_recv_split_mergeable(void *rx_queue, struct rte_mbuf **pkts,
		uint16_t nb_pkts)
{
	struct vmdev_rxq *rxq = rx_queue;
	uint16_t nb_used, nb_rx = 0;

	if (unlikely(rxq->vq.broken))
		return 0;
	nb_used = rx_split_ready(rxq);
	if (nb_used > 0)
		nb_rx = rx_split_dequeue_mergeable(rxq, pkts, nb_pkts, nb_used);
	if (rxq->vq.free_cnt >= rxq->free_thresh)
		rx_split_refill_burst(rxq);
	return nb_rx;
}

/* Tx: chains linked through next[], a private copy of desc[].next. */

/*
 * Put the chain with head id back on the free list and its mbuf in
 * done[] (freed in bulk when full). False: no such chain in flight.
 */
static __rte_always_inline bool
tx_split_reclaim(struct vmdev_txq *txq, uint32_t id, struct rte_mbuf **done,
		unsigned int *n)
{
	struct vmdev_tx_slot *slot;

	if (unlikely(id >= txq->vq.size || txq->slots[id].mbuf == NULL))
		return false;
	slot = &txq->slots[id];
	done[(*n)++] = slot->mbuf;
	slot->mbuf = NULL;
	txq->next[slot->tail] = txq->free_head;
	txq->free_head = id;
	txq->vq.free_cnt += slot->ndescs;
	if (*n == VMDEV_BURST) {
		rte_pktmbuf_free_bulk(done, *n);
		*n = 0;
	}
	return true;
}

/*
 * Give the chains the device returned back to the free list. With
 * IN_ORDER the device returns them in the order they were made
 * available and may write a single used entry for a batch, so the heads
 * are taken from the avail ring the driver wrote, not from used ids.
 */
static void
tx_split_complete(struct vmdev_txq *txq, uint16_t nb_used)
{
	struct rte_mbuf *done[VMDEV_BURST];
	struct vmdev_vq *vq = &txq->vq;
	uint16_t idx = vq->last_used_idx;
	unsigned int n = 0;
	uint32_t id;

	if (nb_used > vq->size - vq->free_cnt) {
		vq_mark_broken(vq, "used entries beyond those in flight:",
			nb_used);
		return;
	}
	for (; nb_used > 0; nb_used--, idx++) {
		if (vq->in_order)
			id = vq->avail->ring[idx & vq->mask];
		else
			id = vq->used->ring[idx & vq->mask].id;
		if (unlikely(!tx_split_reclaim(txq, id, done, &n))) {
			if (vq->in_order)
				vq_mark_broken(vq, "used index", idx);
			else
				vq_mark_broken(vq, "used id", id);
			break;
		}
	}
	vq->last_used_idx = idx;
	if (n > 0)
		rte_pktmbuf_free_bulk(done, n);
}

/*
 * Put one packet on the ring: the header in front of the first segment
 * when push is set, else in its own descriptor from txq->hdrs, then one
 * descriptor per segment.
 */
static __rte_always_inline void
tx_split_enqueue(struct vmdev_txq *txq, struct rte_mbuf *m, bool push,
		uint16_t ndescs)
{
	struct vmdev_vq *vq = &txq->vq;
	uint16_t head = txq->free_head;
	uint16_t id = head;
	struct rte_mbuf *seg = m;
	struct virtio_net_hdr_v1 *hdr;
	struct vmdev_tx_slot *slot;
	uint32_t len;

	if (push) {
		hdr = rte_pktmbuf_mtod_offset(m, struct virtio_net_hdr_v1 *,
				-(int)VMDEV_NET_HDR_SIZE);
		len = m->data_len + VMDEV_NET_HDR_SIZE;
		seg = m->next;
	} else {
		hdr = &txq->hdrs[head];
		len = VMDEV_NET_HDR_SIZE;
	}
	vmdev_tx_hdr(txq, hdr, m);
	for (;;) {
		struct vring_desc *d = &vq->desc[id];

		d->addr = (uintptr_t)hdr;
		d->len = len;
		if (seg == NULL) {
			d->flags = 0;
			break;
		}
		d->flags = VRING_DESC_F_NEXT;
		id = txq->next[id];
		d->next = id;
		hdr = rte_pktmbuf_mtod(seg, void *);
		len = seg->data_len;
		seg = seg->next;
	}
	txq->free_head = txq->next[id];
	vq->free_cnt -= ndescs;
	slot = &txq->slots[head];
	slot->mbuf = m;
	slot->tail = id;
	slot->ndescs = ndescs;
	vq->avail->ring[vq->avail_idx & vq->mask] = head;
	vq->avail_idx++;
}

/*
 * The descriptors (along the free list) and avail slots the next n
 * one-descriptor packets take, with write intent: see
 * rx_split_prefetch_slots.
 */
static __rte_always_inline void
tx_split_prefetch_slots(const struct vmdev_txq *txq, uint16_t n)
{
	const struct vmdev_vq *vq = &txq->vq;
	uint16_t id = txq->free_head, i;

	n = RTE_MIN(n, vq->free_cnt);
	for (i = 0; i < n; i++) {
		rte_prefetch0_write(&vq->desc[id]);
		id = txq->next[id];
	}
	vq_split_prefetch_avail(vq, n);
}

/* Room for ndescs: complete what the device returned; false if none. */
static __rte_always_inline bool
tx_split_make_room(struct vmdev_txq *txq, uint16_t ndescs)
{
	struct vmdev_vq *vq = &txq->vq;

	if (likely(ndescs <= vq->free_cnt))
		return true;
	tx_split_complete(txq, vq_split_used_count(vq));
	return ndescs <= vq->free_cnt;
}

static uint16_t
vmdev_xmit_split(void *tx_queue, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	struct vmdev_txq *txq = tx_queue;
	struct vmdev_vq *vq = &txq->vq;
	uint16_t nb_used, nb_enq = 0;
	uint16_t i;

	if (unlikely(vq->broken))
		return 0;
	nb_used = vq_split_used_count(vq);
	if (nb_used >= txq->free_thresh || vq->free_cnt < nb_pkts)
		tx_split_complete(txq, nb_used);
	tx_split_prefetch_slots(txq, nb_pkts);

	for (i = 0; i < nb_pkts; i++) {
		struct rte_mbuf *m = pkts[i];
		bool push = vmdev_tx_can_push_hdr(m);
		uint16_t ndescs = m->nb_segs + !push;

		if (i + 1 < nb_pkts)
			rte_prefetch0(pkts[i + 1]);
		if (unlikely(!tx_split_make_room(txq, ndescs))) {
			if (ndescs <= vq->size)
				break;
			vmdev_tx_drop_oversized(txq, m);
			continue;
		}
		tx_split_enqueue(txq, m, push, ndescs);
		vmdev_stats_count(&txq->stats, m);
		nb_enq++;
	}
	if (nb_enq > 0) {
		vq_split_publish(vq);
		vq_split_notify(vq);
	}
	return i;
}

/*
 * Control queue: one command at a time, in descriptors 0 .. n-1. The
 * device answers before the next command is sent (or the queue is
 * declared broken by the caller).
 */
static int
vq_split_ctrl_send(struct vmdev_vq *vq, const void *const *bufs,
		const uint32_t *lens, const bool *writable, unsigned int n)
{
	unsigned int i;

	if (n == 0 || n > vq->size)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		struct vring_desc *d = &vq->desc[i];

		d->addr = (uintptr_t)bufs[i];
		d->len = lens[i];
		d->flags = (writable[i] ? VRING_DESC_F_WRITE : 0) |
			(i + 1 < n ? VRING_DESC_F_NEXT : 0);
		d->next = i + 1;
	}
	vq->avail->ring[vq->avail_idx & vq->mask] = 0;
	vq->avail_idx++;
	vq_split_publish(vq);
	/*
	 * Always kick: the command is rare and a device that handles it
	 * inside kick_vq() must not miss it for a stale flag.
	 */
	rte_smp_mb();
	vq->kick(vq->mdev, vq->qid);
	return 0;
}

/* 1 when the device returned the command, 0 while it has not. */
static int
vq_split_ctrl_poll(struct vmdev_vq *vq)
{
	if (vq_split_used_count(vq) == 0)
		return 0;
	vq->last_used_idx++;
	return 1;
}

/*
 * Rx interrupts: ask the device to call back after the next used entry
 * (used_event with EVENT_IDX, else the avail flags). True when used
 * entries are already pending, for which no call will come.
 */
static bool
vq_split_intr_enable(struct vmdev_vq *vq)
{
	uint16_t *used_event = &vq->avail->ring[vq->size];

	if (vq->event_idx)
		__atomic_store_n(used_event, vq->last_used_idx,
			__ATOMIC_RELAXED);
	else
		__atomic_store_n(&vq->avail->flags, 0, __ATOMIC_RELAXED);
	rte_smp_mb();
	return vq_split_used_count(vq) != 0;
}

/* Back to polling: an event index the device will not reach soon. */
static void
vq_split_intr_disable(struct vmdev_vq *vq)
{
	uint16_t *used_event = &vq->avail->ring[vq->size];

	if (vq->event_idx)
		__atomic_store_n(used_event, (uint16_t)(vq->last_used_idx - 1),
			__ATOMIC_RELAXED);
	__atomic_store_n(&vq->avail->flags, VRING_AVAIL_F_NO_INTERRUPT,
		__ATOMIC_RELAXED);
}

const struct vmdev_ring_ops vq_split_ops = {
	.name = "split",
	.pow2_size = true,
	.ring_size = vq_split_ring_size,
	.init = vq_split_init,
	.reset = vq_split_reset,
	.addresses = vq_split_addresses,
	.rx_start = vmdev_rxq_ids_reset,
	.rx_refill = vq_split_rx_refill,
	.tx_start = vmdev_txq_ids_reset,
	.intr_enable = vq_split_intr_enable,
	.intr_disable = vq_split_intr_disable,
	.ctrl_send = vq_split_ctrl_send,
	.ctrl_poll = vq_split_ctrl_poll,
	.rx_burst = vmdev_recv_split,
	.rx_burst_mergeable = vmdev_recv_split_mergeable,
	.tx_burst = vmdev_xmit_split,
};
