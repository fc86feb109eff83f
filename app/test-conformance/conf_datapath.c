/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * Data path, callbacks and quiescing, run once per ring layout (split,
 * and packed as <case>_packed): packets through a loopback pair, queues
 * disabled and re-enabled, stopping a busy device, callbacks and event
 * suppression, plus the ring mechanics both layouts must get right.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_pause.h>

#include "conf_ring.h"

/* The features a pair of this layout negotiates (see pair_setup). */
static uint64_t
layout_features(enum conf_layout layout)
{
	return FEAT(VIRTIO_F_VERSION_1) | (layout == CONF_PACKED ?
		FEAT(VIRTIO_F_RING_PACKED) : 0);
}

/* One packet through a loopback pair, then the queues' state. */
static void
data_path(struct rte_mdev_device *dev, struct conf_result *res,
	unsigned int flags, enum conf_layout layout)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	struct pair p = { .a = { .base = NULL } };
	const char *why;
	uint8_t s;

	if (pair_setup(dev, &p, flags, layout, res, __LINE__) != 0)
		goto out;
	pair_start(dev);
	if (!pair_wait(&p, res, __LINE__))
		goto out;
	why = pair_bad(&p);
	CONF_CHECK(res, why == NULL, "%s", why);
	CONF_CHECK(res, p.tx.first.id == 0, "tx used id %u, posted 0",
		p.tx.first.id);
	if (conf_opts.loopback) {
		why = check_rx(&p);
		CONF_CHECK(res, why == NULL, "%s", why);
	}
	s = ops->get_status(dev);
	CONF_CHECK(res, s == S_RUNNING, "status 0x%02x after one packet", s);
	/* The state after the run counts the one chain each queue took. */
	CONF_CHECK_RC(res, ops->set_vq_ready(dev, 0, false), 0);
	CONF_CHECK_RC(res, ops->set_vq_ready(dev, 1, false), 0);
	why = ring_state_check(dev, 1, &p.tx, 1, true);
	CONF_CHECK(res, why == NULL, "after one packet: %s", why);
	if (conf_opts.loopback) {
		why = ring_state_check(dev, 0, &p.rx, 1, true);
		CONF_CHECK(res, why == NULL, "after one packet: %s", why);
	}
out:
	arena_fini(dev, &p.a);
}

CASE_LAYOUTS(data_path, data_path, 0)
CASE_LAYOUTS(data_path_two_mappings, data_path, PAIR_SPLIT_MAP)
CASE_LAYOUTS(data_path_iova_offset, data_path, PAIR_LOW_IOVA)

/*
 * A disabled queue is not used ("disabling stops the device using the
 * queue before it returns") and, enabled again, resumes at its position.
 */
static void
vq_disable_stops(struct rte_mdev_device *dev, struct conf_result *res,
	unsigned int flags, enum conf_layout layout)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	struct pair p = { .a = { .base = NULL } };
	const char *why;
	int rc;

	if (pair_setup(dev, &p, flags, layout, res, __LINE__) != 0)
		goto out;
	pair_start(dev);
	if (!pair_wait(&p, res, __LINE__))
		goto out;
	CONF_CHECK_RC(res, ops->set_vq_ready(dev, 1, false), 0);
	ring_post(&p.rx, 1, p.rxbuf, RXBUF_LEN, true);
	ring_post(&p.tx, 1, p.txbuf, NET_HDR_LEN + FRAME_LEN, false);
	ops->kick_vq(dev, 1);
	sleep_ms(QUIET_MS);
	CONF_CHECK(res, ring_done(&p.tx) == 1, "the device used a buffer of "
		"a disabled tx queue (%u buffers returned)", ring_done(&p.tx));
	why = ring_state_check(dev, 1, &p.tx, 1, true);
	CONF_CHECK(res, why == NULL, "disabled tx: %s", why);
	rc = ops->set_vq_ready(dev, 1, true);
	CONF_CHECK(res, rc == 0, "enabling the tx queue again (address and "
		"size still set): %d (%s)", rc, conf_errname(rc));
	ops->kick_vq(dev, 1);
	CONF_CHECK(res, ring_wait(&p.tx, 2, WAIT_MS), "re-enabled tx queue "
		"did not use the buffer posted while disabled (%u buffers "
		"returned)", ring_done(&p.tx));
	CONF_CHECK(res, !conf_opts.loopback || ring_wait(&p.rx, 2, WAIT_MS),
		"the packet sent after re-enabling did not arrive on rx");
	why = pair_bad(&p);
	CONF_CHECK(res, why == NULL, "%s", why);
