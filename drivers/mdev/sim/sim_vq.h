/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

#ifndef SIM_VQ_H
#define SIM_VQ_H

/*
 * What both ring layouts share (sim_vq_split.h, sim_vq_packed.h build on
 * it): the validated chain, the second pass that maps its buffers, the
 * one-descriptor chain, indirect table checks, and what happens when the
 * driver breaks the rules (sim_vq_break: the queue stops, the device
 * asks for a reset).
 */

#include <rte_common.h>

#include "sim.h"

enum sim_chain_mode {
	SIM_CHAIN_TX,	/* device reads only */
	SIM_CHAIN_RX,	/* device writes only */
	SIM_CHAIN_CTRL,	/* device-readable part, then device-writable */
};

/* A validated chain; its buffers are in vq->segs[0 .. nseg). */
struct sim_chain {
	uint16_t head;		/* split: head index; packed: buffer id */
	uint16_t ndesc;		/* packed: ring descriptors it takes */
	uint16_t nseg;
	uint32_t len;		/* all bytes */
	uint32_t out_len;	/* device-readable bytes (first) */
};

/* What is wrong with a descriptor sim_dir_ok refused, by chain mode. */
extern const char * const sim_vq_dir_msg[];

int sim_vq_grow(void **arr, uint32_t *cap, uint32_t n, size_t elem);
int sim_vq_break(struct sim_dev *d, struct sim_vq *vq, uint64_t *counter,
		const char *fmt, ...) __rte_format_printf(4, 5);
const char *sim_vq_role(const struct sim_dev *d, uint16_t qid, char *buf,
		size_t size);
/*
 * The indirect table of a descriptor (addr, len), either layout (both
 * descriptors are 16 bytes): a non-empty multiple of 16 bytes, 8-byte
 * aligned, of at most budget entries, in mapped readable memory. NULL
 * after breaking the queue; *entries is its size.
 */
const void *sim_vq_indirect(struct sim_dev *d, struct sim_vq *vq,
		uint64_t addr, uint32_t len, uint32_t budget,
		uint32_t *entries);
/* Pass 2: every buffer must lie in mapped memory with the right access. */
int sim_chain_resolve(struct sim_dev *d, struct sim_vq *vq,
		struct sim_chain *c);
/*
 * The usual data chain, either layout: one descriptor (the caller
 * checked: no NEXT nor INDIRECT, in the queue's direction, id valid)
 * of len > 0 bytes inside one mapped region. Taken whole, or false and
 * nothing done: the full walk then reads the descriptor again and says
 * what is wrong with it.
 */
bool sim_chain_single(struct sim_dev *d, struct sim_vq *vq, uint16_t id,
		uint64_t addr, uint32_t len, bool writable, struct sim_chain *c);

/* Descriptor direction allowed in this chain? */
static inline bool
sim_dir_ok(enum sim_chain_mode mode, bool writable, bool *seen_write)
{
	switch (mode) {
	case SIM_CHAIN_TX:
		return !writable;
	case SIM_CHAIN_RX:
		return writable;
	default:
		if (writable)
			*seen_write = true;
		return writable || !*seen_write;
	}
}

#endif /* SIM_VQ_H */
