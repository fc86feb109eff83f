/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/* The driver's side of split and packed rings (see conf_ring.h). */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <rte_byteorder.h>

#include "conf_ring.h"

#define PK_AVAIL (1u << VRING_PACKED_DESC_F_AVAIL)
#define PK_USED (1u << VRING_PACKED_DESC_F_USED)

size_t
ring_bytes(struct rte_mdev_device *dev, unsigned int num)
{
	uint32_t align = ring_align(dev);

	/* The larger of the two layouts. */
	return RTE_MAX((size_t)vring_size(num, align) + align,
		(size_t)num * sizeof(struct vring_packed_desc) + 256);
}

int
ring_take(struct rte_mdev_device *dev, struct arena *a, struct conf_ring *r,
	unsigned int num, enum conf_layout layout)
{
	memset(r, 0, sizeof(*r));
	if (num == 0 || num > CONF_RING_MAX)
		return -EINVAL;
	r->packed = layout == CONF_PACKED;
	r->num = num;
	r->a = a;
	if (!r->packed)
		return vring_take(dev, a, &r->vr, num);
	r->desc = arena_take(a, num * sizeof(*r->desc), 64);
	r->drv = arena_take(a, sizeof(*r->drv), 64);
	r->devev = arena_take(a, sizeof(*r->devev), 64);
	if (r->desc == NULL || r->drv == NULL || r->devev == NULL)
		return -ENOMEM;
	/* Both wrap counters start at 1 (virtio 1.1, 2.8.1). */
	r->avail_wrap = 1;
	r->used_wrap = 1;
	return 0;
}

int
ring_program(struct rte_mdev_device *dev, uint16_t qid,
	const struct conf_ring *r)
{
	int rc;

	if (!r->packed)
		return vq_program(dev, qid, r->a, &r->vr);
	rc = dev->ops->set_vq_num(dev, qid, r->num);
	if (rc != 0)
		return rc;
	return dev->ops->set_vq_address(dev, qid, arena_iova(r->a, r->desc),
			arena_iova(r->a, r->drv), arena_iova(r->a, r->devev));
}

/* Flags of an available packed descriptor for the driver's wrap counter. */
static uint16_t
pk_avail_flags(const struct conf_ring *r, uint16_t flags)
{
	return flags | (r->avail_wrap ? PK_AVAIL : PK_USED);
}

static void
note_posted(struct conf_ring *r, uint16_t id, unsigned int ndesc)
{
	r->ndesc[id % CONF_RING_MAX] = ndesc;
	r->fifo[r->posted % CONF_RING_MAX] = id;
	r->descs += ndesc;
	r->cum[r->posted % CONF_RING_MAX] = r->descs;
	r->posted++;
}

/* Split: expose head "id" in the avail ring. */
static void
split_expose(struct conf_ring *r, uint16_t id)
{
	struct vring *vr = &r->vr;
	uint16_t idx = rte_le_to_cpu_16(vr->avail->idx);

	vr->avail->ring[idx % vr->num] = rte_cpu_to_le_16(id);
	/* The device must see the entry before the index that exposes it. */
	__atomic_store_n(&vr->avail->idx, rte_cpu_to_le_16(idx + 1),
		__ATOMIC_RELEASE);
}

/*
 * Packed: fill n descriptors from avail_pos; the head's flags are
 * written last (release), so the device sees the chain whole.
 */
static void
packed_expose(struct conf_ring *r, uint16_t id, const uint64_t *addr,
	const uint32_t *len, const uint16_t *flags, unsigned int n)
{
	uint16_t head = r->avail_pos, head_flags = 0, pos = head;
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct vring_packed_desc *d = &r->desc[pos];
		uint16_t f = pk_avail_flags(r, flags[i]);

		d->addr = rte_cpu_to_le_64(addr[i]);
		d->len = rte_cpu_to_le_32(len[i]);
		d->id = rte_cpu_to_le_16(id);
		if (i == 0)
			head_flags = f;
		else
			d->flags = rte_cpu_to_le_16(f);
		if (++pos == r->num) {
			pos = 0;
			r->avail_wrap ^= 1;
		}
	}
	r->avail_pos = pos;
	__atomic_store_n(&r->desc[head].flags, rte_cpu_to_le_16(head_flags),
		__ATOMIC_RELEASE);
}