out:
	arena_fini(dev, &p.a);
}

CASE_LAYOUTS(vq_disable_stops, vq_disable_stops, 0)

/* Loopback with no rx buffer: the packet is dropped and counted. */
static void
rx_no_buffer(struct rte_mdev_device *dev, struct conf_result *res,
	unsigned int flags, enum conf_layout layout)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	bool stats = has_mdev_feature(dev, RTE_VIRTIO_MDEV_F_VQ_STATS);
	struct rte_virtio_mdev_vq_stats rx, tx;
	struct pair p = { .a = { .base = NULL } };
	uint64_t end;
	uint8_t s;

	if (!conf_opts.loopback) {
		conf_skip(res, "no loopback wire");
		return;
	}
	if (pair_setup(dev, &p, flags | PAIR_NO_POST, layout, res, __LINE__) != 0)
		goto out;
	ring_post(&p.tx, 0, p.txbuf, NET_HDR_LEN + FRAME_LEN, false);
	if (stats) {
		CONF_CHECK_RC(res, ops->reset_vq_stats(dev, 0), 0);
		CONF_CHECK_RC(res, ops->reset_vq_stats(dev, 1), 0);
	}
	pair_start(dev);
	CONF_CHECK(res, ring_wait(&p.tx, 1, WAIT_MS), "tx held back for 1 s "
		"while rx has no buffer (the header says such packets are "
		"dropped and counted in completion_errors)");
	if (stats) {
		end = now_ms() + WAIT_MS;
		do {
			ops->get_vq_stats(dev, 0, &rx);
			ops->get_vq_stats(dev, 1, &tx);
			if (rx.completion_errors + tx.completion_errors > 0)
				break;
			sleep_ms(1);
		} while (now_ms() <= end);
		CONF_CHECK(res, rx.completion_errors + tx.completion_errors
			== 1, "completion_errors rx %" PRIu64 " tx %" PRIu64
			" after one packet dropped for lack of an rx buffer",
			rx.completion_errors, tx.completion_errors);
		conf_note(res, "the drop is counted on the %s queue",
			rx.completion_errors ? "rx" : "tx");
	}
	s = ops->get_status(dev);
	CONF_CHECK(res, s == S_RUNNING, "status 0x%02x after a drop", s);
	CONF_CHECK(res, pair_bad(&p) == NULL, "%s", pair_bad(&p));
out:
	arena_fini(dev, &p.a);
}

CASE_LAYOUTS(rx_no_buffer, rx_no_buffer, 0)

/* Snapshot of what the device writes: both used rings, the rx slots. */
struct snap {
	uint8_t *copy;
	size_t len;
};

static int
snap_take(const struct pair *p, struct snap *sn)
{
	sn->len = p->a.size;
	sn->copy = malloc(sn->len);
	if (sn->copy == NULL)
		return -ENOMEM;
	memcpy(sn->copy, p->a.base, sn->len);
	return 0;
}

/* Offset of the first byte that changed since the snapshot, or -1. */
static long
snap_diff(const struct pair *p, const struct snap *sn)
{
	size_t i;

	for (i = 0; i < sn->len; i++)
		if (sn->copy[i] != ((volatile uint8_t *)p->a.base)[i])
			return (long)i;
	return -1;
}

