/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * What both ring layouts share: queue names in messages, breaking a
 * queue, per-queue arrays, indirect tables, and the buffers of a chain.
 */

#include <errno.h>
#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "sim_vq.h"

/* Both layouts' descriptors are 16 bytes: indirect tables are alike. */
static_assert(sizeof(struct vring_desc) == 16, "split descriptor size");
static_assert(sizeof(struct vring_packed_desc) == 16,
	"packed descriptor size");

const char * const sim_vq_dir_msg[] = {
	[SIM_CHAIN_TX] = "device-writable descriptor in a transmit chain",
	[SIM_CHAIN_RX] = "device-readable descriptor in a receive chain",
	[SIM_CHAIN_CTRL] = "device-readable descriptor after a writable one",
};

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

const void *
sim_vq_indirect(struct sim_dev *d, struct sim_vq *vq, uint64_t addr,
		uint32_t len, uint32_t budget, uint32_t *entries)
{
	const void *table;

	*entries = len / 16;
	if (len == 0 || len % 16 || (addr & 7)) {
		sim_vq_break(d, vq, &vq->stats.bad_desc_errors,
			"indirect table at 0x%" PRIx64 " of length %u: not an aligned non-empty multiple of 16 bytes",
			addr, len);
		return NULL;
	}
	if (*entries > budget) {
		sim_vq_break(d, vq, &vq->stats.exceed_max_chain,
			"indirect table of %u entries makes the chain longer than the ring (%u)",
			*entries, vq->num);
		return NULL;
	}
	table = sim_iova_contig(vq->bufs, addr, len, RTE_VIRTIO_MDEV_DMA_READ);
	if (table == NULL)
		sim_vq_break(d, vq, &vq->stats.bad_desc_errors,
			"indirect table [0x%" PRIx64 ", +%u) outside mapped memory",
			addr, len);
	return table;
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
