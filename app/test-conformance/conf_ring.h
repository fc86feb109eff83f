/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

#ifndef CONF_RING_H
#define CONF_RING_H

/*
 * The driver's side of a virtqueue, for either ring layout: the data-path
 * cases post buffers and read used entries through it and so run
 * unchanged on split rings and (VIRTIO_F_RING_PACKED) packed rings.
 *
 * Split: descriptor table, avail ring, used ring; a buffer's id is the
 * index of its head descriptor. Packed: one descriptor ring and two event
 * suppression areas; descriptors are made available in ring order with
 * AVAIL/USED flags from the driver's wrap counter, a buffer's id is
 * written into its descriptors, and the device returns it in a used
 * descriptor whose AVAIL and USED flags both equal the device's wrap
 * counter. Reading used entries checks that: a violation is recorded in
 * ring->bad (the cases fail on it).
 */

#include "conf_common.h"

enum conf_layout {
	CONF_SPLIT,
	CONF_PACKED,
};

/* The most descriptors a ring of the cases has. */
#define CONF_RING_MAX 4096u

/* One buffer segment: driver memory in the ring's arena. */
struct conf_seg {
	const void *buf;
	uint32_t len;
	bool write;		/* device-writable */
};

/* What one used entry said. */
struct conf_used {
	uint16_t id;
	uint32_t len;
	uint16_t flags;		/* packed: the used descriptor's flags */
	uint16_t pos;		/* where it was read (used ring / desc ring) */
};

struct conf_ring {
	bool packed;
	bool in_order;		/* IN_ORDER: an entry may complete a batch */
	uint16_t num;
	const struct arena *a;
	struct vring vr;	/* split */
	struct vring_packed_desc *desc;		/* packed */
	struct vring_packed_desc_event *drv;	/* packed: driver area */
	struct vring_packed_desc_event *devev;	/* packed: device area */
	/* Driver bookkeeping. */
	uint16_t avail_pos;	/* packed: next descriptor to fill */
	uint8_t avail_wrap;	/* packed: driver wrap counter */
	uint16_t used_pos;	/* packed: next descriptor to read as used */
	uint8_t used_wrap;	/* packed: wrap counter expected there */
	uint16_t last_used;	/* split: next used ring entry to read */
	uint32_t posted;	/* buffers made available */
	uint32_t completed;	/* buffers the device returned */
	uint32_t wraps;		/* packed: times used_wrap flipped */
	uint32_t descs;		/* descriptors made available */
	uint16_t ndesc[CONF_RING_MAX];	/* per id: descriptors taken */
	uint16_t fifo[CONF_RING_MAX];	/* ids in posting order */
	uint32_t cum[CONF_RING_MAX];	/* descs after each posting */
	struct conf_used first;	/* the first used entry read */
	bool have_first;
	char bad[200];		/* first layout violation, "" if none */
};

/* Lay out a ring of num entries in the arena (not yet mapped). */
int ring_take(struct rte_mdev_device *dev, struct arena *a,
	struct conf_ring *r, unsigned int num, enum conf_layout layout);
/* set_vq_num and set_vq_address for the ring. */
int ring_program(struct rte_mdev_device *dev, uint16_t qid,
	const struct conf_ring *r);
/* Bytes the ring's memory takes (for arena_size_for's "extra"). */
size_t ring_bytes(struct rte_mdev_device *dev, unsigned int num);

/* Make buffer "id" available: one descriptor, a chain, an indirect table. */
void ring_post(struct conf_ring *r, uint16_t id, const void *buf,
	uint32_t len, bool write);
void ring_post_chain(struct conf_ring *r, uint16_t id,
	const struct conf_seg *segs, unsigned int n);
/* table: memory of the arena for n descriptors (16 bytes each). */
void ring_post_indirect(struct conf_ring *r, uint16_t id, void *table,
	const struct conf_seg *segs, unsigned int n);

/*
 * Read the next used entry: the number of buffers it returned (0: none
 * there yet). Checks the packed used flags against the wrap counter.
 */
unsigned int ring_poll(struct conf_ring *r, struct conf_used *e);
/* Read every used entry there is; the buffers returned so far. */
uint32_t ring_done(struct conf_ring *r);
/* Wait until the device returned "want" buffers. */
bool ring_wait(struct conf_ring *r, uint32_t want, unsigned int ms);

/*
 * Event suppression. ring_no_interrupt: VRING_AVAIL_F_NO_INTERRUPT
 * (split), VRING_PACKED_EVENT_FLAG_DISABLE (packed). ring_event_at
 * (EVENT_IDX): an interrupt only once the device returned buffer number
 * n (0-based, single-descriptor buffers): used_event (split),
 * off_wrap and VRING_PACKED_EVENT_FLAG_DESC (packed).
 */