enum quiesce_how {
	QUIESCE_RESET,		/* set_status(0) */
	QUIESCE_DISABLE,	/* set_vq_ready(false) on rx and tx */
	QUIESCE_UNMAP,		/* dma_unmap of the memory under the rings */
};

/*
 * Stop a device in the middle of a full ring of packets: once the op
 * returns, the device writes nothing more (the header: "stops the
 * device using ... before it returns"). Repeated to land at different
 * points of the device's work.
 */
static void
quiesce(struct rte_mdev_device *dev, struct conf_result *res,
	enum quiesce_how how, enum conf_layout layout)
{
	static const char * const what[] = {
		[QUIESCE_RESET] = "reset",
		[QUIESCE_DISABLE] = "set_vq_ready(false)",
		[QUIESCE_UNMAP] = "dma_unmap",
	};
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	struct pair p = { .a = { .base = NULL } };
	struct snap sn = { NULL, 0 };
	unsigned int round, moved = 0, midway = 0;
	uint64_t end;
	uint32_t at;
	long off;

	for (round = 0; round < 10; round++) {
		if (pair_setup(dev, &p, PAIR_FULL, layout, res, __LINE__) != 0)
			goto out;
		pair_start(dev);
		/* Odd rounds stop once the device is under way. */
		end = now_ms() + WAIT_MS;
		while ((round & 1) && ring_done(&p.tx) == 0 && now_ms() <= end)
			rte_pause();
		switch (how) {
		case QUIESCE_RESET:
			dev_reset(dev);
			break;
		case QUIESCE_DISABLE:
			CONF_CHECK_RC(res, ops->set_vq_ready(dev, 1, false), 0);
			CONF_CHECK_RC(res, ops->set_vq_ready(dev, 0, false), 0);
			break;
		case QUIESCE_UNMAP:
			CONF_CHECK_RC(res, ops->dma_unmap(dev, 0,
				p.a.maps[0].iova, p.a.maps[0].size), 0);
			p.a.nmaps = 0;
			break;
		}
		CONF_CHECK(res, snap_take(&p, &sn) == 0, "out of memory");
		at = ring_done(&p.tx);
		moved += at != 0;
		midway += at != 0 && at != p.tx.num;
		sleep_ms(20);
		off = snap_diff(&p, &sn);
		CONF_CHECK(res, off < 0, "round %u: the device wrote byte %ld "
			"of the ring memory after %s returned", round, off,
			what[how]);
		free(sn.copy);
		sn.copy = NULL;
		CONF_CHECK(res, pair_bad(&p) == NULL, "round %u: %s", round,
			pair_bad(&p));
		arena_fini(dev, &p.a);
	}
	conf_note(res, "stopped %u of 10 times after the first packet, "
		"%u of them with packets left", moved, midway);
out:
	free(sn.copy);
	arena_fini(dev, &p.a);
}

CASE_LAYOUTS(reset_quiesces, quiesce, QUIESCE_RESET)
CASE_LAYOUTS(vq_disable_quiesces, quiesce, QUIESCE_DISABLE)
CASE_LAYOUTS(dma_unmap_quiesces, quiesce, QUIESCE_UNMAP)

/* kick_vq may be called from any data path thread: from a callback too. */
struct kick_ctx {
	struct rte_mdev_device *dev;
	uint16_t qid;
	uint32_t calls;
};

static void
cb_kick(void *arg)
{
	struct kick_ctx *k = arg;

	k->dev->ops->kick_vq(k->dev, k->qid);
	__atomic_fetch_add(&k->calls, 1, __ATOMIC_RELAXED);
}

