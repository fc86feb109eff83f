/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * Device-side split ring: chain parsing and validation (sim_vq.c does
 * what both layouts share), used ring publication.
 */

#include <errno.h>
#include <inttypes.h>

#include "sim_log.h"
#include "sim_vq_split.h"

/* Map the three ring areas; the rings must be aligned as the spec says. */
int
sim_split_enable(struct sim_dev *d, struct sim_vq *vq)
{
	uint32_t n = vq->num;

	if (!vq->addr_set || n == 0)
		return -EINVAL;
	if ((vq->desc_iova & 15) || (vq->driver_iova & 1) ||
			(vq->device_iova & 3))
		return -EINVAL;
	vq->desc = sim_iova_contig(vq->rings, vq->desc_iova,
		(uint64_t)n * sizeof(struct vring_desc),
		RTE_VIRTIO_MDEV_DMA_READ);
	vq->avail = sim_iova_contig(vq->rings, vq->driver_iova,
		sizeof(struct vring_avail) + (uint64_t)n * 2 + 2,
		RTE_VIRTIO_MDEV_DMA_READ);
	vq->used = sim_iova_contig(vq->rings, vq->device_iova,
		sizeof(struct vring_used) +
		(uint64_t)n * sizeof(struct vring_used_elem) + 2,
		RTE_VIRTIO_MDEV_DMA_WRITE);
	if (vq->desc == NULL || vq->avail == NULL || vq->used == NULL)
		return -EFAULT;
	if (sim_vq_grow((void **)&vq->segs, &vq->segs_cap, n,
			sizeof(*vq->segs)) != 0)
		return -ENOMEM;
	vq->mask = n - 1;
	/* Every chain the device took was completed: used follows avail. */
	vq->used_idx = vq->last_avail;
	vq->pub_idx = vq->used_idx;
	/* A polled queue needs no kicks. */
	if (vq->polled)
		vq->used->flags = rte_cpu_to_le_16(VRING_USED_F_NO_NOTIFY);
	sim_split_avail_event(vq);
	return 0;
}

int
sim_split_avail(struct sim_dev *d, struct sim_vq *vq)
{
	uint16_t idx = rte_le_to_cpu_16(__atomic_load_n(&vq->avail->idx,
		__ATOMIC_ACQUIRE));
	uint16_t n = idx - vq->last_avail;

	if (unlikely(n > vq->num))
		return sim_vq_break(d, vq, &vq->stats.bad_desc_errors,
			"avail index moved from %u to %u, more than the ring size %u",
			vq->last_avail, idx, vq->num);
	return n;
}

/* One load per field: the driver may rewrite the descriptor meanwhile. */
static inline void
sim_split_desc_read(const struct vring_desc *p, struct vring_desc *d)
{
	d->addr = rte_le_to_cpu_64(__atomic_load_n(&p->addr, __ATOMIC_RELAXED));
	d->len = rte_le_to_cpu_32(__atomic_load_n(&p->len, __ATOMIC_RELAXED));
	d->flags = rte_le_to_cpu_16(__atomic_load_n(&p->flags,
		__ATOMIC_RELAXED));
	d->next = rte_le_to_cpu_16(__atomic_load_n(&p->next, __ATOMIC_RELAXED));
}

/* Switch the walk to an indirect table; NULL after breaking the queue. */
static const struct vring_desc *
sim_split_indirect(struct sim_dev *d, struct sim_vq *vq,
		const struct vring_desc *desc, bool nested, uint32_t budget,
		uint32_t *size)
{
	if (!sim_has(d, VIRTIO_RING_F_INDIRECT_DESC) || nested ||
			(desc->flags & VRING_DESC_F_NEXT)) {
		sim_vq_break(d, vq, &vq->stats.bad_desc_errors,
			"indirect descriptor %s",
			nested ? "inside an indirect table" :
			(desc->flags & VRING_DESC_F_NEXT) ? "with the NEXT flag" :
			"without VIRTIO_RING_F_INDIRECT_DESC negotiated");
		return NULL;
	}
	return sim_vq_indirect(d, vq, desc->addr, desc->len, budget, size);
}

/* Pass 1: walk the chain, check indexes, flags and lengths. */
static int
sim_split_walk(struct sim_dev *d, struct sim_vq *vq, uint16_t head,
		enum sim_chain_mode mode, struct sim_chain *c)
{
	const struct vring_desc *table = vq->desc;
	uint32_t size = vq->num, idx = head, budget = vq->num;
	uint64_t total = 0, out = 0;
	bool indirect = false, seen_write = false, first = true, writable;
	struct vring_desc desc;

