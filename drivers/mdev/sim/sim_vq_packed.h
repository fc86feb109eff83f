/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

#ifndef SIM_VQ_PACKED_H
#define SIM_VQ_PACKED_H

/*
 * Device side of a packed virtqueue (VIRTIO_F_RING_PACKED): descriptors
 * are available when their AVAIL flag equals the driver wrap counter and
 * their USED flag does not; a chain is consecutive ring descriptors
 * linked by VRING_DESC_F_NEXT, its buffer id in the last one. Used
 * entries of a pass are kept in vq->shadow and written at the end of the
 * pass, the flags of the first one last, so the driver sees the batch at
 * once. Ring sizes need not be powers of two: positions wrap by compare
 * and subtract.
 *
 * vq->last_avail / vq->avail_wrap: next descriptor the device reads;
 * vq->used_idx / vq->used_wrap: next descriptor it writes as used.
 */

#include <rte_atomic.h>
#include <rte_byteorder.h>

#include "sim_vq.h"

#define SIM_PACKED_AVAIL	(1u << VRING_PACKED_DESC_F_AVAIL)
#define SIM_PACKED_USED		(1u << VRING_PACKED_DESC_F_USED)

int sim_packed_enable(struct sim_dev *d, struct sim_vq *vq);
/*
 * Parse and validate the chain at ring position pos, driver wrap counter
 * wrap. Returns 1 with the chain in c (buffers in vq->segs), 0 when the
 * descriptor there is not available, -1 after breaking the queue.
 */
int sim_packed_chain(struct sim_dev *d, struct sim_vq *vq, uint16_t pos,
		uint8_t wrap, enum sim_chain_mode mode, struct sim_chain *c);
/*
 * The usual data chain only (one descriptor, see sim_chain_single):
 * true when the descriptor at pos is available and taken whole; false
 * with nothing done otherwise, sim_packed_chain then says why.
 */
bool sim_packed_chain_one(struct sim_dev *d, struct sim_vq *vq, uint16_t pos,
		uint8_t wrap, enum sim_chain_mode mode, struct sim_chain *c);
/* Write the pass's used entries, then call back unless suppressed. */
void sim_packed_publish(struct sim_dev *d, struct sim_vq *vq, bool defer_cb);

/* Is a descriptor with these flags available for driver wrap counter w? */
static inline bool
sim_packed_is_avail(uint16_t flags, uint8_t w)
{
	return !!(flags & SIM_PACKED_AVAIL) == w &&
		!!(flags & SIM_PACKED_USED) != w;
}

/* Step a ring position by n (<= num), flipping the wrap counter. */
static inline void
sim_packed_step(const struct sim_vq *vq, uint16_t *pos, uint8_t *wrap,
		uint16_t n)
{
	uint32_t p = (uint32_t)*pos + n;

	if (p >= vq->num) {
		p -= vq->num;
		*wrap ^= 1;
	}
	*pos = p;
}

/* Room for one more used entry in this pass? */
static inline bool
sim_packed_room(const struct sim_vq *vq)
{
	return vq->nshadow < vq->num;
}

/* Queue a used entry (written to the ring at publish). */
static inline void
sim_packed_used(struct sim_vq *vq, const struct sim_chain *c, uint32_t len)
{
	struct sim_used *u = &vq->shadow[vq->nshadow++];

	u->id = c->head;
	u->ndesc = c->ndesc;
	u->len = len;
}

/* The device is done reading the chain at last_avail. */
static inline void
sim_packed_consume(struct sim_vq *vq, const struct sim_chain *c)
{
	sim_packed_step(vq, &vq->last_avail, &vq->avail_wrap, c->ndesc);
}

#endif /* SIM_VQ_PACKED_H */