static void
vq_cb_kick(struct rte_mdev_device *dev, struct conf_result *res,
	unsigned int flags, enum conf_layout layout)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	struct kick_ctx k[2] = { { dev, 0, 0 }, { dev, 1, 0 } };
	struct rte_virtio_mdev_callback cb0 = { cb_kick, &k[0] };
	struct rte_virtio_mdev_callback cb1 = { cb_kick, &k[1] };
	struct pair p = { .a = { .base = NULL } };
	uint64_t end;

	if (pair_setup(dev, &p, flags | PAIR_FULL, layout, res, __LINE__) != 0)
		goto out;
	ops->set_vq_cb(dev, 0, &cb0);
	ops->set_vq_cb(dev, 1, &cb1);
	pair_start(dev);
	CONF_CHECK(res, ring_wait(&p.tx, p.tx.num, WAIT_MS), "tx used %u of "
		"%u within 1 s while callbacks kick", ring_done(&p.tx),
		p.tx.num);
	end = now_ms() + WAIT_MS;
	while (__atomic_load_n(&k[1].calls, __ATOMIC_RELAXED) == 0 &&
			now_ms() <= end)
		sleep_ms(1);
	CONF_CHECK(res, k[1].calls > 0, "tx callback never fired");
	CONF_CHECK(res, ops->get_status(dev) == S_RUNNING, "status 0x%02x",
		ops->get_status(dev));
	CONF_CHECK(res, pair_bad(&p) == NULL, "%s", pair_bad(&p));
out:
	arena_fini(dev, &p.a);
	ops->set_vq_cb(dev, 0, NULL);
	ops->set_vq_cb(dev, 1, NULL);
}

CASE_LAYOUTS(vq_cb_kick, vq_cb_kick, 0)

enum cb_mode {
	CB_SET,		/* callbacks set: they must fire */
	CB_SUPPRESSED,	/* set, but the driver asks for no interrupt */
	CB_CLEARED,	/* set, then cleared with NULL / fn == NULL */
	CB_RESET,	/* set, then cleared by a reset */
};

static void
callbacks(struct rte_mdev_device *dev, struct conf_result *res,
	enum cb_mode mode, enum conf_layout layout)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	struct rte_virtio_mdev_callback rx = { cb_count, &cb_rx };
	struct rte_virtio_mdev_callback tx = { cb_count, &cb_tx };
	struct rte_virtio_mdev_callback nofn = { NULL, &cb_tx };
	struct pair p = { .a = { .base = NULL } };

	cb_clear(&cb_rx);
	cb_clear(&cb_tx);
	if (mode == CB_RESET) {
		/* pair_setup starts with a reset of this negotiated device. */
		if (negotiate(dev, layout_features(layout), res,
				__LINE__) != 0)
			goto out;
		ops->set_vq_cb(dev, 0, &rx);
		ops->set_vq_cb(dev, 1, &tx);
	}
	if (pair_setup(dev, &p, mode == CB_SUPPRESSED ? PAIR_NO_INTERRUPT : 0,
			layout, res, __LINE__) != 0)
		goto out;
	if (mode == CB_SET || mode == CB_SUPPRESSED || mode == CB_CLEARED) {
		ops->set_vq_cb(dev, 0, &rx);
		ops->set_vq_cb(dev, 1, &tx);
	}
	if (mode == CB_CLEARED) {
		ops->set_vq_cb(dev, 0, NULL);
		ops->set_vq_cb(dev, 1, &nofn);
	}
	pair_start(dev);
	if (!pair_wait(&p, res, __LINE__))
		goto out;
	if (mode == CB_SET) {
		CONF_CHECK(res, wait_calls(&cb_tx, WAIT_MS), "tx callback did "
			"not fire within 1 s of a used tx buffer");
		CONF_CHECK(res, !conf_opts.loopback ||
			wait_calls(&cb_rx, WAIT_MS), "rx callback did not "
			"fire within 1 s of a used rx buffer");
		goto out;
	}
	sleep_ms(QUIET_MS);
	CONF_CHECK(res, cb_calls(&cb_rx) == 0 && cb_calls(&cb_tx) == 0,
		"callbacks fired (rx %u, tx %u) %s", cb_calls(&cb_rx),
		cb_calls(&cb_tx),
		mode == CB_SUPPRESSED ? (layout == CONF_PACKED ?
		"with the driver event flags VRING_PACKED_EVENT_FLAG_DISABLE" :
		"with VRING_AVAIL_F_NO_INTERRUPT set") :
		mode == CB_CLEARED ? "after set_vq_cb(NULL / fn NULL)" :
		"after a reset cleared them");