	c->nseg = 0;
	for (;;) {
		if (unlikely(idx >= size))
			return sim_vq_break(d, vq, &vq->stats.bad_desc_errors,
				"%s index %u >= %s size %u",
				first ? "head" : "next", idx,
				indirect ? "indirect table" : "ring", size);
		if (unlikely(budget == 0))
			return sim_vq_break(d, vq, &vq->stats.exceed_max_chain,
				"chain from head %u loops or is longer than the ring (%u)",
				head, vq->num);
		budget--;
		first = false;
		sim_split_desc_read(&table[idx], &desc);
		if (desc.flags & VRING_DESC_F_INDIRECT) {
			table = sim_split_indirect(d, vq, &desc, indirect,
				budget + 1, &size);
			if (table == NULL)
				return -1;
			/* The table's entries count, not the pointer to it. */
			budget++;
			indirect = true;
			idx = 0;
			continue;
		}
		writable = desc.flags & VRING_DESC_F_WRITE;
		if (unlikely(!sim_dir_ok(mode, writable, &seen_write)))
			return sim_vq_break(d, vq, &vq->stats.bad_desc_errors,
				"%s (head %u)", sim_vq_dir_msg[mode], head);
		total += desc.len;
		if (unlikely(sim_iova_wraps(desc.addr, desc.len) ||
				total > UINT32_MAX))
			return sim_vq_break(d, vq, &vq->stats.invalid_buffer,
				"length overflow in chain from head %u (addr 0x%" PRIx64 " len %u)",
				head, (uint64_t)desc.addr, desc.len);
		if (!writable)
			out += desc.len;
		if (desc.len != 0)
			vq->segs[c->nseg++] = (struct sim_seg){
				.iova = desc.addr, .len = desc.len,
				.writable = writable };
		if (!(desc.flags & VRING_DESC_F_NEXT))
			break;
		idx = desc.next;
	}
	c->head = head;
	c->ndesc = 1;
	c->len = total;
	c->out_len = out;
	return 0;
}

bool
sim_split_chain_single(struct sim_dev *d, struct sim_vq *vq, uint16_t head,
		enum sim_chain_mode mode, struct sim_chain *c)
{
	struct vring_desc desc;
	bool writable;

	if (mode == SIM_CHAIN_CTRL || unlikely(head >= vq->num))
		return false;
	sim_split_desc_read(&vq->desc[head], &desc);
	writable = (desc.flags & VRING_DESC_F_WRITE) != 0;
	if (desc.flags & (VRING_DESC_F_NEXT | VRING_DESC_F_INDIRECT) ||
			writable != (mode == SIM_CHAIN_RX))
		return false;
	return sim_chain_single(d, vq, head, desc.addr, desc.len, writable, c);
}

int
sim_split_chain(struct sim_dev *d, struct sim_vq *vq, uint16_t head,
		enum sim_chain_mode mode, struct sim_chain *c)
{
	if (likely(sim_split_chain_single(d, vq, head, mode, c)))
		return 0;
	if (sim_split_walk(d, vq, head, mode, c) < 0 ||
			sim_chain_resolve(d, vq, c) < 0)
		return -1;
	return 0;
}

void
sim_split_publish(struct sim_dev *d, struct sim_vq *vq, bool defer_cb)
{
	uint16_t flags, done = vq->used_idx - vq->pub_idx;

	if (done == 0)
		return;
	vq->pub_idx = vq->used_idx;
	vq->stats.completed_descs += done;
	__atomic_store_n(&vq->used->idx, rte_cpu_to_le_16(vq->used_idx),
		__ATOMIC_RELEASE);
	/* After the writes, so a page the log reader copied is not stale. */
	sim_split_log_used(d, vq, vq->used_idx - done, vq->used_idx);
	/*
	 * The driver clears NO_INTERRUPT and then re-reads used->idx; order
	 * our index store before reading its flag (store-load), or both
	 * sides could miss each other.
	 */
	rte_atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (vq->event_idx) {
		sim_split_avail_event(vq);
		sim_log_write(d, vq->device_iova + sizeof(struct vring_used) +
			(uint64_t)vq->num * sizeof(struct vring_used_elem), 2);
		/* used_event sits after the avail ring (mapped with it). */
		flags = rte_le_to_cpu_16(__atomic_load_n(
			&vq->avail->ring[vq->num], __ATOMIC_RELAXED));
		if (!vring_need_event(flags, vq->used_idx, vq->used_idx - done))
			return;
	} else {
		flags = rte_le_to_cpu_16(__atomic_load_n(&vq->avail->flags,
			__ATOMIC_RELAXED));
		if (flags & VRING_AVAIL_F_NO_INTERRUPT)
			return;
	}
	if (vq->cb.fn == NULL)
		return;
	if (defer_cb)
		d->ctrl_cb_pending = true;
	else
		vq->cb.fn(vq->cb.arg);
}