void
ring_post(struct conf_ring *r, uint16_t id, const void *buf, uint32_t len,
	bool write)
{
	struct conf_seg seg = { buf, len, write };

	ring_post_chain(r, id, &seg, 1);
}

void
ring_post_chain(struct conf_ring *r, uint16_t id,
	const struct conf_seg *segs, unsigned int n)
{
	uint64_t addr[16];
	uint32_t len[16];
	uint16_t flags[16];
	unsigned int i;

	n = RTE_MIN(n, 16u);
	for (i = 0; i < n; i++) {
		addr[i] = arena_iova(r->a, segs[i].buf);
		len[i] = segs[i].len;
		flags[i] = (segs[i].write ? VRING_DESC_F_WRITE : 0) |
			(i + 1 < n ? VRING_DESC_F_NEXT : 0);
	}
	if (r->packed) {
		packed_expose(r, id, addr, len, flags, n);
	} else {
		/* Descriptors id, id + 1, ... (the caller keeps them free). */
		for (i = 0; i < n; i++) {
			struct vring_desc *d = &r->vr.desc[(id + i) % r->num];

			d->addr = rte_cpu_to_le_64(addr[i]);
			d->len = rte_cpu_to_le_32(len[i]);
			d->flags = rte_cpu_to_le_16(flags[i]);
			d->next = rte_cpu_to_le_16((id + i + 1) % r->num);
		}
		split_expose(r, id);
	}
	note_posted(r, id, r->packed ? n : 1);
}

void
ring_post_indirect(struct conf_ring *r, uint16_t id, void *table,
	const struct conf_seg *segs, unsigned int n)
{
	uint64_t addr = arena_iova(r->a, table);
	uint32_t len = n * 16;
	uint16_t flags = VRING_DESC_F_INDIRECT;
	unsigned int i;

	for (i = 0; i < n; i++) {
		uint16_t f = segs[i].write ? VRING_DESC_F_WRITE : 0;

		if (r->packed) {
			/* Packed tables: no NEXT, entries in order. */
			struct vring_packed_desc *d =
				(struct vring_packed_desc *)table + i;

			d->addr = rte_cpu_to_le_64(arena_iova(r->a,
				segs[i].buf));
			d->len = rte_cpu_to_le_32(segs[i].len);
			d->id = 0;
			d->flags = rte_cpu_to_le_16(f);
		} else {
			struct vring_desc *d = (struct vring_desc *)table + i;

			d->addr = rte_cpu_to_le_64(arena_iova(r->a,
				segs[i].buf));
			d->len = rte_cpu_to_le_32(segs[i].len);
			d->flags = rte_cpu_to_le_16(f |
				(i + 1 < n ? VRING_DESC_F_NEXT : 0));
			d->next = rte_cpu_to_le_16(i + 1);
		}
	}
	if (r->packed) {
		packed_expose(r, id, &addr, &len, &flags, 1);
	} else {
		struct vring_desc *d = &r->vr.desc[id];

		d->addr = rte_cpu_to_le_64(addr);
		d->len = rte_cpu_to_le_32(len);
		d->flags = rte_cpu_to_le_16(flags);
		d->next = 0;
		split_expose(r, id);
	}
	note_posted(r, id, 1);
}

