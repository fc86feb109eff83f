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
};

const unsigned int conf_datapath_cases_count = RTE_DIM(conf_datapath_cases);
