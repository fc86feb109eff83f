/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

#ifndef TEST_SIM_H
#define TEST_SIM_H

/*
 * A minimal split-ring driver for testing the sim device without any
 * consumer: guest memory is plain malloc() (AddressSanitizer watches it),
 * rings are laid out by hand, the test runs the engine pass itself.
 */

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/virtio_net.h>
#include <linux/virtio_ring.h>

#include "rte_bus_mdev.h"
#include "rte_virtio_mdev.h"

/* Guest memory: three regions adjacent in IOVA space, apart in VA space. */
#define G_NB_REGIONS	3
#define G_REGION_SIZE	(1u << 20)
#define G_IOVA_BASE	UINT64_C(0x10000000)
#define G_RING_IOVA	G_IOVA_BASE			/* region 0: rings */
#define G_BUF_IOVA	(G_IOVA_BASE + G_REGION_SIZE)	/* 1 and 2: buffers */
#define G_END_IOVA	(G_IOVA_BASE + G_NB_REGIONS * G_REGION_SIZE)
/* An IOVA no region maps. */
#define G_UNMAPPED	UINT64_C(0x50000000)

#define T_QSZ		16
#define T_NB_Q		5	/* rx0 tx0 rx1 tx1 ctrl (queues=2, MQ) */
#define T_CTRL_QID	4
#define T_HDR_LEN	sizeof(struct virtio_net_hdr_mrg_rxbuf)
#define T_MAX_PKT	9000

struct tq {
	uint16_t qid;
	uint16_t num;
	uint64_t desc_iova, avail_iova, used_iova;
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	uint16_t next_desc;	/* next unused descriptor (never reused) */
	uint16_t avail_idx;
	uint16_t used_seen;
};

struct ctx {
	struct rte_mdev_device *dev;
	const struct rte_virtio_mdev_ops *ops;
	struct tq q[T_NB_Q];
	uint64_t bump;		/* next free buffer IOVA */
	int config_cbs;
	int vq_cbs[T_NB_Q];
	bool engine;		/* the device has its own engine: wait for it */
	char why[256];		/* failure reason of the running case */
};

extern uint8_t *g_mem[G_NB_REGIONS];

#define T_FEAT(bit) (UINT64_C(1) << (bit))
#define T_BASE_FEATURES (T_FEAT(VIRTIO_F_VERSION_1) | \
	T_FEAT(VIRTIO_RING_F_INDIRECT_DESC) | T_FEAT(VIRTIO_NET_F_MAC) | \
	T_FEAT(VIRTIO_NET_F_STATUS) | T_FEAT(VIRTIO_NET_F_MTU) | \
	T_FEAT(VIRTIO_NET_F_CTRL_VQ) | T_FEAT(VIRTIO_NET_F_CTRL_RX) | \
	T_FEAT(VIRTIO_NET_F_CTRL_MAC_ADDR) | T_FEAT(VIRTIO_NET_F_MQ))

/* Fail the running case with a reason. */
#define CHECK(c, cond, ...) do { \
	if (!(cond)) { \
		snprintf((c)->why, sizeof((c)->why), __VA_ARGS__); \
		return -1; \
	} \
} while (0)

/* Driver side (test_sim_driver.c). */
void *g_va(uint64_t iova, uint32_t len);
int g_map(struct ctx *c);
uint64_t g_alloc(struct ctx *c, uint32_t len);
int dev_setup(struct ctx *c, uint64_t features);
void dev_poll(struct ctx *c);
uint16_t tq_desc(struct tq *q, uint64_t addr, uint32_t len, uint16_t flags,
		uint16_t next);
void tq_push(struct tq *q, uint16_t head);
uint16_t tq_used_idx(const struct tq *q);
uint64_t post_rx(struct ctx *c, uint16_t qid, int count, uint32_t size);
void make_payload(uint8_t *p, uint32_t len, uint32_t seed);
int send_pkt(struct ctx *c, uint16_t qid, const uint8_t *p, uint32_t len,
		int nsegs);
int recv_pkt(struct ctx *c, uint16_t qid, uint8_t *out, uint32_t *len);
int loop_check(struct ctx *c, uint16_t pair, uint32_t len, int nsegs);
int ctrl_cmd(struct ctx *c, uint8_t cls, uint8_t cmd, const void *data,
		uint32_t len, uint8_t *ack);
int get_stats(struct ctx *c, uint16_t qid,
		struct rte_virtio_mdev_vq_stats *s);

/* Cases. */
struct test_case {
	const char *name;
	int (*fn)(struct ctx *c);
};
extern const struct test_case good_cases[];
extern const unsigned int nb_good_cases;
extern const struct test_case hostile_cases[];
extern const unsigned int nb_hostile_cases;
extern const struct test_case ops_cases[];
extern const unsigned int nb_ops_cases;
extern const struct test_case packed_cases[];
extern const unsigned int nb_packed_cases;
extern const struct test_case life_cases[];
extern const unsigned int nb_life_cases;
extern const struct test_case log_cases[];
extern const unsigned int nb_log_cases;
extern const struct test_case wire_cases[];
extern const unsigned int nb_wire_cases;
extern const struct test_case filter_cases[];
extern const unsigned int nb_filter_cases;
extern const struct test_case offload_cases[];
extern const unsigned int nb_offload_cases;
extern bool have_service_lcore;

#endif /* TEST_SIM_H */