void ring_no_interrupt(struct conf_ring *r);
void ring_event_at(struct conf_ring *r, uint32_t n);

/*
 * The queue state after the device took the first "bufs" buffers posted
 * (and, used_too, returned them): split avail_index, packed positions
 * and wrap counters. NULL if get_vq_state says so, else what differs.
 */
const char *ring_state_check(struct rte_mdev_device *dev, uint16_t qid,
	const struct conf_ring *r, uint32_t bufs, bool used_too);

/*
 * Why no further used entry is readable: the violation recorded, or
 * what the next used slot holds (for a wait's failure message).
 */
const char *ring_stuck(const struct conf_ring *r);

/* Where the device writes used entries: used ring / descriptor ring. */
const void *ring_used_area(const struct conf_ring *r);

/* Skip a packed variant on a device without packed rings. */
bool layout_offered(struct rte_mdev_device *dev, enum conf_layout layout,
	struct conf_result *res);

/*
 * A case run once per ring layout: case_<n> on split rings and
 * case_<n>_packed on packed rings (SKIP without RING_PACKED).
 */
#define CASE_LAYOUTS(n, body, arg) \
static void \
case_ ## n(struct rte_mdev_device *dev, struct conf_result *res) \
{ \
	body(dev, res, arg, CONF_SPLIT); \
} \
static void \
case_ ## n ## _packed(struct rte_mdev_device *dev, struct conf_result *res) \
{ \
	if (layout_offered(dev, CONF_PACKED, res)) \
		body(dev, res, arg, CONF_PACKED); \
}

#define CASE2(n) CASE(n), CASE(n ## _packed)

/* ---------------------------------------------------------------- */
/* A running rx/tx pair: one tx packet and one rx buffer               */
/* ---------------------------------------------------------------- */

#define PAIR_SPLIT_MAP (1u << 0)	/* two adjacent mappings, tx buffer
					 * straddling the boundary */
#define PAIR_LOW_IOVA (1u << 1)		/* IOVA != vaddr, small IOVAs */
#define PAIR_NO_INTERRUPT (1u << 2)	/* no interrupts asked for */
#define PAIR_NO_POST (1u << 3)		/* the caller posts the buffers */
#define PAIR_FULL (1u << 4)		/* every descriptor of both rings
					 * posted (one packet each) */
#define PAIR_SMALL (1u << 5)		/* 13 entries packed, 8 split */
#define PAIR_IN_ORDER (1u << 6)		/* negotiate VIRTIO_F_IN_ORDER */
#define PAIR_INDIRECT (1u << 7)		/* negotiate INDIRECT_DESC */
#define PAIR_EVENT_IDX (1u << 8)	/* negotiate EVENT_IDX */
#define BULK_BUF_LEN 128u

struct pair {
	struct arena a;
	struct conf_ring rx;
	struct conf_ring tx;
	uint8_t *txbuf;
	uint8_t *rxbuf;
	uint8_t *bulk;		/* PAIR_FULL: one rx slot per descriptor */
	uint8_t *spare;		/* 4 KiB for indirect tables and the like */
};

void frame_fill(uint8_t *frame);
/*
 * Negotiate VERSION_1 (and RING_PACKED for the packed layout, and what
 * the PAIR_* flags ask for), build rx (qid 0) and tx (qid 1) rings with
 * one rx buffer and one tx packet posted, map them and make both queues
 * ready. DRIVER_OK is left to the caller, which may set callbacks first.
 * 0, or -1 with the failure recorded at "line".
 */
int pair_setup(struct rte_mdev_device *dev, struct pair *p,
	unsigned int flags, enum conf_layout layout, struct conf_result *res,
	int line);
void pair_start(struct rte_mdev_device *dev);
/*
 * Wait for the tx completion and (on a loopback wire) the rx packet,
 * read with no layout violation. true, or false with the failure
 * recorded at "line".
 */
bool pair_wait(struct pair *p, struct conf_result *res, int line);
/*
 * The first rx used entry names buffer 0, whose memory (p->rxbuf) holds
 * the tx frame: NULL, or what is wrong.
 */
const char *check_rx(const struct pair *p);
/* Layout violations seen on either ring: NULL or the first one. */
const char *pair_bad(const struct pair *p);

/* A tx descriptor outside every mapping breaks the queue (conf_hostile.c). */
void bad_tx_unmapped(struct rte_mdev_device *dev, struct conf_result *res);

#endif /* CONF_RING_H */
