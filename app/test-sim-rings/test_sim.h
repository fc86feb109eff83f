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
#include <stddef.h>
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

/* A case that runs a shared body with fixed arguments, in one line. */
#define T_CASE_OF(name, body, ...) \
static int \
name(struct ctx *c) \
{ \
	return body(c, __VA_ARGS__); \
}

/* Driver side (test_sim_driver.c). */
void *g_va(uint64_t iova, uint32_t len);
int g_map(struct ctx *c);
uint64_t g_alloc(struct ctx *c, uint32_t len);
uint64_t zbuf(struct ctx *c, uint32_t len);
void count_cb(void *arg);
void ctx_reset(struct ctx *c);
int dev_driver_ok(struct ctx *c, uint8_t s);
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

/* Steps and checks the case files share (test_sim_driver.c). */
#define T_PIECES_LEN 1000	/* the packet of tx_pieces() */
void tx_pieces(struct ctx *c, const uint8_t *in, uint64_t a[3]);
int check_clean(struct ctx *c, uint16_t qid);
int check_one(struct ctx *c, int nb, const uint8_t *in, const uint8_t *out,
		uint32_t len);
int check_stats(struct ctx *c, const struct rte_virtio_mdev_vq_stats *exp);
int break_ring(struct ctx *c, void (*build)(struct ctx *c),
		void (*poll)(struct ctx *c), const char *why);
void expect_break(struct rte_virtio_mdev_vq_stats *exp, uint16_t qid,
		size_t counter, bool rx);

/* A ring layout (split or packed), for the cases both share. */
struct t_ring {
	/* Reset and bring the device up with these rings. */
	int (*setup)(struct ctx *c, uint64_t features);
	uint64_t (*post_rx)(struct ctx *c, uint16_t qid, int count,
		uint32_t size);
	/* One packet through pair 0, back byte-exact; its rx buffers. */
	int (*loop)(struct ctx *c, uint32_t len, int nsegs);
};
extern const struct t_ring split_ring;
int ring_sizes(struct ctx *c, const struct t_ring *r, bool mrg);

/* Cases. */
struct test_case {
	const char *name;
	int (*fn)(struct ctx *c);
};
/* The case table of one file: <group>_cases[], nb_<group>_cases. */
#define T_CASES(group) \
	extern const struct test_case group ## _cases[]; \
	extern const unsigned int nb_ ## group ## _cases
T_CASES(good);
T_CASES(hostile);
T_CASES(ops);
T_CASES(packed);
T_CASES(life);
T_CASES(log);
T_CASES(wire);
T_CASES(filter);
T_CASES(offload);
T_CASES(fuzz);
extern bool have_service_lcore;

#endif /* TEST_SIM_H */
