/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * The sim device's virtio-net state: offered features, config space,
 * and reset to the state it had when new.
 */

#include <string.h>

#include <rte_byteorder.h>

#include "sim.h"
#include "sim_net.h"

/* Segmentation offloads (tso=, guest_tso=; sim_net_gso.c). */
#define SIM_TSO_FEATURES ( \
	(UINT64_C(1) << VIRTIO_NET_F_HOST_TSO4) | \
	(UINT64_C(1) << VIRTIO_NET_F_HOST_TSO6))
#define SIM_GUEST_TSO_FEATURES ( \
	(UINT64_C(1) << VIRTIO_NET_F_GUEST_TSO4) | \
	(UINT64_C(1) << VIRTIO_NET_F_GUEST_TSO6))

#define SIM_FEATURES ( \
	(UINT64_C(1) << VIRTIO_F_VERSION_1) | \
	(UINT64_C(1) << VIRTIO_NET_F_MAC) | \
	(UINT64_C(1) << VIRTIO_NET_F_STATUS) | \
	(UINT64_C(1) << VIRTIO_NET_F_MTU) | \
	(UINT64_C(1) << VIRTIO_NET_F_MRG_RXBUF) | \
	(UINT64_C(1) << VIRTIO_NET_F_CTRL_VQ) | \
	(UINT64_C(1) << VIRTIO_NET_F_CTRL_RX) | \
	(UINT64_C(1) << VIRTIO_NET_F_CTRL_MAC_ADDR) | \
	(UINT64_C(1) << VIRTIO_NET_F_MQ) | \
	(UINT64_C(1) << VIRTIO_NET_F_CTRL_VLAN) | \
	(UINT64_C(1) << VIRTIO_NET_F_CSUM) | \
	(UINT64_C(1) << VIRTIO_NET_F_GUEST_CSUM) | \
	SIM_TSO_FEATURES | SIM_GUEST_TSO_FEATURES | \
	(UINT64_C(1) << VIRTIO_RING_F_INDIRECT_DESC) | \
	(UINT64_C(1) << VIRTIO_RING_F_EVENT_IDX) | \
	(UINT64_C(1) << VIRTIO_F_IN_ORDER))

/* Offered only when asked for (packed_vq=1): off until consumers use it. */
#define SIM_OPT_FEATURES (UINT64_C(1) << VIRTIO_F_RING_PACKED)

/* Features that only make sense with a control queue. */
#define SIM_CTRL_FEATURES ( \
	(UINT64_C(1) << VIRTIO_NET_F_CTRL_RX) | \
	(UINT64_C(1) << VIRTIO_NET_F_CTRL_MAC_ADDR) | \
	(UINT64_C(1) << VIRTIO_NET_F_CTRL_VLAN) | \
	(UINT64_C(1) << VIRTIO_NET_F_MQ))

static void
sim_config_init(struct sim_dev *d)
{
	struct virtio_net_config *c = &d->cfg;

	memset(c, 0, sizeof(*c));
	memcpy(c->mac, d->p.mac.addr_bytes, RTE_ETHER_ADDR_LEN);
	c->status = rte_cpu_to_le_16(VIRTIO_NET_S_LINK_UP);
	c->max_virtqueue_pairs = rte_cpu_to_le_16(d->p.queues);
	c->mtu = rte_cpu_to_le_16(d->p.mtu);
	/* No VIRTIO_NET_F_SPEED_DUPLEX: report both as unknown. */
	c->speed = rte_cpu_to_le_32(UINT32_MAX);
	c->duplex = 0xff;
}

void
sim_dev_init_state(struct sim_dev *d)
{
	uint16_t i;

	rte_spinlock_init(&d->lock);
	d->offered = (SIM_FEATURES | (d->p.feat_on & SIM_OPT_FEATURES)) &
		d->p.features & ~d->p.feat_off;
	if (!(d->offered & (UINT64_C(1) << VIRTIO_NET_F_CTRL_VQ)))
		d->offered &= ~SIM_CTRL_FEATURES;
	/* TSO needs the checksum feature of its direction (csum=0). */
	if (!(d->offered & (UINT64_C(1) << VIRTIO_NET_F_CSUM)))
		d->offered &= ~SIM_TSO_FEATURES;
	if (!(d->offered & (UINT64_C(1) << VIRTIO_NET_F_GUEST_CSUM)))
		d->offered &= ~SIM_GUEST_TSO_FEATURES;
	d->nb_vqs = 2 * d->p.queues + 1;
	for (i = 0; i < d->nb_vqs; i++) {
		d->vq[i].qid = i;
		/* A packed ring starts with both wrap counters at 1. */
		d->vq[i].avail_wrap = 1;
		d->vq[i].used_wrap = 1;
	}
	d->active_pairs = 1;
	sim_rx_mode_reset(d);
	sim_config_init(d);
}

/* Back to new: queues off and forgotten, features and callbacks cleared. */
void
sim_dev_reset(struct sim_dev *d)
{
	struct sim_vq *vq;
	uint16_t i;

	rte_spinlock_lock(&d->lock);
	__atomic_store_n(&d->running, false, __ATOMIC_RELEASE);
	for (i = 0; i < d->nb_vqs; i++) {
		vq = &d->vq[i];
		vq->ready = false;
		vq->broken = false;
		vq->addr_set = false;
		vq->desc_iova = 0;
		vq->driver_iova = 0;
		vq->device_iova = 0;
		vq->num = 0;
		vq->desc = NULL;
		vq->avail = NULL;
		vq->used = NULL;
		vq->last_avail = 0;
		vq->used_idx = 0;
		vq->pub_idx = 0;
		vq->packed = false;
		vq->event_idx = false;
		vq->avail_wrap = 1;
		vq->used_wrap = 1;
		vq->pub_wrap = 1;
		vq->nshadow = 0;
		vq->pdesc = NULL;
		vq->drv_event = NULL;
		vq->dev_event = NULL;
		memset(&vq->cb, 0, sizeof(vq->cb));
	}
	d->features = 0;
	memset(d->group_asid, 0, sizeof(d->group_asid));
	d->mrg_rxbuf = false;
	d->active_pairs = 1;
	memset(&d->config_cb, 0, sizeof(d->config_cb));
	d->config_cb_pending = false;
	d->ctrl_cb_pending = false;
	sim_rx_mode_reset(d);
	memcpy(d->cfg.mac, d->p.mac.addr_bytes, RTE_ETHER_ADDR_LEN);
	d->generation++;
	__atomic_store_n(&d->status, 0, __ATOMIC_RELEASE);
	rte_spinlock_unlock(&d->lock);
}
