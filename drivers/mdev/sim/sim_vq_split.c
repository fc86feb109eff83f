/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * Device-side split ring: chain parsing and validation, used ring
 * publication, and what happens when the driver breaks the rules.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "sim_log.h"
#include "sim_vq_split.h"

const char *
sim_vq_role(const struct sim_dev *d, uint16_t qid, char *buf, size_t size)
{
	if (qid == sim_ctrl_qid(d))
		snprintf(buf, size, "ctrl");
	else
		snprintf(buf, size, "%s%u", qid & 1 ? "tx" : "rx", qid / 2);
	return buf;
}

int
sim_vq_break(struct sim_dev *d, struct sim_vq *vq, uint64_t *counter,
		const char *fmt, ...)
{
	char why[192], role[16];
	va_list ap;

	(*counter)++;
	if (!vq->broken) {
		vq->broken = true;
		va_start(ap, fmt);
		vsnprintf(why, sizeof(why), fmt, ap);
		va_end(ap);
		SIM_LOG(ERR, "%s: queue %u (%s) stopped: %s; device needs reset",
			d->name, vq->qid,
			sim_vq_role(d, vq->qid, role, sizeof(role)), why);
	}
	__atomic_store_n(&d->status, d->status | VIRTIO_CONFIG_S_NEEDS_RESET,
		__ATOMIC_RELEASE);
	d->config_cb_pending = true;
	return -1;
}

/*
 * Make *arr hold at least n elements of size elem; *cap is its own
 * capacity (each per-queue array has one: a renegotiation may grow one
 * array and not another).
 */
int
sim_vq_grow(void **arr, uint32_t *cap, uint32_t n, size_t elem)
{
	void *p;

	if (*cap >= n && *arr != NULL)
		return 0;
	p = calloc(n, elem);
	if (p == NULL)
		return -ENOMEM;
	free(*arr);
	*arr = p;
	*cap = n;
	return 0;
}

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
sim_desc_read(const struct vring_desc *p, struct vring_desc *d)
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
	const struct vring_desc *table;
	uint32_t entries = desc->len / sizeof(struct vring_desc);

	if (!sim_has(d, VIRTIO_RING_F_INDIRECT_DESC) || nested ||
			(desc->flags & VRING_DESC_F_NEXT)) {
		sim_vq_break(d, vq, &vq->stats.bad_desc_errors,
			"indirect descriptor %s",
			nested ? "inside an indirect table" :
			(desc->flags & VRING_DESC_F_NEXT) ? "with the NEXT flag" :
			"without VIRTIO_RING_F_INDIRECT_DESC negotiated");
		return NULL;
	}
	if (desc->len == 0 || desc->len % sizeof(struct vring_desc) ||
			(desc->addr & 7)) {
		sim_vq_break(d, vq, &vq->stats.bad_desc_errors,
			"indirect table at 0x%" PRIx64 " of length %u: not an aligned non-empty multiple of 16 bytes",
			(uint64_t)desc->addr, desc->len);
		return NULL;
	}
	if (entries > budget) {
		sim_vq_break(d, vq, &vq->stats.exceed_max_chain,
			"indirect table of %u entries makes the chain longer than the ring (%u)",
			entries, vq->num);
		return NULL;
	}
	table = sim_iova_contig(vq->bufs, desc->addr, desc->len,
		RTE_VIRTIO_MDEV_DMA_READ);
	if (table == NULL)
		sim_vq_break(d, vq, &vq->stats.bad_desc_errors,
			"indirect table [0x%" PRIx64 ", +%u) outside mapped memory",
			(uint64_t)desc->addr, desc->len);
	*size = entries;
	return table;
}

static const char * const sim_dir_msg[] = {
	[SIM_CHAIN_TX] = "device-writable descriptor in a transmit chain",
	[SIM_CHAIN_RX] = "device-readable descriptor in a receive chain",
	[SIM_CHAIN_CTRL] = "device-readable descriptor after a writable one",
};

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
		sim_desc_read(&table[idx], &desc);
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
				"%s (head %u)", sim_dir_msg[mode], head);
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

/* Pass 2: every buffer must lie in mapped memory with the right access. */
int
sim_chain_resolve(struct sim_dev *d, struct sim_vq *vq, struct sim_chain *c)
{
	struct sim_seg *s = vq->segs;
	uint32_t perm;
	uint16_t i;

	for (i = 0; i < c->nseg; i++) {
		perm = s[i].writable ? RTE_VIRTIO_MDEV_DMA_WRITE :
			RTE_VIRTIO_MDEV_DMA_READ;
		s[i].va = sim_iova_lookup(vq->bufs, s[i].iova, s[i].len, perm);
		if (likely(s[i].va != NULL))
			continue;
		if (!sim_iova_span_ok(vq->bufs, s[i].iova, s[i].len, perm))
			return sim_vq_break(d, vq, &vq->stats.bad_desc_errors,
				"buffer [0x%" PRIx64 ", +%u) of chain %u outside mapped %s memory",
				s[i].iova, s[i].len, c->head,
				s[i].writable ? "writable" : "readable");
	}
	return 0;
}

bool
sim_chain_single(struct sim_dev *d, struct sim_vq *vq, uint16_t id,
		uint64_t addr, uint32_t len, bool writable, struct sim_chain *c)
{
	uint8_t *va;

	if (len == 0)
		return false;
	va = sim_iova_lookup(vq->bufs, addr, len, writable ?
		RTE_VIRTIO_MDEV_DMA_WRITE : RTE_VIRTIO_MDEV_DMA_READ);
	if (va == NULL)
		return false;
	vq->segs[0] = (struct sim_seg){ .iova = addr, .va = va, .len = len,
		.writable = writable };
	c->nseg = 1;
	c->head = id;
	c->ndesc = 1;
	c->len = len;
	c->out_len = writable ? 0 : len;
	return true;
}

bool
sim_split_chain_single(struct sim_dev *d, struct sim_vq *vq, uint16_t head,
		enum sim_chain_mode mode, struct sim_chain *c)
{
	struct vring_desc desc;
	bool writable;

	if (mode == SIM_CHAIN_CTRL || unlikely(head >= vq->num))
		return false;
	sim_desc_read(&vq->desc[head], &desc);
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
	sim_log_split_used(d, vq, vq->used_idx - done, vq->used_idx);
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
		if (!sim_need_event(flags, vq->used_idx, vq->used_idx - done))
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
