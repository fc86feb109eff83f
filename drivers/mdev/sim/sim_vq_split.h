/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

#ifndef SIM_VQ_SPLIT_H
#define SIM_VQ_SPLIT_H

/*
 * Device side of a split virtqueue: read the avail ring, parse and
 * validate descriptor chains, write used entries and publish them. The
 * driver is untrusted: every index, flag, length and address is checked
 * and the first violation breaks the queue (sim_vq_break, sim_vq.h).
 */

#include <rte_atomic.h>
#include <rte_byteorder.h>
#include <rte_common.h>

#include "sim_vq.h"

int sim_split_enable(struct sim_dev *d, struct sim_vq *vq);
int sim_split_avail(struct sim_dev *d, struct sim_vq *vq);
int sim_split_chain(struct sim_dev *d, struct sim_vq *vq, uint16_t head,
		enum sim_chain_mode mode, struct sim_chain *c);
void sim_split_publish(struct sim_dev *d, struct sim_vq *vq, bool defer_cb);
/* The usual data chain in one step (see sim_chain_single). */
bool sim_split_chain_single(struct sim_dev *d, struct sim_vq *vq,
		uint16_t head, enum sim_chain_mode mode, struct sim_chain *c);

/*
 * EVENT_IDX: tell the driver which avail index to kick at. A polled
 * queue asks for a kick half the index space away, so none comes; a
 * kicked one (the control queue, a test driving the engine) for the
 * next chain.
 */
static inline void
sim_split_avail_event(struct sim_vq *vq)
{
	uint16_t *ev = (uint16_t *)&vq->used->ring[vq->num];

	if (!vq->event_idx)
		return;
	__atomic_store_n(ev, rte_cpu_to_le_16(vq->last_avail +
		(vq->polled ? 0x8000 : 0)), __ATOMIC_RELAXED);
}

/* Head of the chain in avail slot pos (validated by sim_split_chain). */
static inline uint16_t
sim_split_head(const struct sim_vq *vq, uint16_t pos)
{
	const uint16_t *slot = &vq->avail->ring[pos & vq->mask];

	return rte_le_to_cpu_16(__atomic_load_n(slot, __ATOMIC_RELAXED));
}

/* Write a used entry; the driver sees it at the next publish. */
static inline void
sim_split_used(struct sim_vq *vq, uint16_t head, uint32_t len)
{
	struct vring_used_elem *e = &vq->used->ring[vq->used_idx & vq->mask];

	e->id = rte_cpu_to_le_32(head);
	e->len = rte_cpu_to_le_32(len);
	vq->used_idx++;
}

/*
 * The used entry of a transmit chain (length 0). With IN_ORDER only the
 * last chain of a pass gets one: the device may skip forward by the
 * batch and write its last entry only, the driver counting chains by
 * the used index (virtio 1.1, 2.6.9 "In-order Descriptor Use").
 */
static inline void
sim_split_used_tx(struct sim_vq *vq, uint16_t head, bool last)
{
	if (!vq->in_order || last)
		sim_split_used(vq, head, 0);
	else
		vq->used_idx++;
}

/* A pass that stopped early: its last chain, head, gets its entry. */
static inline void
sim_split_used_tx_end(struct sim_vq *vq, uint16_t head)
{
	if (!vq->in_order)
		return;
	vq->used_idx--;
	sim_split_used(vq, head, 0);
}

#endif /* SIM_VQ_SPLIT_H */