out:
	arena_fini(dev, &p.a);
	/* Nothing of ours may be called once the case is over. */
	ops->set_vq_cb(dev, 0, NULL);
	ops->set_vq_cb(dev, 1, NULL);
}

CASE_LAYOUTS(vq_cb, callbacks, CB_SET)
CASE_LAYOUTS(vq_cb_no_interrupt, callbacks, CB_SUPPRESSED)
CASE_LAYOUTS(vq_cb_cleared, callbacks, CB_CLEARED)
CASE_LAYOUTS(vq_cb_cleared_by_reset, callbacks, CB_RESET)

/* ---------------------------------------------------------------- */
/* Ring mechanics: wrapping, IN_ORDER, indirect tables, chains, events */
/* ---------------------------------------------------------------- */

/* Wait for "want" tx and (loopback) rx buffers; false and why if not. */
static bool
pair_wait_n(struct pair *p, uint32_t want, struct conf_result *res,
	int line)
{
	if (!ring_wait(&p->tx, want, WAIT_MS)) {
		conf_fail(res, line, "tx: %u of %u buffers returned within "
			"1 s: %s", ring_done(&p->tx), want,
			ring_stuck(&p->tx));
		return false;
	}
	if (conf_opts.loopback && !ring_wait(&p->rx, want, WAIT_MS)) {
		conf_fail(res, line, "rx: %u of %u buffers returned within "
			"1 s: %s", ring_done(&p->rx), want,
			ring_stuck(&p->rx));
		return false;
	}
	if (pair_bad(p) != NULL) {
		conf_fail(res, line, "%s", pair_bad(p));
		return false;
	}
	return true;
}

/* The queues' state after "bufs" buffers each, queues disabled. */
static bool
pair_state(struct rte_mdev_device *dev, struct pair *p, uint32_t tx_bufs,
	uint32_t rx_bufs, struct conf_result *res, int line)
{
	const char *why;

	if (dev->ops->set_vq_ready(dev, 0, false) != 0 ||
			dev->ops->set_vq_ready(dev, 1, false) != 0) {
		conf_fail(res, line, "set_vq_ready(false) refused");
		return false;
	}
	why = ring_state_check(dev, 1, &p->tx, tx_bufs, true);
	if (why == NULL && conf_opts.loopback)
		why = ring_state_check(dev, 0, &p->rx, rx_bufs, true);
	if (why != NULL) {
		conf_fail(res, line, "%s", why);
		return false;
	}
	return true;
}

/*
 * More packets than the ring has entries, in batches, through a small
 * ring (8 split, 13 packed: no power of two): the indexes wrap, and in a
 * packed ring the wrap counters flip, several times. Every used entry
 * must come with the right flags at the right place.
 */
static void
ring_wrap(struct rte_mdev_device *dev, struct conf_result *res,
	unsigned int flags, enum conf_layout layout)
{
	const unsigned int batch = 5;
	struct pair p = { .a = { .base = NULL } };
	unsigned int total, k, i;

	if (pair_setup(dev, &p, flags | PAIR_SMALL | PAIR_NO_POST, layout,
			res, __LINE__) != 0)
		goto out;
	total = 4 * p.tx.num + 3;
	dev->ops->set_status(dev, S_RUNNING);
	for (k = 0; k < total; k += batch) {
		for (i = k; i < k + batch && i < total; i++) {
			uint16_t id = i % p.tx.num;

			ring_post(&p.rx, id, p.bulk + id * BULK_BUF_LEN,
				BULK_BUF_LEN, true);
			ring_post(&p.tx, id, p.txbuf,
				NET_HDR_LEN + FRAME_LEN, false);
		}
		dev->ops->kick_vq(dev, 0);
		dev->ops->kick_vq(dev, 1);
		if (!pair_wait_n(&p, i, res, __LINE__))
			goto out;
	}
	if (layout == CONF_PACKED)
		CONF_CHECK(res, p.tx.wraps >= 4 && (!conf_opts.loopback ||
			p.rx.wraps >= 4), "used wrap counters flipped %u (tx) "
			"and %u (rx) times over %u packets on a %u-entry ring",
			p.tx.wraps, p.rx.wraps, total, p.tx.num);
	for (i = 0; conf_opts.loopback && i < p.rx.num; i++)
		CONF_CHECK(res, memcmp(p.bulk + i * BULK_BUF_LEN + NET_HDR_LEN,
			p.txbuf + NET_HDR_LEN, FRAME_LEN) == 0,
			"rx buffer %u does not hold the frame", i);
	if (!pair_state(dev, &p, total, total, res, __LINE__))
		goto out;
	conf_note(res, "%u packets through %u-entry rings", total, p.tx.num);
out:
	arena_fini(dev, &p.a);
}

