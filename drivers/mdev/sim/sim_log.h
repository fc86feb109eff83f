/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

#ifndef SIM_LOG_H
#define SIM_LOG_H

/*
 * Dirty page logging (RTE_VIRTIO_MDEV_F_LOG_DIRTY): while logging is on,
 * every byte the device writes to driver memory (receive buffers, ack
 * bytes, used rings or used descriptors) marks its 4 KiB IOVA page in the
 * vhost-format bitmap the consumer gave with set_log_base: bit page % 8
 * of byte page / 8. The consumer reads and clears the bitmap concurrently,
 * so bits are set with an atomic OR, after the data they stand for.
 *
 * Callers log right after they wrote, under the device lock (the engine's
 * pass or a control op), which also keeps the bitmap from changing under
 * them. With logging off each call costs one predictable branch.
 */

#include <rte_branch_prediction.h>

#include "sim.h"

#define SIM_LOG_PAGE_SHIFT	12

/* Out of line: the path taken only while logging is on. */
void sim_log_mark(struct sim_dev *d, uint64_t iova, uint64_t len);
void sim_log_mark_segs(struct sim_dev *d, const struct sim_seg *seg,
		uint16_t nseg, uint64_t len);
void sim_split_log_mark_used(struct sim_dev *d, const struct sim_vq *vq,
		uint16_t from, uint16_t to);
void sim_log_mark_rings(struct sim_dev *d, const struct sim_vq *vq);

/* The device wrote [iova, iova + len). */
static inline void
sim_log_write(struct sim_dev *d, uint64_t iova, uint64_t len)
{
	if (likely(!d->dlog.on))
		return;
	sim_log_mark(d, iova, len);
}

/* The device wrote the first len bytes of the chain seg[0 .. nseg). */
static inline void
sim_log_segs(struct sim_dev *d, const struct sim_seg *seg, uint16_t nseg,
		uint64_t len)
{
	if (likely(!d->dlog.on))
		return;
	sim_log_mark_segs(d, seg, nseg, len);
}

/*
 * Split ring: the device published used entries [from, to) (free-running
 * indexes) and the used index. Entries written and then taken back (a
 * packet dropped half-way) lie beyond the used index, where the driver
 * does not look, so only published ones are logged.
 */
static inline void
sim_split_log_used(struct sim_dev *d, const struct sim_vq *vq,
		uint16_t from, uint16_t to)
{
	if (likely(!d->dlog.on))
		return;
	sim_split_log_mark_used(d, vq, from, to);
}

/*
 * Where the num_buffers field of a receive header went. It is written
 * once the packet is complete, after its buffers were logged, and is
 * logged again then.
 */
struct sim_log_nb {
	uint64_t iova[2];	/* its two bytes (they may be apart) */
	bool found;
};

void sim_log_nb_find(struct sim_log_nb *nb, const struct sim_seg *seg,
		uint16_t nseg);

/* Remember where num_buffers is in the first chain of a packet. */
static inline void
sim_log_nb_save(struct sim_dev *d, struct sim_log_nb *nb,
		const struct sim_seg *seg, uint16_t nseg)
{
	if (likely(!d->dlog.on))
		return;
	sim_log_nb_find(nb, seg, nseg);
}

/* num_buffers was written. */
static inline void
sim_log_nb_write(struct sim_dev *d, const struct sim_log_nb *nb)
{
	if (likely(!d->dlog.on) || !nb->found)
		return;
	sim_log_mark(d, nb->iova[0], 1);
	sim_log_mark(d, nb->iova[1], 1);
}

/*
 * The areas of a ready queue the device writes (split: the used ring;
 * packed: the descriptor ring and the device event suppression area),
 * all of them: when logging starts or the queue starts while logging.
 */
static inline void
sim_log_rings(struct sim_dev *d, const struct sim_vq *vq)
{
	if (likely(!d->dlog.on))
		return;
	sim_log_mark_rings(d, vq);
}

/* The ops (sim_ops.c puts them in the table). */
int sim_set_log_base(struct rte_mdev_device *dev, void *base, uint64_t size);
int sim_set_log_enable(struct rte_mdev_device *dev, bool enable);

#endif /* SIM_LOG_H */
