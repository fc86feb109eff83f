/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * fuzz_sim_split / fuzz_sim_packed (this file built with -DFUZZ_PACKED):
 * the sim device against a hostile driver. The input is the driver's
 * memory: features, ring sizes and positions, descriptors (addresses
 * mostly inside the mapped buffers, sometimes across two regions, in
 * read-only memory, in the rings or nowhere), indirect tables and the
 * packet bytes. One device (mdev_simF, manual engine) serves every input:
 * reset, set up, two polling passes of the real engine (tx, loopback rx,
 * control queue), a kick of the control queue in between.
 *
 * With a dirty log, every page the device changed during the passes must
 * be marked in it (if the bitmap covers it); the bitmap ends at a guard
 * page too.
 *
 * Every region mapped with dma_map has an inaccessible page on each side
 * in the device's view, and the areas the device must only read are
 * mapped read-only there (the harness writes them through a second,
 * writable view of the same memfd pages): any access of the device
 * outside its mappings, or any write where it may only read, faults.
 *
 * Input layout (missing bytes read as zero; see fuzz_common.h):
 *   u16 feature choice, u8 queues present, u8 avail bump before pass 2,
 *   u8 dirty log (bit 7 clear: off, else a bitmap of 16 x (n % 128 + 1)
 *   bytes), u8 address
 *   spaces (bit 0: data rings, bit 1: data buffers, bit 2: control queue
 *   in address space 1, where only the rings and B are mapped),
 *   u8 unmap (bit 7: region n % regions is unmapped before pass 2)
 *   per queue, in the order tx0 rx0 q2 q3 q4 (q2 is the control queue
 *   without MQ, q4 with MQ):
 *     split:  u8 size (1 << (n & 15) % 9; n >> 4: ring_perturb() mode),
 *             u16 avail index the device starts at,
 *             u8 entries made available, u16 avail flags, u16 used_event,
 *             size x u16 avail ring, size x desc
 *     packed: u8 size (n + 1), u8 avail position, u8 used position,
 *             u8 wrap counters (bits 0, 1; bits 4-7: ring_perturb() mode), u16 driver event flags, u16 off_wrap,
 *             size x desc
 *   u8 count, count x desc: a table at the very end of the read-only page
 *   the rest: the first bytes of the buffer region (headers, packets,
 *   control commands)
 * desc, 8 bytes: u8 sel (address mode << 5, 0x10 long, 0x08 huge),
 *   u16 off, u16 len, u8 flags, u16 next (split) or id (packed)
 */

#define _GNU_SOURCE	/* memfd_create */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/virtio_config.h>
#include <linux/virtio_net.h>
#include <linux/virtio_ring.h>

#include <rte_bus_vdev.h>
#include <rte_byteorder.h>
#include <rte_common.h>

#include "rte_bus_mdev.h"
#include "rte_virtio_mdev.h"
#include "sim_engine.h"

#include "fuzz_common.h"

#define PG		4096u
#define NQ		5
/* Ring areas: one page each (desc, driver, device area of every queue). */
#define NRING		(NQ * 3)
#define RING_IOVA(r)	(UINT64_C(0x100000) + (uint64_t)(r) * 0x10000)
#define B_IOVA		UINT64_C(0x1000000)
#define B_SIZE		(16 * PG)
#define C_IOVA		(B_IOVA + B_SIZE)	/* adjacent in IOVA space */
#define C_SIZE		PG
#define D_IOVA		UINT64_C(0x2000000)	/* read-only */
#define D_SIZE		PG
#define NREG		(NRING + 3)
#define REG_B		NRING
#define REG_C		(NRING + 1)
#define REG_D		(NRING + 2)
#define MAX_NUM		256
#define DEV_NAME	"mdev_simF"
#define SIM_AVAIL	(1u << VRING_PACKED_DESC_F_AVAIL)
#define SIM_USED	(1u << VRING_PACKED_DESC_F_USED)

struct region {
	uint64_t iova;
	uint32_t size;
	bool ro;		/* device view read-only, dma_map READ */
	uint8_t *hv;		/* harness view (writable) */
	uint8_t *dv;		/* device view, guard pages around */
};

