/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

#ifndef CONF_COMMON_H
#define CONF_COMMON_H

/*
 * What the device case files (conf_*.c) share: constants, negotiation,
 * the memory given to the device (an arena mapped with dma_map),
 * callback counters and bounded waits. Ring helpers are in conf_ring.h.
 *
 * Setup helpers report through conf_fail() and return a status; the case
 * tests it and jumps to its own cleanup label in plain sight:
 *
 *	if (negotiate(dev, f, res, __LINE__) != 0)
 *		goto out;
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_net.h>
#include <linux/virtio_ring.h>

#include <rte_common.h>

#include "conformance.h"

#define FEAT(bit) (UINT64_C(1) << (bit))
#define MDEV_FEAT(bit) RTE_VIRTIO_MDEV_FEATURE(bit)

#define S_ACK VIRTIO_CONFIG_S_ACKNOWLEDGE
#define S_DRIVER VIRTIO_CONFIG_S_DRIVER
#define S_FEATURES_OK VIRTIO_CONFIG_S_FEATURES_OK
#define S_DRIVER_OK VIRTIO_CONFIG_S_DRIVER_OK
#define S_NEGOTIATED (S_ACK | S_DRIVER | S_FEATURES_OK)
#define S_RUNNING (S_NEGOTIATED | S_DRIVER_OK)

#define PAGE_SZ 4096u
/* How long a device may take to serve a ring (bounded waits). */
#define WAIT_MS 1000u
/* How long we watch for a callback that must not come. */
#define QUIET_MS 200u
/* With VERSION_1 the net header always has num_buffers (12 bytes). */
#define NET_HDR_LEN sizeof(struct virtio_net_hdr_v1)
#define FRAME_LEN 60u
#define RXBUF_LEN 2048u
/* IOVAs far from anything this process maps, for the dma_map cases. */
#define DMA_TEST_IOVA UINT64_C(0x100000000000)
/* A small IOVA base, so that a dirty log bitmap of it stays small. */
#define LOW_IOVA UINT64_C(0x40000000)

/* Device properties. */
uint64_t offered(struct rte_mdev_device *dev);
bool has_mdev_feature(struct rte_mdev_device *dev, unsigned int bit);
void dev_reset(struct rte_mdev_device *dev);
unsigned int max_pairs(struct rte_mdev_device *dev);
unsigned int num_queues(struct rte_mdev_device *dev);
unsigned int test_num(struct rte_mdev_device *dev);
uint32_t ring_align(struct rte_mdev_device *dev);

/* Time. */
uint64_t now_ms(void);
void sleep_ms(unsigned int ms);
bool wait_status(struct rte_mdev_device *dev, uint8_t bit, unsigned int ms);

/*
 * ACKNOWLEDGE, DRIVER, set_features, FEATURES_OK, read back from a reset
 * device. 0, or -1 with the failure recorded at "line".
 */
int negotiate(struct rte_mdev_device *dev, uint64_t features,
	struct conf_result *res, int line);

/* Memory the device is given: an arena, mapped with dma_map. */
#define ARENA_MAX_MAPS 4

struct arena {
	uint8_t *base;
	size_t size;
	size_t used;
	/* IOVA of base: the address the device is told. */
	uint64_t iova_base;
	unsigned int nmaps;
	struct {
		uint64_t iova;
		uint64_t size;
	} maps[ARENA_MAX_MAPS];
};

int arena_init(struct arena *a, size_t size);
void *arena_take(struct arena *a, size_t len, size_t align);
uint64_t arena_iova(const struct arena *a, const void *p);
int arena_map_range(struct rte_mdev_device *dev, struct arena *a,
	size_t off, size_t len);
int arena_map(struct rte_mdev_device *dev, struct arena *a);
/* Resets the device first: it must not touch memory once it is freed. */
void arena_fini(struct rte_mdev_device *dev, struct arena *a);
size_t arena_size_for(struct rte_mdev_device *dev, unsigned int nrings,
	unsigned int num, size_t extra);

/* A split ring in the arena, laid out with the uapi vring helpers. */
int vring_take(struct rte_mdev_device *dev, struct arena *a,
	struct vring *vr, unsigned int num);
/* set_vq_num and set_vq_address for a split ring of the arena. */
int vq_program(struct rte_mdev_device *dev, uint16_t qid,
	const struct arena *a, const struct vring *vr);
/*
 * One split ring of 64 descriptors in a mapped arena of its own; with
 * ready, programmed as queue 0 and enabled. 0, or -1 with the failure
 * recorded.
 */
int ring64_setup(struct rte_mdev_device *dev, struct arena *a,
	struct vring *vr, bool ready, struct conf_result *res, int line);

/* Callbacks: counters the device's callbacks bump. */
struct cb_counter {
	uint32_t calls;
};

extern struct cb_counter cb_rx, cb_tx, cb_cfg;

void cb_count(void *arg);
uint32_t cb_calls(struct cb_counter *c);
void cb_clear(struct cb_counter *c);
bool wait_calls(struct cb_counter *c, unsigned int ms);

/* Queue counters (VQ_STATS). */
const char *stats_fmt(const struct rte_virtio_mdev_vq_stats *s);
const char *stats_check(const struct rte_virtio_mdev_vq_stats *s,
	uint64_t recv, uint64_t done);
bool wait_stats(struct rte_mdev_device *dev, uint16_t qid, uint64_t recv,
	uint64_t done, struct rte_virtio_mdev_vq_stats *s);

/*
 * The per-section case tables, listed in running order in
 * conformance_cases.c (conf_device_tables).
 */
#define CASE(n) { #n, case_ ## n }

#define CONF_TABLE(sec) \
	extern const struct conf_case conf_ ## sec ## _cases[]; \
	extern const unsigned int conf_ ## sec ## _cases_count

CONF_TABLE(status);
CONF_TABLE(queue);
CONF_TABLE(config);
CONF_TABLE(dma);
CONF_TABLE(hostile);
CONF_TABLE(datapath);
CONF_TABLE(features);

#endif /* CONF_COMMON_H */