CASE_LAYOUTS(ring_wrap, ring_wrap, 0)

/* The feature a case needs, or SKIP. */
static bool
need_feature(struct rte_mdev_device *dev, struct conf_result *res,
	unsigned int bit, const char *name)
{
	if (offered(dev) & FEAT(bit))
		return true;
	conf_skip(res, "%s not offered", name);
	return false;
}

/*
 * VIRTIO_F_IN_ORDER: every descriptor of both rings posted; the device
 * returns buffers in the order they were made available (a used entry
 * may stand for a batch: it then names the batch's last buffer).
 */
static void
in_order(struct rte_mdev_device *dev, struct conf_result *res,
	unsigned int flags, enum conf_layout layout)
{
	struct pair p = { .a = { .base = NULL } };

	if (!need_feature(dev, res, VIRTIO_F_IN_ORDER, "VIRTIO_F_IN_ORDER"))
		return;
	if (pair_setup(dev, &p, flags | PAIR_FULL | PAIR_IN_ORDER, layout,
			res, __LINE__) != 0)
		goto out;
	pair_start(dev);
	if (!pair_wait_n(&p, p.tx.num, res, __LINE__))
		goto out;
	if (!pair_state(dev, &p, p.tx.num, p.rx.num, res, __LINE__))
		goto out;
out:
	arena_fini(dev, &p.a);
}

CASE_LAYOUTS(in_order, in_order, 0)

/*
 * VIRTIO_RING_F_INDIRECT_DESC: a tx packet in a two-entry indirect
 * table (header, frame) and an rx buffer in another (header, payload),
 * then a direct packet: an indirect buffer takes one ring entry.
 */
static void
indirect(struct rte_mdev_device *dev, struct conf_result *res,
	unsigned int flags, enum conf_layout layout)
{
	struct pair p = { .a = { .base = NULL } };
	const char *why;
	struct conf_seg tx[2], rx[2];

	if (!need_feature(dev, res, VIRTIO_RING_F_INDIRECT_DESC,
			"VIRTIO_RING_F_INDIRECT_DESC"))
		return;
	if (pair_setup(dev, &p, flags | PAIR_INDIRECT | PAIR_NO_POST, layout,
			res, __LINE__) != 0)
		goto out;
	tx[0] = (struct conf_seg){ p.txbuf, NET_HDR_LEN, false };
	tx[1] = (struct conf_seg){ p.txbuf + NET_HDR_LEN, FRAME_LEN, false };
	rx[0] = (struct conf_seg){ p.rxbuf, NET_HDR_LEN, true };
	rx[1] = (struct conf_seg){ p.rxbuf + NET_HDR_LEN,
		RXBUF_LEN - NET_HDR_LEN, true };
	ring_post_indirect(&p.rx, 0, p.spare, rx, 2);
	ring_post_indirect(&p.tx, 0, p.spare + 256, tx, 2);
	pair_start(dev);
	if (!pair_wait_n(&p, 1, res, __LINE__))
		goto out;
	CONF_CHECK(res, p.tx.first.id == 0, "tx used id %u, posted 0",
		p.tx.first.id);
	if (conf_opts.loopback) {
		why = check_rx(&p);
		CONF_CHECK(res, why == NULL, "indirect rx buffer: %s", why);
	}
	/* A direct buffer after the indirect ones: the next ring entry. */
	ring_post(&p.rx, 1, p.bulk, BULK_BUF_LEN, true);
	ring_post(&p.tx, 1, p.txbuf, NET_HDR_LEN + FRAME_LEN, false);
	dev->ops->kick_vq(dev, 0);
	dev->ops->kick_vq(dev, 1);
	if (!pair_wait_n(&p, 2, res, __LINE__))
		goto out;
	if (!pair_state(dev, &p, 2, 2, res, __LINE__))
		goto out;
out:
	arena_fini(dev, &p.a);
}