static void
ring_bad(struct conf_ring *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
ring_bad(struct conf_ring *r, const char *fmt, ...)
{
	va_list ap;

	if (r->bad[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(r->bad, sizeof(r->bad), fmt, ap);
	va_end(ap);
}

/*
 * The buffers a used entry naming "id" returns: one, or with IN_ORDER
 * every outstanding buffer up to and including it (a batch). 0 when the
 * id is not outstanding (recorded as a violation).
 */
static unsigned int
returned(struct conf_ring *r, uint16_t id, unsigned int *ndesc)
{
	uint32_t i;

	*ndesc = 0;
	if (!r->in_order) {
		if (id >= r->num) {
			ring_bad(r, "used id %u, the ring has %u entries", id,
				r->num);
			return 0;
		}
		*ndesc = r->ndesc[id];
		return 1;
	}
	for (i = r->completed; i < r->posted; i++) {
		*ndesc += r->ndesc[r->fifo[i % CONF_RING_MAX]];
		if (r->fifo[i % CONF_RING_MAX] == id)
			return i - r->completed + 1;
	}
	ring_bad(r, "IN_ORDER: used id %u is not an outstanding buffer "
		"(next expected %u)", id, r->completed < r->posted ?
		r->fifo[r->completed % CONF_RING_MAX] : 0xffff);
	*ndesc = 0;
	return 0;
}

unsigned int
ring_poll(struct conf_ring *r, struct conf_used *e)
{
	unsigned int n, ndesc, i;
	uint16_t flags;
	bool avail, used;

	if (!r->packed) {
		const struct vring_used_elem *u;
		uint16_t idx = rte_le_to_cpu_16(__atomic_load_n(
			&r->vr.used->idx, __ATOMIC_ACQUIRE));
		uint16_t ahead = idx - r->last_used;

		if (ahead == 0)
			return 0;
		if (ahead > r->posted - r->completed) {
			ring_bad(r, "used index %u is %u entries ahead of the "
				"driver's %u, only %u buffers are outstanding",
				idx, ahead, r->last_used,
				r->posted - r->completed);
			return 0;
		}
		if (r->in_order) {
			/*
			 * A batch: the device may skip forward and write only
			 * the batch's last entry, which must name the last
			 * buffer of the batch in posting order.
			 */
			uint16_t want = r->fifo[(r->completed + ahead - 1) %
				CONF_RING_MAX];

			u = &r->vr.used->ring[(uint16_t)(idx - 1) % r->num];
			e->id = (uint16_t)rte_le_to_cpu_32(u->id);
			e->len = rte_le_to_cpu_32(u->len);
			e->flags = 0;
			e->pos = (uint16_t)(idx - 1) % r->num;
			if (e->id != want)
				ring_bad(r, "IN_ORDER: used entry %u names "
					"buffer %u, the buffer made available "
					"there is %u", (uint16_t)(idx - 1),
					e->id, want);
			r->last_used = idx;
			n = ahead;
			goto got;
		}
		u = &r->vr.used->ring[r->last_used % r->num];
		e->id = (uint16_t)rte_le_to_cpu_32(u->id);
		e->len = rte_le_to_cpu_32(u->len);
		e->flags = 0;
		e->pos = r->last_used % r->num;
		r->last_used++;
		n = returned(r, e->id, &ndesc);
		if (n == 0)
			n = 1;
		goto got;
	}
	flags = rte_le_to_cpu_16(__atomic_load_n(&r->desc[r->used_pos].flags,
		__ATOMIC_ACQUIRE));
	used = (flags & PK_USED) != 0;
	avail = (flags & PK_AVAIL) != 0;
	/* Used when its USED flag equals our used wrap counter. */
	if (used != r->used_wrap)
		return 0;
	if (avail != used)
		ring_bad(r, "used descriptor at %u has flags 0x%04x: AVAIL %u "
			"USED %u, both must equal the wrap counter %u",
			r->used_pos, flags, avail, used, r->used_wrap);
	e->id = rte_le_to_cpu_16(r->desc[r->used_pos].id);
	e->len = rte_le_to_cpu_32(r->desc[r->used_pos].len);
	e->flags = flags;
	e->pos = r->used_pos;
	n = returned(r, e->id, &ndesc);
	if (n == 0)
		ndesc = 1;
	for (i = 0; i < ndesc; i++) {
		if (++r->used_pos == r->num) {
			r->used_pos = 0;
			r->used_wrap ^= 1;
			r->wraps++;
		}
	}
got:
	if (!r->have_first) {
		r->first = *e;
		r->have_first = true;
	}
	r->completed += n;
	return n;
}

uint32_t
ring_done(struct conf_ring *r)
{
	struct conf_used e;

	/* Bounded: a device can't return more than was posted. */
	while (r->completed < r->posted && ring_poll(r, &e) > 0)
		;
	return r->completed;
}

bool
ring_wait(struct conf_ring *r, uint32_t want, unsigned int ms)
{
	uint64_t end = now_ms() + ms;

	while (ring_done(r) < want) {
		if (now_ms() > end)
			return false;
		sleep_ms(1);
	}
	return true;
}

void
ring_no_interrupt(struct conf_ring *r)
{
	if (r->packed)
		__atomic_store_n(&r->drv->flags,
			rte_cpu_to_le_16(VRING_PACKED_EVENT_FLAG_DISABLE),
			__ATOMIC_RELEASE);
	else
		__atomic_store_n(&r->vr.avail->flags,
			rte_cpu_to_le_16(VRING_AVAIL_F_NO_INTERRUPT),
			__ATOMIC_RELEASE);
}

void
ring_event_at(struct conf_ring *r, uint32_t n)
{
	uint16_t off_wrap;

	if (!r->packed) {
		__atomic_store_n(&vring_used_event(&r->vr),
			rte_cpu_to_le_16((uint16_t)n), __ATOMIC_RELEASE);
		return;
	}
	off_wrap = (uint16_t)(n % r->num) |
		(uint16_t)((((n / r->num) & 1) ^ 1) <<
			VRING_PACKED_EVENT_F_WRAP_CTR);
	r->drv->off_wrap = rte_cpu_to_le_16(off_wrap);
	__atomic_store_n(&r->drv->flags,
		rte_cpu_to_le_16(VRING_PACKED_EVENT_FLAG_DESC),
		__ATOMIC_RELEASE);
}

const char *
ring_state_check(struct rte_mdev_device *dev, uint16_t qid,
	const struct conf_ring *r, uint32_t bufs, bool used_too)
{
	static char why[200];
	struct rte_virtio_mdev_vq_state st;
	/* Packed positions count descriptors: those of the first bufs. */
	uint32_t descs = bufs == 0 ? 0 : r->cum[(bufs - 1) % CONF_RING_MAX];
	uint16_t idx = descs % r->num;
	uint8_t wrap = ((descs / r->num) & 1) ^ 1;
	int rc;

	memset(&st, 0, sizeof(st));
	rc = dev->ops->get_vq_state(dev, qid, &st);
	if (rc != 0) {
		snprintf(why, sizeof(why), "get_vq_state(%u): %d (%s)", qid,
			rc, conf_errname(rc));
		return why;
	}
	if (!r->packed) {
		if (st.split.avail_index == (uint16_t)bufs)
			return NULL;
		snprintf(why, sizeof(why), "q%u state avail_index %u, "
			"expected %u", qid, st.split.avail_index,
			(uint16_t)bufs);
		return why;
	}
	if (st.packed.last_avail_idx == idx &&
			st.packed.last_avail_counter == wrap &&
			(!used_too || (st.packed.last_used_idx == idx &&
			st.packed.last_used_counter == wrap)))
		return NULL;
	snprintf(why, sizeof(why), "q%u packed state avail %u/%u used %u/%u,"
		" expected %u/%u after %u descriptors", qid,
		st.packed.last_avail_idx, st.packed.last_avail_counter,
		st.packed.last_used_idx, st.packed.last_used_counter,
		idx, wrap, descs);
	return why;
}

const char *
ring_stuck(const struct conf_ring *r)
{
	static char why[2][240];
	static unsigned int turn;
	char *w = why[turn++ & 1];
	uint16_t flags;

	if (r->bad[0] != '\0')
		return r->bad;
	if (!r->packed) {
		snprintf(w, sizeof(why[0]), "used index %u, the driver has "
			"read up to %u of %u buffers posted",
			rte_le_to_cpu_16(__atomic_load_n(&r->vr.used->idx,
			__ATOMIC_ACQUIRE)), r->last_used, r->posted);
		return w;
	}
	flags = rte_le_to_cpu_16(__atomic_load_n(&r->desc[r->used_pos].flags,
		__ATOMIC_ACQUIRE));
	snprintf(w, sizeof(why[0]), "the next used descriptor, at %u, has "
		"flags 0x%04x (AVAIL %u USED %u) while the driver's used wrap "
		"counter is %u", r->used_pos, flags,
		!!(flags & PK_AVAIL), !!(flags & PK_USED), r->used_wrap);
	return w;
}

const void *
ring_used_area(const struct conf_ring *r)
{
	return r->packed ? (const void *)r->desc : (const void *)r->vr.used;
}

bool
layout_offered(struct rte_mdev_device *dev, enum conf_layout layout,
	struct conf_result *res)
{
	if (layout == CONF_PACKED &&
			!(offered(dev) & FEAT(VIRTIO_F_RING_PACKED))) {
		conf_skip(res, "VIRTIO_F_RING_PACKED not offered: the packed "
			"variant has nothing to run on");
		return false;
	}
	return true;
}

/* ---------------------------------------------------------------- */
/* A running rx/tx pair                                               */
/* ---------------------------------------------------------------- */

void
frame_fill(uint8_t *frame)
{
	unsigned int i;

	memset(frame, 0xff, 6);			/* broadcast destination */
	memcpy(frame + 6, "\x02\x00\x00\x00\x00\x01", 6);
	frame[12] = 0x88;			/* local experimental type */
	frame[13] = 0xb5;
	for (i = 14; i < FRAME_LEN; i++)
		frame[i] = (uint8_t)(i * 7 + 3);
}

int
pair_setup(struct rte_mdev_device *dev, struct pair *p, unsigned int flags,
	enum conf_layout layout, struct conf_result *res, int line)
{
	unsigned int num = test_num(dev);
	uint64_t f = FEAT(VIRTIO_F_VERSION_1);
	size_t boundary;
	uint8_t *page;
	uint16_t i;
	int rc;

	/* Full rings: as long as the device allows, to keep it busy. */
	if (flags & PAIR_FULL)
		num = RTE_MIN(CONF_RING_MAX,
			(unsigned int)dev->ops->get_vq_num_max(dev));
	/* Small rings: wrapped within a few packets; packed ones of a
	 * size that is no power of two.
	 */
	if (flags & PAIR_SMALL)
		num = layout == CONF_PACKED ? 13 : 8;
	if (layout == CONF_PACKED)
		f |= FEAT(VIRTIO_F_RING_PACKED);
	if (flags & PAIR_IN_ORDER)
		f |= FEAT(VIRTIO_F_IN_ORDER);
	if (flags & PAIR_INDIRECT)
		f |= FEAT(VIRTIO_RING_F_INDIRECT_DESC);
	if (flags & PAIR_EVENT_IDX)
		f |= FEAT(VIRTIO_RING_F_EVENT_IDX);

	if (negotiate(dev, f, res, line) != 0)
		return -1;
	if (arena_init(&p->a, 2 * ring_bytes(dev, num) + 4 * PAGE_SZ +
			RXBUF_LEN + num * BULK_BUF_LEN + PAGE_SZ) != 0) {
		conf_fail(res, line, "out of memory");
		return -1;
	}
	if (flags & PAIR_LOW_IOVA)
		p->a.iova_base = LOW_IOVA;
	if (ring_take(dev, &p->a, &p->rx, num, layout) != 0 ||
			ring_take(dev, &p->a, &p->tx, num, layout) != 0)
		goto nomem;
	p->rx.in_order = p->tx.in_order = (flags & PAIR_IN_ORDER) != 0;
	/* The tx buffer straddles a page boundary (split mapping cut). */
	page = arena_take(&p->a, 2 * PAGE_SZ, PAGE_SZ);
	p->rxbuf = arena_take(&p->a, RXBUF_LEN, 64);
	if (page == NULL || p->rxbuf == NULL)
		goto nomem;
	p->bulk = arena_take(&p->a, num * BULK_BUF_LEN, 64);
	p->spare = arena_take(&p->a, PAGE_SZ, 64);
	if (p->bulk == NULL || p->spare == NULL)
		goto nomem;
	p->txbuf = page + PAGE_SZ - 30;
	memset(p->txbuf, 0, NET_HDR_LEN);
	frame_fill(p->txbuf + NET_HDR_LEN);
	memset(p->rxbuf, 0xa5, RXBUF_LEN);

	if (flags & PAIR_SPLIT_MAP) {
		boundary = (size_t)(page - p->a.base) + PAGE_SZ;
		rc = arena_map_range(dev, &p->a, 0, boundary);
		if (rc == 0)
			rc = arena_map_range(dev, &p->a, boundary,
					p->a.size - boundary);
	} else {
		rc = arena_map(dev, &p->a);
	}
	if (rc != 0) {
		conf_fail(res, line, "dma_map of the ring memory: %d (%s)",
			rc, conf_errname(rc));
		return -1;
	}
	if (flags & PAIR_NO_INTERRUPT) {
		ring_no_interrupt(&p->rx);
		ring_no_interrupt(&p->tx);
	}
	if (flags & PAIR_FULL) {
		for (i = 0; i < num; i++) {
			ring_post(&p->rx, i, p->bulk + i * BULK_BUF_LEN,
				BULK_BUF_LEN, true);
			ring_post(&p->tx, i, p->txbuf,
				NET_HDR_LEN + FRAME_LEN, false);
		}
	} else if (!(flags & PAIR_NO_POST)) {
		ring_post(&p->rx, 0, p->rxbuf, RXBUF_LEN, true);
		ring_post(&p->tx, 0, p->txbuf, NET_HDR_LEN + FRAME_LEN,
			false);
	}

	rc = ring_program(dev, 0, &p->rx);
	if (rc == 0)
		rc = ring_program(dev, 1, &p->tx);
	if (rc != 0) {
		conf_fail(res, line, "programming rx/tx queues: %d (%s)",
			rc, conf_errname(rc));
		return -1;
	}
	rc = dev->ops->set_vq_ready(dev, 0, true);
	if (rc == 0)
		rc = dev->ops->set_vq_ready(dev, 1, true);
	if (rc != 0) {
		conf_fail(res, line, "set_vq_ready(rx/tx): %d (%s)",
			rc, conf_errname(rc));
		return -1;
	}
	return 0;
nomem:
	conf_fail(res, line, "out of ring memory");
	return -1;
}

void
pair_start(struct rte_mdev_device *dev)
{
	dev->ops->set_status(dev, S_RUNNING);
	dev->ops->kick_vq(dev, 0);
	dev->ops->kick_vq(dev, 1);
}

bool
pair_wait(struct pair *p, struct conf_result *res, int line)
{
	if (!ring_wait(&p->tx, 1, WAIT_MS)) {
		conf_fail(res, line, "tx: no used entry within 1 s: %s",
			ring_stuck(&p->tx));
		return false;
	}
	if (conf_opts.loopback && !ring_wait(&p->rx, 1, WAIT_MS)) {
		conf_fail(res, line, "rx: no used entry within 1 s (the suite "
			"expects a loopback wire; --no-loopback if the device "
			"has none): %s", ring_stuck(&p->rx));
		return false;
	}
	if (pair_bad(p) != NULL) {
		conf_fail(res, line, "%s", pair_bad(p));
		return false;
	}
	return true;
}

const char *
pair_bad(const struct pair *p)
{
	static char why[240];

	if (p->tx.bad[0] == '\0' && p->rx.bad[0] == '\0')
		return NULL;
	snprintf(why, sizeof(why), "%s: %s", p->tx.bad[0] ? "tx" : "rx",
		p->tx.bad[0] ? p->tx.bad : p->rx.bad);
	return why;
}

const char *
check_rx(const struct pair *p)
{
	static char why[160];
	const struct conf_used *e = &p->rx.first;
	uint16_t nbuf;

	if (!p->rx.have_first)
		return "no rx used entry read";
	if (e->id != 0) {
		snprintf(why, sizeof(why), "rx used id %u, posted 0", e->id);
		return why;
	}
	if (e->len != NET_HDR_LEN + FRAME_LEN) {
		snprintf(why, sizeof(why), "rx used len %u, expected %zu "
			"(12-byte header + %u-byte frame)", e->len,
			NET_HDR_LEN + FRAME_LEN, FRAME_LEN);
		return why;
	}
	if (p->rx.packed && !(e->flags & VRING_DESC_F_WRITE)) {
		snprintf(why, sizeof(why), "rx used descriptor flags 0x%04x "
			"lack VRING_DESC_F_WRITE though %u bytes were written",
			e->flags, e->len);
		return why;
	}
	if (memcmp(p->rxbuf + NET_HDR_LEN, p->txbuf + NET_HDR_LEN,
			FRAME_LEN) != 0)
		return "rx frame bytes differ from the tx frame";
	memcpy(&nbuf, p->rxbuf + offsetof(struct virtio_net_hdr_v1,
		num_buffers), sizeof(nbuf));
	if (rte_le_to_cpu_16(nbuf) != 1) {
		snprintf(why, sizeof(why), "rx header num_buffers %u, "
			"expected 1", rte_le_to_cpu_16(nbuf));
		return why;
	}
	return NULL;
}
