/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * Receive filters of the device (virtio-net control queue classes
 * VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_MAC and VIRTIO_NET_CTRL_VLAN),
 * applied to every packet the device delivers to the driver, from the
 * loopback or an ethdev wire. As in QEMU's virtio-net, promiscuous mode
 * receives everything (tagged frames too) and is on after a reset, so a
 * driver that never negotiated VIRTIO_NET_F_CTRL_RX gets every packet.
 */

#include <string.h>

#include <rte_byteorder.h>

#include "sim_copy.h"
#include "sim_net.h"

/* Destination, source, TPID and TCI: what the filters look at. */
#define SIM_FILTER_PEEK	(2 * RTE_ETHER_ADDR_LEN + 4)

void
sim_rx_mode_reset(struct sim_dev *d)
{
	memset(&d->rx_mode, 0, sizeof(d->rx_mode));
	d->rx_mode.promisc = true;
}

static bool
sim_mac_in(const struct sim_dev *d, const uint8_t *mac, uint32_t first,
		uint32_t count)
{
	uint32_t i;

	for (i = first; i < first + count; i++)
		if (memcmp(d->rx_mode.table[i].addr_bytes, mac,
				RTE_ETHER_ADDR_LEN) == 0)
			return true;
	return false;
}

/* Tagged frames pass only with their VID in the table (CTRL_VLAN). */
static bool
sim_vlan_ok(const struct sim_dev *d, const uint8_t *h, uint32_t len)
{
	uint16_t vid;

	if (!sim_has(d, VIRTIO_NET_F_CTRL_VLAN) || len < SIM_FILTER_PEEK ||
			h[12] != 0x81 || h[13] != 0x00)
		return true;
	vid = ((h[14] << 8) | h[15]) & 0xfff;
	return (d->rx_mode.vlans[vid >> 5] >> (vid & 31)) & 1;
}

static const uint8_t sim_broadcast[RTE_ETHER_ADDR_LEN] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff
};

static bool
sim_mac_ok(const struct sim_dev *d, const uint8_t *h, uint32_t len)
{
	const struct sim_rx_mode *m = &d->rx_mode;

	if (len < RTE_ETHER_ADDR_LEN)
		return false;
	if (memcmp(h, d->cfg.mac, RTE_ETHER_ADDR_LEN) == 0)
		return true;
	/* Bytes: the frame is at any address the driver chose. */
	if (memcmp(h, sim_broadcast, RTE_ETHER_ADDR_LEN) == 0)
		return true;
	/* An overflowed table stands for "everything of that kind". */
	if (h[0] & 1)
		return m->allmulti || m->table_overflow ||
			sim_mac_in(d, h, m->uc_count, m->mc_count);
	return m->table_overflow || sim_mac_in(d, h, 0, m->uc_count);
}

bool
sim_rx_accept(struct sim_dev *d, const struct sim_cursor *src, uint32_t plen)
{
	uint8_t buf[SIM_FILTER_PEEK];
	const uint8_t *h;
	struct sim_cursor c;
	uint32_t n = 0;

	if (likely(d->rx_mode.promisc))
		return true;
	/* Fast path: addressed to the device, no VLAN table to look at. */
	if (likely(src->i < src->nseg))
		h = sim_cursor_ptr(sim_data_as(d), src, &n);
	else
		h = NULL;
	if (likely(h != NULL && n >= RTE_ETHER_ADDR_LEN &&
			!sim_has(d, VIRTIO_NET_F_CTRL_VLAN) &&
			memcmp(h, d->cfg.mac, RTE_ETHER_ADDR_LEN) == 0))
		return true;
	if (h == NULL || n < RTE_MIN(plen, (uint32_t)SIM_FILTER_PEEK)) {
		c = *src;
		n = sim_copy_out(sim_data_as(d), &c, buf,
			RTE_MIN(plen, (uint32_t)SIM_FILTER_PEEK));
		h = buf;
	}
	n = RTE_MIN(n, plen);
	if (sim_mac_ok(d, h, n) && sim_vlan_ok(d, h, n))
		return true;
	d->net_stats.rx_filtered++;
	return false;
}

uint8_t
sim_ctrl_vlan(struct sim_dev *d, uint8_t cmd, const uint8_t *data,
		uint32_t len)
{
	rte_le16_t le;
	uint16_t vid;

	if (!sim_has(d, VIRTIO_NET_F_CTRL_VLAN) || len != sizeof(le))
		return VIRTIO_NET_ERR;
	memcpy(&le, data, sizeof(le));
	vid = rte_le_to_cpu_16(le);
	if (vid >= 4096)
		return VIRTIO_NET_ERR;
	switch (cmd) {
	case VIRTIO_NET_CTRL_VLAN_ADD:
		d->rx_mode.vlans[vid >> 5] |= UINT32_C(1) << (vid & 31);
		return VIRTIO_NET_OK;
	case VIRTIO_NET_CTRL_VLAN_DEL:
		d->rx_mode.vlans[vid >> 5] &= ~(UINT32_C(1) << (vid & 31));
		return VIRTIO_NET_OK;
	default:
		return VIRTIO_NET_ERR;
	}
}