CASE_LAYOUTS(indirect, indirect, 0)

/*
 * Multi-descriptor chains: tx packets of three descriptors and rx
 * buffers of two, one after the other on a small ring, so that chains
 * run across the ring's end (and, packed, across a wrap counter flip).
 */
static void
chains(struct rte_mdev_device *dev, struct conf_result *res,
	unsigned int flags, enum conf_layout layout)
{
	struct pair p = { .a = { .base = NULL } };
	const unsigned int npkt = 6;
	struct conf_seg tx[3], rx[2];
	struct conf_used e;
	unsigned int k;
	uint16_t nbuf;

	if (pair_setup(dev, &p, flags | PAIR_SMALL | PAIR_NO_POST, layout,
			res, __LINE__) != 0)
		goto out;
	tx[0] = (struct conf_seg){ p.txbuf, NET_HDR_LEN, false };
	tx[1] = (struct conf_seg){ p.txbuf + NET_HDR_LEN, 20, false };
	tx[2] = (struct conf_seg){ p.txbuf + NET_HDR_LEN + 20,
		FRAME_LEN - 20, false };
	rx[0] = (struct conf_seg){ p.rxbuf, NET_HDR_LEN, true };
	rx[1] = (struct conf_seg){ p.rxbuf + NET_HDR_LEN,
		RXBUF_LEN - NET_HDR_LEN, true };
	dev->ops->set_status(dev, S_RUNNING);
	for (k = 0; k < npkt; k++) {
		uint16_t rx_id = (2 * k) % p.rx.num;
		uint16_t tx_id = (3 * k) % p.tx.num;

		memset(p.rxbuf, 0xa5, RXBUF_LEN);
		ring_post_chain(&p.rx, rx_id, rx, 2);
		ring_post_chain(&p.tx, tx_id, tx, 3);
		dev->ops->kick_vq(dev, 0);
		dev->ops->kick_vq(dev, 1);
		CONF_CHECK(res, ring_wait(&p.tx, k + 1, WAIT_MS), "tx chain "
			"%u (id %u) not returned within 1 s: %s", k, tx_id,
			ring_stuck(&p.tx));
		if (!conf_opts.loopback)
			continue;
		/* The rx entry of this packet: poll it ourselves. */
		{
			uint64_t end = now_ms() + WAIT_MS;

			while (ring_poll(&p.rx, &e) == 0 && now_ms() <= end)
				sleep_ms(1);
		}
		CONF_CHECK(res, p.rx.completed == k + 1, "rx chain %u (id %u) "
			"not returned within 1 s: %s", k, rx_id,
			ring_stuck(&p.rx));
		CONF_CHECK(res, e.id == rx_id && e.len == NET_HDR_LEN +
			FRAME_LEN, "rx used id %u len %u, expected id %u len "
			"%zu", e.id, e.len, rx_id, NET_HDR_LEN + FRAME_LEN);
		CONF_CHECK(res, memcmp(p.rxbuf + NET_HDR_LEN, p.txbuf +
			NET_HDR_LEN, FRAME_LEN) == 0, "rx chain %u: the frame "
			"bytes differ from the three-descriptor tx chain", k);
		memcpy(&nbuf, p.rxbuf + offsetof(struct virtio_net_hdr_v1,
			num_buffers), sizeof(nbuf));
		CONF_CHECK(res, rte_le_to_cpu_16(nbuf) == 1, "rx chain %u: "
			"num_buffers %u", k, rte_le_to_cpu_16(nbuf));
	}
	CONF_CHECK(res, pair_bad(&p) == NULL, "%s", pair_bad(&p));
	if (!pair_state(dev, &p, npkt, npkt, res, __LINE__))
		goto out;
out:
	arena_fini(dev, &p.a);
}

