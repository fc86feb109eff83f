/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * The virtio-net control queue: receive mode, MAC filter and address,
 * number of queue pairs. Commands are answered at once, in kick_vq() of
 * the control queue (and by the engine's pass, for drivers that do not
 * kick). A command whose class was not negotiated gets VIRTIO_NET_ERR.
 */

#include <string.h>

#include <rte_byteorder.h>

#include "sim_copy.h"
#include "sim_log.h"
#include "sim_net.h"
#include "sim_vq.h"

/* Largest command accepted: header plus two full MAC tables. */
#define SIM_CTRL_MAX (sizeof(struct virtio_net_ctrl_hdr) + \
	2 * (4 + SIM_MAC_TABLE_MAX * RTE_ETHER_ADDR_LEN))

static uint8_t
sim_ctrl_rx(struct sim_dev *d, uint8_t cmd, const uint8_t *data,
		uint32_t len)
{
	if (!sim_has(d, VIRTIO_NET_F_CTRL_RX) || len != 1)
		return VIRTIO_NET_ERR;
	switch (cmd) {
	case VIRTIO_NET_CTRL_RX_PROMISC:
		d->rx_mode.promisc = data[0] != 0;
		return VIRTIO_NET_OK;
	case VIRTIO_NET_CTRL_RX_ALLMULTI:
		d->rx_mode.allmulti = data[0] != 0;
		return VIRTIO_NET_OK;
	default:
		return VIRTIO_NET_ERR;
	}
}

/* One table of MAC_TABLE_SET: le32 count, then count addresses. */
static int
sim_mac_table(struct sim_dev *d, const uint8_t *p, uint32_t len,
		uint32_t *count)
{
	uint32_t n, i, room;
	rte_le32_t le;

	if (len < sizeof(le))
		return -1;
	memcpy(&le, p, sizeof(le));
	n = rte_le_to_cpu_32(le);
	if (n > (len - sizeof(le)) / RTE_ETHER_ADDR_LEN)
		return -1;
	room = SIM_MAC_TABLE_MAX - d->rx_mode.uc_count - d->rx_mode.mc_count;
	for (i = 0; i < n && i < room; i++)
		memcpy(&d->rx_mode.table[SIM_MAC_TABLE_MAX - room + i],
			p + sizeof(le) + i * RTE_ETHER_ADDR_LEN,
			RTE_ETHER_ADDR_LEN);
	if (n > room)
		d->rx_mode.table_overflow = true;
	*count = RTE_MIN(n, room);
	return sizeof(le) + n * RTE_ETHER_ADDR_LEN;
}

static uint8_t
sim_ctrl_mac(struct sim_dev *d, uint8_t cmd, const uint8_t *data,
		uint32_t len)
{
	int used_uc, used_mc;

	if (cmd == VIRTIO_NET_CTRL_MAC_ADDR_SET) {
		if (!sim_has(d, VIRTIO_NET_F_CTRL_MAC_ADDR) ||
				len != RTE_ETHER_ADDR_LEN)
			return VIRTIO_NET_ERR;
		memcpy(d->cfg.mac, data, RTE_ETHER_ADDR_LEN);
		d->generation++;
		return VIRTIO_NET_OK;
	}
	if (cmd != VIRTIO_NET_CTRL_MAC_TABLE_SET ||
			!sim_has(d, VIRTIO_NET_F_CTRL_RX))
		return VIRTIO_NET_ERR;
	d->rx_mode.uc_count = 0;
	d->rx_mode.mc_count = 0;
	d->rx_mode.table_overflow = false;
	used_uc = sim_mac_table(d, data, len, &d->rx_mode.uc_count);
	if (used_uc < 0)
		return VIRTIO_NET_ERR;
	used_mc = sim_mac_table(d, data + used_uc, len - used_uc,
		&d->rx_mode.mc_count);
	if (used_mc < 0 || (uint32_t)(used_uc + used_mc) != len) {
		d->rx_mode.uc_count = 0;
		d->rx_mode.mc_count = 0;
		return VIRTIO_NET_ERR;
	}
	return VIRTIO_NET_OK;
}

static uint8_t
sim_ctrl_mq(struct sim_dev *d, uint8_t cmd, const uint8_t *data,
		uint32_t len)
{
	rte_le16_t le;
	uint16_t pairs;

	if (!sim_has(d, VIRTIO_NET_F_MQ) ||
			cmd != VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET ||
			len != sizeof(le))
		return VIRTIO_NET_ERR;
	memcpy(&le, data, sizeof(le));
	pairs = rte_le_to_cpu_16(le);
	if (pairs < VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MIN || pairs > d->p.queues)
		return VIRTIO_NET_ERR;
	d->active_pairs = pairs;
	return VIRTIO_NET_OK;
}

static uint8_t
sim_ctrl_cmd(struct sim_dev *d, const uint8_t *buf, uint32_t len)
{
	const struct virtio_net_ctrl_hdr *h = (const void *)buf;
	const uint8_t *data = buf + sizeof(*h);

	if (len < sizeof(*h) || len > SIM_CTRL_MAX)
		return VIRTIO_NET_ERR;
	len -= sizeof(*h);
	switch (h->class) {
	case VIRTIO_NET_CTRL_RX:
		return sim_ctrl_rx(d, h->cmd, data, len);
	case VIRTIO_NET_CTRL_MAC:
		return sim_ctrl_mac(d, h->cmd, data, len);
	case VIRTIO_NET_CTRL_MQ:
		return sim_ctrl_mq(d, h->cmd, data, len);
	case VIRTIO_NET_CTRL_VLAN:
		return sim_ctrl_vlan(d, h->cmd, data, len);
	default:
		return VIRTIO_NET_ERR;
	}
}

/* Handle one chain: command bytes first, then the ack byte. */
int
sim_ctrl_chain(struct sim_dev *d, struct sim_vq *vq, const struct sim_chain *c)
{
	uint8_t buf[SIM_CTRL_MAX], ack;
	struct sim_cursor src, dst;
	struct sim_seg out = { .va = buf, .len = sizeof(buf) };
	uint16_t nout = 0;
	uint32_t n;
	uint8_t *p;

	if (c->len - c->out_len < 1)
		return sim_vq_break(d, vq, &vq->stats.invalid_buffer,
			"control command (head %u) has no device-writable ack byte",
			c->head);
	while (nout < c->nseg && !vq->segs[nout].writable)
		nout++;
	ack = VIRTIO_NET_ERR;
	if (c->out_len <= sizeof(buf)) {
		sim_cursor_init(&src, vq->segs, nout);
		sim_cursor_init(&dst, &out, 1);
		sim_copy(vq->bufs, &dst, &src, c->out_len);
		ack = sim_ctrl_cmd(d, buf, c->out_len);
	}
	sim_cursor_init(&dst, vq->segs + nout, c->nseg - nout);
	p = sim_cursor_ptr(vq->bufs, &dst, &n);
	if (p != NULL) {
		*p = ack;
		sim_log_segs(d, vq->segs + nout, c->nseg - nout, 1);
	}
	return 0;
}