static struct region reg[NREG];
/* The dirty log: a page with a guard page after it; bitmaps end there. */
static uint8_t *log_page;
/* The writable regions before the passes, to find what the device wrote. */
static uint8_t *before[NREG];
static struct rte_mdev_device *dev;
static const struct rte_virtio_mdev_ops *ops;
static uint64_t offered;
static int cb_count;
static bool verbose;

static void
count_cb(void *arg)
{
	(*(int *)arg)++;
}

static void
die(const char *what)
{
	perror(what);
	exit(1);
}

/*
 * One memfd holds every region; the harness sees it whole and writable,
 * the device sees each region alone, guarded, read-only where it only
 * reads.
 */
static void
mem_init(void)
{
	size_t total = 0, npages = 1;
	uint8_t *hv, *dv;
	int fd, i, prot;
	size_t off = 0;

	for (i = 0; i < NRING; i++) {
		reg[i].iova = RING_IOVA(i);
		reg[i].size = PG;
#ifdef FUZZ_PACKED
		/* The driver event area is all the device only reads. */
		reg[i].ro = i % 3 == 1;
#else
		/* Descriptor table and avail ring. */
		reg[i].ro = i % 3 != 2;
#endif
	}
	reg[REG_B] = (struct region){ .iova = B_IOVA, .size = B_SIZE };
	reg[REG_C] = (struct region){ .iova = C_IOVA, .size = C_SIZE };
	reg[REG_D] = (struct region){ .iova = D_IOVA, .size = D_SIZE,
		.ro = true };
	for (i = 0; i < NREG; i++) {
		total += reg[i].size;
		npages += reg[i].size / PG + 1;
	}
	fd = memfd_create("fuzz-guest", 0);
	if (fd < 0 || ftruncate(fd, total) != 0)
		die("memfd");
	hv = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	dv = mmap(NULL, npages * PG, PROT_NONE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (hv == MAP_FAILED || dv == MAP_FAILED)
		die("mmap");
	dv += PG;
	log_page = mmap(NULL, 2 * PG, PROT_NONE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (log_page == MAP_FAILED ||
			mprotect(log_page, PG, PROT_READ | PROT_WRITE) != 0)
		die("log page");
	for (i = 0; i < NREG; i++) {
		if (!reg[i].ro && (before[i] = malloc(reg[i].size)) == NULL)
			die("malloc");
		prot = reg[i].ro ? PROT_READ : PROT_READ | PROT_WRITE;
		reg[i].hv = hv + off;
		reg[i].dv = mmap(dv, reg[i].size, prot, MAP_SHARED | MAP_FIXED,
			fd, off);
		if (reg[i].dv != dv)
			die("mmap fixed");
		off += reg[i].size;
		dv += reg[i].size + PG;
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc __rte_unused, char ***argv)
{
	int i;

	fuzz_eal_init((*argv)[0]);
	mem_init();
	sim_engine_set_manual(true);
	if (rte_vdev_init(DEV_NAME, "class=vdpa,queues=2,queue_size=256,packed_vq=1") != 0 ||
			(dev = rte_mdev_find(DEV_NAME)) == NULL) {
		fprintf(stderr, "fuzz: cannot create %s\n", DEV_NAME);
		exit(1);
	}
	ops = dev->ops;
	verbose = getenv("FUZZ_VERBOSE") != NULL;
	offered = ops->get_features(dev);
	for (i = 0; i < NREG; i++)
		if (ops->dma_map(dev, 0, reg[i].iova, reg[i].size, reg[i].dv,
				reg[i].ro ? RTE_VIRTIO_MDEV_DMA_READ :
				RTE_VIRTIO_MDEV_DMA_RW) != 0 ||
				((i < NRING || i == REG_B) &&
				ops->dma_map(dev, 1, reg[i].iova, reg[i].size,
				reg[i].dv, reg[i].ro ? RTE_VIRTIO_MDEV_DMA_READ :
				RTE_VIRTIO_MDEV_DMA_RW) != 0)) {
			fprintf(stderr, "fuzz: dma_map of region %d failed\n", i);
			exit(1);
		}
	return 0;
}

#define F(bit) (UINT64_C(1) << (bit))

static const uint64_t feature_bits[16] = {
	F(VIRTIO_F_IN_ORDER), F(VIRTIO_NET_F_MRG_RXBUF),
	F(VIRTIO_RING_F_EVENT_IDX), F(VIRTIO_RING_F_INDIRECT_DESC),
	F(VIRTIO_NET_F_CSUM), F(VIRTIO_NET_F_HOST_TSO4),
	F(VIRTIO_NET_F_HOST_TSO6), F(VIRTIO_NET_F_CTRL_VQ),
	F(VIRTIO_NET_F_MQ), F(VIRTIO_NET_F_GUEST_CSUM),
	F(VIRTIO_NET_F_GUEST_TSO4), F(VIRTIO_NET_F_GUEST_TSO6),
	F(VIRTIO_NET_F_CTRL_RX), F(VIRTIO_NET_F_CTRL_VLAN),
	F(VIRTIO_NET_F_CTRL_MAC_ADDR),
	F(VIRTIO_NET_F_MAC) | F(VIRTIO_NET_F_MTU) | F(VIRTIO_NET_F_STATUS),
};

/* A decoded descriptor. */
struct fdesc {
	uint64_t addr;
	uint32_t len;
	uint8_t flags;
	uint16_t aux;		/* next (split) or id (packed) */
};

/* Addresses a hostile driver likes. */
static uint64_t
hostile_addr(uint16_t off, uint32_t len)
{
	switch (off & 7) {
	case 0:
		return off >> 3;			/* page 0 */
	case 1:
		return B_IOVA - 1 - (off >> 3);		/* just below B */
	case 2:
		return C_IOVA + C_SIZE - (off >> 3);	/* C's end and beyond */
	case 3:
		return RING_IOVA((off >> 3) % NRING) + (off >> 8); /* rings */
	case 4:
		return UINT64_MAX - (off >> 3);		/* wraps */
	case 5:
		return D_IOVA + D_SIZE - (off >> 3);	/* D's end */
	case 6:
		return (uint64_t)off << 32 | len;	/* anywhere */
	default:
		return B_IOVA + B_SIZE + C_SIZE + (off >> 3); /* after C */
	}
}

static void
dec_desc(struct fz *f, struct fdesc *d)
{
	uint8_t sel = fz_u8(f);
	uint16_t off = fz_u16(f);
	uint32_t len = fz_u16(f), tlen;

	d->flags = fz_u8(f);
	d->aux = fz_u16(f);
	if (sel & 0x10)
		len <<= 8;
	if (sel & 0x08)
		len = UINT32_MAX - (len & 0xff);
	switch (sel >> 5) {
	case 0: case 1: case 2:
		d->addr = B_IOVA + off % 4096;
		break;
	case 3:
		d->addr = B_IOVA + off % B_SIZE;
		break;
	case 4:
		/* Runs from B into C with a long enough length. */
		d->addr = B_IOVA + B_SIZE - 1 - off % 4096;
		break;
	case 5:
		d->addr = D_IOVA + off % D_SIZE;
		break;
	case 6:
		/* The table at the end of D (indirect). */
		tlen = RTE_MIN(RTE_ALIGN_CEIL((uint64_t)len, 16), D_SIZE);
		d->addr = D_IOVA + D_SIZE - tlen;
		break;
	default:
		d->addr = hostile_addr(off, len);
		break;
	}
	d->len = len;
}

static inline uint16_t
idx_of(uint16_t v, uint32_t num)
{
	return (v & 0x8000) ? v : v % num;
}

/*
 * Between the passes the driver may take a region away: once dma_unmap
 * returns, the device must not touch it (its pages are made inaccessible
 * until the region is mapped again, at the end of the input). A queue
 * whose rings were there must stop.
 */
static void
unmap_region(int i)
{
	if (ops->dma_unmap(dev, 0, reg[i].iova, reg[i].size) != 0 ||
			((i < NRING || i == REG_B) &&
			ops->dma_unmap(dev, 1, reg[i].iova, reg[i].size) != 0))
		abort();
	if (mprotect(reg[i].dv, reg[i].size, PROT_NONE) != 0)
		die("mprotect");
}

static void
remap_region(int i)
{
	uint32_t perm = reg[i].ro ? RTE_VIRTIO_MDEV_DMA_READ :
		RTE_VIRTIO_MDEV_DMA_RW;

	if (mprotect(reg[i].dv, reg[i].size, reg[i].ro ? PROT_READ :
			PROT_READ | PROT_WRITE) != 0)
		die("mprotect");
	if (ops->dma_map(dev, 0, reg[i].iova, reg[i].size, reg[i].dv,
			perm) != 0 || ((i < NRING || i == REG_B) &&
			ops->dma_map(dev, 1, reg[i].iova, reg[i].size,
			reg[i].dv, perm) != 0))
		abort();
}

/* Driver-side state of one queue, for the checks after the passes. */
struct hq {
	bool present;
	bool ready;
	uint32_t num;
	uint16_t start;		/* split: avail index the device started at */
	uint16_t avail_idx;
};

static struct hq hq[NQ];

static inline uint8_t *
area(uint16_t qid, int k)
{
	return reg[qid * 3 + k].hv;
}

/* The end of a ring area's page: each area ends at a guard page. */
static inline uint64_t
area_iova(uint16_t qid, int k, uint32_t len)
{
	return RING_IOVA(qid * 3 + k) + PG - len;
}

/*
 * Ring addresses a driver gets wrong (mode 12 to 15; below: as laid
 * out): misaligned, running into the guard page, or the device area in
 * read-only memory. set_vq_ready must refuse them all.
 */
static void
ring_perturb(uint8_t mode, uint64_t *desc, uint64_t *drv, uint64_t *devi)
{
	RTE_SET_USED(drv);
	switch (mode) {
	case 12:
		*desc += 8;
		break;
	case 13:
		*devi -= 2;
		break;
	case 14:
		*desc += 16;
		break;
	case 15:
		*devi = D_IOVA + D_SIZE - 64;
		break;
	default:
		break;
	}
}

#ifndef FUZZ_PACKED

static void
write_desc(struct vring_desc *p, const struct fdesc *d, uint32_t num)
{
	p->addr = rte_cpu_to_le_64(d->addr);
	p->len = rte_cpu_to_le_32(d->len);
	p->flags = rte_cpu_to_le_16(d->flags);
	p->next = rte_cpu_to_le_16(idx_of(d->aux, num));
}

static void
queue_input(struct fz *f, uint16_t qid)
{
	struct hq *q = &hq[qid];
	uint8_t nsel = fz_u8(f);
	uint32_t num = 1u << ((nsel & 15) % 9), i;
	uint32_t dlen = 16 * num, alen = 6 + 2 * num, ulen = 8 + 8 * num;
	uint64_t da = area_iova(qid, 0, dlen), aa = area_iova(qid, 1, alen);
	uint64_t ua = area_iova(qid, 2, ulen);
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	struct rte_virtio_mdev_vq_state st;
	struct fdesc d;
	bool bad_ring;
	int ret;

	q->num = num;
	q->start = fz_u16(f);
	q->avail_idx = q->start + fz_u8(f);
	desc = (void *)(area(qid, 0) + PG - dlen);
	avail = (void *)(area(qid, 1) + PG - alen);
	used = (void *)(area(qid, 2) + PG - ulen);
	avail->flags = rte_cpu_to_le_16(fz_u16(f));
	avail->idx = rte_cpu_to_le_16(q->avail_idx);
	avail->ring[num] = rte_cpu_to_le_16(fz_u16(f));	/* used_event */
	used->idx = rte_cpu_to_le_16(q->start);
	for (i = 0; i < num; i++)
		avail->ring[i] = rte_cpu_to_le_16(idx_of(fz_u16(f), num));
	for (i = 0; i < num; i++) {
		dec_desc(f, &d);
		write_desc(&desc[i], &d, num);
	}
	memset(&st, 0, sizeof(st));
	st.split.avail_index = q->start;
	ring_perturb(nsel >> 4, &da, &aa, &ua);
	bad_ring = nsel >> 4 >= 12;
	ret = ops->set_vq_num(dev, qid, num);
	if (ret == 0)
		ret = ops->set_vq_address(dev, qid, da, aa, ua);
	if (ret == 0)
		ret = ops->set_vq_state(dev, qid, &st);
	if (ret == 0)
		ret = ops->set_vq_ready(dev, qid, true);
	q->ready = ret == 0;
	if (q->ready && bad_ring) {
		fprintf(stderr, "fuzz: queue %u started on a bad ring\n", qid);
		abort();
	}
}

static void
table_input(struct fz *f)
{
	uint32_t n = fz_u8(f) % 65, i;
	struct vring_desc *t = (void *)(reg[REG_D].hv + D_SIZE - 16 * n);
	struct fdesc d;

	for (i = 0; i < n; i++) {
		dec_desc(f, &d);
		write_desc(&t[i], &d, 16);
	}
}

/* Bump the avail index of every ready queue before the second pass. */
static void
bump(uint16_t qid, uint8_t n)
{
	struct hq *q = &hq[qid];
	struct vring_avail *avail =
		(void *)(area(qid, 1) + PG - (6 + 2 * q->num));

	q->avail_idx += n;
	__atomic_store_n(&avail->idx, rte_cpu_to_le_16(q->avail_idx),
		__ATOMIC_RELEASE);
}

/*
 * What the device published must make sense: no more completions than
 * chains made available, and only heads of the ring.
 */
static void
check(uint16_t qid)
{
	struct hq *q = &hq[qid];
	const struct vring_used *used =
		(const void *)(area(qid, 2) + PG - (8 + 8 * q->num));
	uint16_t done = rte_le_to_cpu_16(used->idx) - q->start;
	uint16_t made = q->avail_idx - q->start;
	uint16_t i, id;

	if (done > made && made <= q->num) {
		fprintf(stderr, "fuzz: queue %u: %u used entries for %u available\n",
			qid, done, made);
		abort();
	}
	for (i = 0; i < done && i < q->num; i++) {
		id = rte_le_to_cpu_32(used->ring[(q->start + i) %
			q->num].id);
		if (id >= q->num) {
			fprintf(stderr, "fuzz: queue %u: used id %u >= size %u\n",
				qid, id, q->num);
			abort();
		}
	}
}

#else /* FUZZ_PACKED */

static void
write_pdesc(struct vring_packed_desc *p, const struct fdesc *d, uint32_t num,
		uint16_t pos, uint16_t last, uint8_t wrap)
{
	uint16_t flags = d->flags & 7;
	uint8_t w = pos >= last ? wrap : !wrap;

	if (d->flags & 8)
		flags |= (w ? SIM_AVAIL : 0) | (w ? 0 : SIM_USED);
	else
		flags |= (d->flags & 0x10 ? SIM_AVAIL : 0) |
			(d->flags & 0x20 ? SIM_USED : 0);
	flags |= (d->flags & 0xc0) << 2;	/* unknown bits 8, 9 */
	p->addr = rte_cpu_to_le_64(d->addr);
	p->len = rte_cpu_to_le_32(d->len);
	p->id = rte_cpu_to_le_16(idx_of(d->aux, num));
	p->flags = rte_cpu_to_le_16(flags);
}

static void
queue_input(struct fz *f, uint16_t qid)
{
	struct hq *q = &hq[qid];
	uint32_t num = fz_u8(f) + 1, i;
	uint16_t last = fz_u8(f) % num, uidx = fz_u8(f) % num;
	uint8_t wraps = fz_u8(f);
	uint64_t da, aa, ua;
	struct vring_packed_desc *desc;
	struct vring_packed_desc_event *drv;
	struct rte_virtio_mdev_vq_state st;
	struct fdesc d;
	bool bad_ring;
	int ret;

	q->num = num;
	desc = (void *)(area(qid, 0) + PG - 16 * num);
	drv = (void *)(area(qid, 1) + PG - 4);
	drv->flags = rte_cpu_to_le_16(fz_u16(f));
	drv->off_wrap = rte_cpu_to_le_16(fz_u16(f));
	for (i = 0; i < num; i++) {
		dec_desc(f, &d);
		write_pdesc(&desc[i], &d, num, i, last, wraps & 1);
	}
	memset(&st, 0, sizeof(st));
	st.packed.last_avail_idx = last;
	st.packed.last_avail_counter = wraps & 1;
	st.packed.last_used_idx = uidx;
	st.packed.last_used_counter = (wraps >> 1) & 1;
	da = area_iova(qid, 0, 16 * num);
	aa = area_iova(qid, 1, 4);
	ua = area_iova(qid, 2, 4);
	ring_perturb(wraps >> 4, &da, &aa, &ua);
	bad_ring = wraps >> 4 >= 12;
	ret = ops->set_vq_num(dev, qid, num);
	if (ret == 0)
		ret = ops->set_vq_address(dev, qid, da, aa, ua);
	if (ret == 0)
		ret = ops->set_vq_state(dev, qid, &st);
	if (ret == 0)
		ret = ops->set_vq_ready(dev, qid, true);
	q->ready = ret == 0;
	if (q->ready && bad_ring) {
		fprintf(stderr, "fuzz: queue %u started on a bad ring\n", qid);
		abort();
	}
}

static void
table_input(struct fz *f)
{
	uint32_t n = fz_u8(f) % 65, i;
	struct vring_packed_desc *t = (void *)(reg[REG_D].hv + D_SIZE - 16 * n);
	struct fdesc d;

	for (i = 0; i < n; i++) {
		dec_desc(f, &d);
		t[i].addr = rte_cpu_to_le_64(d.addr);
		t[i].len = rte_cpu_to_le_32(d.len);
		t[i].id = rte_cpu_to_le_16(d.aux);
		t[i].flags = rte_cpu_to_le_16(d.flags);
	}
}

/*
 * Before the second pass: the driver refills the first n slots the
 * device gave back (AVAIL == USED), each for the next lap of the ring,
 * as a driver reusing its buffers would.
 */
static void
bump(uint16_t qid, uint8_t n)
{
	struct hq *q = &hq[qid];
	struct vring_packed_desc *desc =
		(void *)(area(qid, 0) + PG - 16 * q->num);
	uint16_t flags;
	uint32_t i;

	for (i = 0; i < q->num && i < n; i++) {
		flags = rte_le_to_cpu_16(__atomic_load_n(&desc[i].flags,
			__ATOMIC_ACQUIRE));
		if (!(flags & SIM_AVAIL) != !(flags & SIM_USED))
			continue;
		__atomic_store_n(&desc[i].flags,
			rte_cpu_to_le_16(flags ^ SIM_AVAIL), __ATOMIC_RELEASE);
	}
}

static void
check(uint16_t qid)
{
	(void)qid;
}

#endif /* FUZZ_PACKED */

/*
 * Every page of a writable region the device changed during the passes
 * must be marked in the log, where the log covers it.
 */
static void
check_log(uint32_t log_size)
{
	const uint8_t *bm = log_page + PG - log_size;
	uint64_t page, pages = (uint64_t)log_size * 8;
	uint32_t off;
	int i;

	for (i = 0; i < NREG; i++) {
		if (reg[i].ro)
			continue;
		/* Regions are whole pages, page-aligned in IOVA space. */
		for (off = 0; off < reg[i].size; off += PG) {
			if (memcmp(reg[i].hv + off, before[i] + off, PG) == 0)
				continue;
			page = (reg[i].iova + off) / PG;
			if (page < pages && !(bm[page / 8] & (1u << (page % 8)))) {
				fprintf(stderr, "fuzz: page at IOVA 0x%" PRIx64 " written, not logged\n",
					reg[i].iova + off);
				abort();
			}
		}
	}
}

/* FUZZ_VERBOSE: what each queue did (to check that seeds are valid). */

static void
trace(uint8_t s)
{
	struct rte_virtio_mdev_vq_stats st;
	uint16_t qid;

	fprintf(stderr, "fuzz: status 0x%x -> 0x%x\n", s,
		ops->get_status(dev));
	for (qid = 0; qid < NQ; qid++) {
		if (!hq[qid].present)
			continue;
		memset(&st, 0, sizeof(st));
		ops->get_vq_stats(dev, qid, &st);
		fprintf(stderr, "fuzz: q%u num %u ready %d: received %" PRIu64 " completed %" PRIu64 " bad %" PRIu64 " long %" PRIu64 " invalid %" PRIu64 " dropped %" PRIu64 "\n",
			qid, hq[qid].num, hq[qid].ready, st.received_descs,
			st.completed_descs, st.bad_desc_errors,
			st.exceed_max_chain, st.invalid_buffer,
			st.completion_errors);
		ops->reset_vq_stats(dev, qid);
	}
}

static const uint16_t queue_order[NQ] = { 1, 0, 2, 3, 4 };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rte_virtio_mdev_callback cb = { count_cb, &cb_count };
	uint8_t s = VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER;
	uint64_t features = F(VIRTIO_F_VERSION_1);
	uint8_t present, more, logsel, asid, unmap;
	uint32_t log_size;
	uint16_t fsel, qid;
	struct fz f;
	int i;

	fz_init(&f, data, size);
	ops->set_status(dev, 0);
	for (i = 0; i < NREG; i++)
		memset(reg[i].hv, 0, reg[i].size);
	memset(hq, 0, sizeof(hq));

	fsel = fz_u16(&f);
	present = fz_u8(&f);
	more = fz_u8(&f);
	logsel = fz_u8(&f);
	asid = fz_u8(&f);
	unmap = fz_u8(&f);
	/* The log and its state survive a reset. */
	ops->set_log_enable(dev, false);
	log_size = (logsel & 0x80) ? 16u * ((logsel & 0x7f) + 1) : 0;
	if (log_size != 0) {
		memset(log_page, 0, PG);
		if (ops->set_log_base(dev, log_page + PG - log_size,
				log_size) != 0 ||
				ops->set_log_enable(dev, true) != 0)
			abort();
	}
	for (i = 0; i < 16; i++)
		if (fsel & (1u << i))
			features |= feature_bits[i];
#ifdef FUZZ_PACKED
	features |= F(VIRTIO_F_RING_PACKED);
#endif
	features &= offered;
	ops->set_status(dev, VIRTIO_CONFIG_S_ACKNOWLEDGE);
	ops->set_status(dev, s);
	if (ops->set_features(dev, features) != 0)
		abort();
	s |= VIRTIO_CONFIG_S_FEATURES_OK;
	ops->set_status(dev, s);
	ops->set_config_cb(dev, &cb);
	for (i = 0; i < 3; i++)
		if ((asid >> i) & 1)
			ops->set_group_asid(dev, i, 1);
	for (i = 0; i < NQ; i++) {
		qid = queue_order[i];
		hq[qid].present = (present >> i) & 1;
		if (!hq[qid].present)
			continue;
		ops->set_vq_cb(dev, qid, &cb);
		queue_input(&f, qid);
	}
	table_input(&f);
	fz_bytes(&f, reg[REG_B].hv, B_SIZE);
	ops->set_status(dev, s | VIRTIO_CONFIG_S_DRIVER_OK);
	if (log_size != 0)
		for (i = 0; i < NREG; i++)
			if (!reg[i].ro)
				memcpy(before[i], reg[i].hv, reg[i].size);

	sim_engine_poll_mdev(dev);
	/* The control queue is also answered on a kick (sim_kick_vq). */
	ops->kick_vq(dev, (features & F(VIRTIO_NET_F_MQ)) ? 4 : 2);
	if (more != 0)
		for (qid = 0; qid < NQ; qid++)
			if (hq[qid].ready)
				bump(qid, more);
	if (unmap & 0x80)
		unmap_region((unmap & 0x7f) % NREG);
	sim_engine_poll_mdev(dev);
	if (unmap & 0x80)
		remap_region((unmap & 0x7f) % NREG);
	for (qid = 0; qid < NQ; qid++)
		if (hq[qid].ready)
			check(qid);
	if (log_size != 0)
		check_log(log_size);
	if (verbose)
		trace(s);
	return 0;
}