CASE_LAYOUTS(chains, chains, 0)

/*
 * VIRTIO_RING_F_EVENT_IDX: the driver asks for an interrupt only once
 * the second tx buffer is used (used_event 1; packed: off_wrap at
 * entry 1). The first packet brings no callback, the second one does.
 */
static void
vq_cb_event_idx(struct rte_mdev_device *dev, struct conf_result *res,
	unsigned int flags, enum conf_layout layout)
{
	const struct rte_virtio_mdev_ops *ops = dev->ops;
	struct rte_virtio_mdev_callback tx = { cb_count, &cb_tx };
	struct pair p = { .a = { .base = NULL } };

	if (!need_feature(dev, res, VIRTIO_RING_F_EVENT_IDX,
			"VIRTIO_RING_F_EVENT_IDX"))
		return;
	cb_clear(&cb_tx);
	if (pair_setup(dev, &p, flags | PAIR_EVENT_IDX | PAIR_NO_POST, layout,
			res, __LINE__) != 0)
		goto out;
	ring_event_at(&p.tx, 1);
	ops->set_vq_cb(dev, 1, &tx);
	ring_post(&p.rx, 0, p.bulk, BULK_BUF_LEN, true);
	ring_post(&p.tx, 0, p.txbuf, NET_HDR_LEN + FRAME_LEN, false);
	pair_start(dev);
	if (!pair_wait_n(&p, 1, res, __LINE__))
		goto out;
	sleep_ms(QUIET_MS);
	CONF_CHECK(res, cb_calls(&cb_tx) == 0, "tx callback fired %u times "
		"for buffer 0 though the driver asked for an event at buffer 1",
		cb_calls(&cb_tx));
	ring_post(&p.rx, 1, p.bulk + BULK_BUF_LEN, BULK_BUF_LEN, true);
	ring_post(&p.tx, 1, p.txbuf, NET_HDR_LEN + FRAME_LEN, false);
	ops->kick_vq(dev, 0);
	ops->kick_vq(dev, 1);
	if (!pair_wait_n(&p, 2, res, __LINE__))
		goto out;
	CONF_CHECK(res, wait_calls(&cb_tx, WAIT_MS), "no tx callback within "
		"1 s of buffer 1, the event the driver asked for");
out:
	arena_fini(dev, &p.a);
	ops->set_vq_cb(dev, 1, NULL);
}

CASE_LAYOUTS(vq_cb_event_idx, vq_cb_event_idx, 0)

const struct conf_case conf_datapath_cases[] = {
	CASE2(data_path),
	CASE2(data_path_two_mappings),
	CASE2(data_path_iova_offset),
	CASE2(vq_disable_stops),
	CASE2(reset_quiesces),
	CASE2(vq_disable_quiesces),
	CASE2(dma_unmap_quiesces),
	CASE2(vq_cb_kick),
	CASE2(rx_no_buffer),
	CASE2(vq_cb),
	CASE2(vq_cb_no_interrupt),
	CASE2(vq_cb_cleared),
	CASE2(vq_cb_cleared_by_reset),
	CASE2(vq_cb_event_idx),
	CASE2(ring_wrap),
	CASE2(in_order),
	CASE2(indirect),
	CASE2(chains),
};

const unsigned int conf_datapath_cases_count = RTE_DIM(conf_datapath_cases);
