/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * virtio_mdev: a virtio-net ethdev PMD for any device on the mdev bus
 * that implements the virtio-mdev ops (class id VIRTIO, class=net).
 *
 * Life of a port: probe negotiates features once (to learn the MAC, MTU
 * and queue pairs) and resets the device; every dev_start runs the whole
 * virtio initialisation again (reset, ACKNOWLEDGE, DRIVER, features,
 * FEATURES_OK, queues, DRIVER_OK) and dev_stop resets the device, so a
 * stopped port holds no device state and restarts cleanly.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <rte_alarm.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_kvargs.h>
#include <rte_log.h>
#include <rte_malloc.h>

#include <ethdev_driver.h>

#include <linux/virtio_ids.h>

#include "virtio_mdev.h"
#include "virtio_mdev_ctrl.h"
#include "virtio_mdev_intr.h"
#include "virtio_mdev_logs.h"
#include "virtio_mdev_queue.h"
#include "virtio_mdev_stats.h"
#include "vq_common.h"
#include "vq_packed.h"
#include "vq_split.h"

#define VMDEV_BIT(b) (UINT64_C(1) << (b))

/* Everything this driver can use; the device's offer is ANDed in. */
#define VMDEV_DRIVER_FEATURES ( \
	VMDEV_BIT(VIRTIO_F_VERSION_1) | \
	VMDEV_BIT(VIRTIO_F_ACCESS_PLATFORM) | \
	VMDEV_BIT(VIRTIO_NET_F_MAC) | \
	VMDEV_BIT(VIRTIO_NET_F_STATUS) | \
	VMDEV_BIT(VIRTIO_NET_F_MTU) | \
	VMDEV_BIT(VIRTIO_NET_F_MRG_RXBUF) | \
	VMDEV_BIT(VIRTIO_NET_F_CTRL_VQ) | \
	VMDEV_BIT(VIRTIO_NET_F_CTRL_RX) | \
	VMDEV_BIT(VIRTIO_NET_F_CTRL_MAC_ADDR) | \
	VMDEV_BIT(VIRTIO_NET_F_MQ) | \
	VMDEV_BIT(VIRTIO_NET_F_SPEED_DUPLEX) | \
	VMDEV_BIT(VIRTIO_F_RING_PACKED) | \
	VMDEV_BIT(VIRTIO_F_IN_ORDER) | \
	VMDEV_BIT(VIRTIO_RING_F_EVENT_IDX) | \
	VMDEV_OFFLOAD_FEATURES)

/*
 * Offloads: negotiated at start only when the application enabled the
 * matching offload at configure (vmdev_offload_features), so a port
 * without offloads runs exactly as before and a device never hands the
 * application partial checksums or coalesced packets it did not ask for.
 */
#define VMDEV_TX_CSUM_FEATURES VMDEV_BIT(VIRTIO_NET_F_CSUM)
#define VMDEV_TX_TSO_FEATURES ( \
	VMDEV_BIT(VIRTIO_NET_F_HOST_TSO4) | \
	VMDEV_BIT(VIRTIO_NET_F_HOST_TSO6))
#define VMDEV_RX_CSUM_FEATURES VMDEV_BIT(VIRTIO_NET_F_GUEST_CSUM)
#define VMDEV_RX_TSO_FEATURES ( \
	VMDEV_BIT(VIRTIO_NET_F_GUEST_TSO4) | \
	VMDEV_BIT(VIRTIO_NET_F_GUEST_TSO6))
#define VMDEV_OFFLOAD_FEATURES ( \
	VMDEV_TX_CSUM_FEATURES | VMDEV_TX_TSO_FEATURES | \
	VMDEV_RX_CSUM_FEATURES | VMDEV_RX_TSO_FEATURES)

#define VMDEV_TX_CSUM_OFFLOADS ( \
	RTE_ETH_TX_OFFLOAD_TCP_CKSUM | RTE_ETH_TX_OFFLOAD_UDP_CKSUM)
#define VMDEV_RX_CSUM_OFFLOADS ( \
	RTE_ETH_RX_OFFLOAD_TCP_CKSUM | RTE_ETH_RX_OFFLOAD_UDP_CKSUM)

/* Features that only make sense with a control queue. */
#define VMDEV_CTRL_FEATURES ( \
	VMDEV_BIT(VIRTIO_NET_F_CTRL_RX) | \
	VMDEV_BIT(VIRTIO_NET_F_CTRL_MAC_ADDR) | \
	VMDEV_BIT(VIRTIO_NET_F_MQ))

/*
 * Devargs of this driver: each refuses a feature the device offers
 * ("vm_" keeps them apart from the parents' keys, which offer features).
 * 1 (default) accepts the feature when offered, 0 refuses it.
 */
static const struct {
	const char *key;
	uint64_t bits;
} vmdev_feature_keys[] = {
	{ "vm_packed_vq", VMDEV_BIT(VIRTIO_F_RING_PACKED) },
	{ "vm_in_order", VMDEV_BIT(VIRTIO_F_IN_ORDER) },
	{ "vm_mrg_rxbuf", VMDEV_BIT(VIRTIO_NET_F_MRG_RXBUF) },
	{ "vm_event_idx", VMDEV_BIT(VIRTIO_RING_F_EVENT_IDX) },
	/* Segmentation needs checksums: vm_csum=0 refuses both. */
	{ "vm_csum", VMDEV_OFFLOAD_FEATURES },
	{ "vm_tso", VMDEV_TX_TSO_FEATURES | VMDEV_RX_TSO_FEATURES },
};

static const char * const vmdev_devargs_keys[] = {
	"vm_packed_vq", "vm_in_order", "vm_mrg_rxbuf", "vm_event_idx",
	"vm_csum", "vm_tso", NULL
};

static int
vmdev_parse_refuse(const char *key, const char *value, void *arg)
{
	struct vmdev_hw *hw = arg;
	unsigned int i;

	for (i = 0; i < RTE_DIM(vmdev_feature_keys); i++) {
		if (strcmp(key, vmdev_feature_keys[i].key) != 0)
			continue;
		if (value != NULL && strcmp(value, "0") == 0) {
			hw->refused |= vmdev_feature_keys[i].bits;
			return 0;
		}
		if (value != NULL && strcmp(value, "1") == 0) {
			hw->refused &= ~vmdev_feature_keys[i].bits;
			return 0;
		}
		VMDEV_LOG(ERR, hw->name,
			"devarg %s=%s: 0 (refuse the feature) or 1 (use it when offered, the default) expected",
			key, value != NULL ? value : "");
		return -EINVAL;
	}
	return 0;
}

/* The vm_* keys of the device's devargs; the parent's keys are ignored. */
static int
vmdev_parse_devargs(struct vmdev_hw *hw, const char *args)
{
	struct rte_kvargs *kv;
	unsigned int i;
	int ret = 0;

	if (args == NULL || args[0] == '\0')
		return 0;
	kv = rte_kvargs_parse(args, NULL);
	if (kv == NULL) {
		VMDEV_LOG(ERR, hw->name,
			"cannot parse devargs \"%s\": key=value pairs separated by commas expected",
			args);
		return -EINVAL;
	}
	for (i = 0; i < RTE_DIM(vmdev_feature_keys) && ret == 0; i++)
		ret = rte_kvargs_process(kv, vmdev_feature_keys[i].key,
			vmdev_parse_refuse, hw);
	rte_kvargs_free(kv);
	/* rte_kvargs_process() gives -1 whatever the handler returned. */
	return ret < 0 ? -EINVAL : 0;
}

static uint16_t
vmdev_burst_none(void *queue, struct rte_mbuf **pkts, uint16_t n)
{
	return 0;
}

/* Device status */

static void
vmdev_device_reset(struct vmdev_hw *hw)
{
	hw->ops->set_status(hw->mdev, 0);
}

static void
vmdev_add_status(struct vmdev_hw *hw, uint8_t bits)
{
	hw->ops->set_status(hw->mdev, hw->ops->get_status(hw->mdev) | bits);
}

/* Reset .. FEATURES_OK with the features chosen at probe. */
static int
vmdev_device_init(struct vmdev_hw *hw)
{
	return rte_virtio_mdev_negotiate(hw->mdev, hw->features, hw->name);
}

static int
vmdev_driver_ok(struct vmdev_hw *hw)
{
	uint8_t status;

	vmdev_add_status(hw, VIRTIO_CONFIG_S_DRIVER_OK);
	status = hw->ops->get_status(hw->mdev);
	if ((status & (VIRTIO_CONFIG_S_NEEDS_RESET | VIRTIO_CONFIG_S_FAILED)) ||
			!(status & VIRTIO_CONFIG_S_DRIVER_OK)) {
		VMDEV_LOG(ERR, hw->name,
			"device did not start: status 0x%02x after DRIVER_OK",
			status);
		return -EIO;
	}
	return 0;
}

static void
vmdev_read_config(struct vmdev_hw *hw, size_t offset, void *buf,
		unsigned int len)
{
	rte_virtio_mdev_read_config(hw->mdev, offset, buf, len);
}

/* Feature negotiation and config (at probe) */

static int
vmdev_negotiate(struct vmdev_hw *hw)
{
	/* Offloads are added at configure, when the application asks. */
	uint64_t wanted = VMDEV_DRIVER_FEATURES & ~VMDEV_OFFLOAD_FEATURES;

	hw->dev_features = hw->ops->get_features(hw->mdev);
	if (!(hw->dev_features & VMDEV_BIT(VIRTIO_F_VERSION_1))) {
		VMDEV_LOG(ERR, hw->name,
			"device does not offer VIRTIO_F_VERSION_1 (features 0x%" PRIx64
			"): legacy virtio devices are not supported",
			hw->dev_features);
		return -ENOTSUP;
	}
	if (!(hw->dev_features & VMDEV_BIT(VIRTIO_NET_F_CTRL_VQ)))
		wanted &= ~VMDEV_CTRL_FEATURES;
	wanted &= ~hw->refused;
	hw->features = hw->dev_features & wanted;
	/*
	 * The one place that knows the ring layouts: the rest of the PMD
	 * uses the negotiated one through hw->ring.
	 */
	hw->ring = vmdev_with(hw, VIRTIO_F_RING_PACKED) ?
		&vq_packed_ops : &vq_split_ops;
	VMDEV_LOG(INFO, hw->name, "features offered 0x%" PRIx64 ", accepted 0x%"
		PRIx64 " (refused by devargs 0x%" PRIx64 ")",
		hw->dev_features, hw->features, hw->refused & hw->dev_features);
	return vmdev_device_init(hw);
}

static void
vmdev_config_mac(struct vmdev_hw *hw, struct rte_ether_addr *mac)
{
	if (vmdev_with(hw, VIRTIO_NET_F_MAC)) {
		vmdev_read_config(hw, offsetof(struct virtio_net_config, mac),
			mac->addr_bytes, RTE_ETHER_ADDR_LEN);
		return;
	}
	rte_eth_random_addr(mac->addr_bytes);
	VMDEV_LOG(INFO, hw->name, "device gives no MAC address: using a random one");
}

static int
vmdev_config_pairs(struct vmdev_hw *hw)
{
	uint16_t pairs;
	int ret;

	ret = rte_virtio_mdev_net_max_pairs(hw->mdev, hw->features, &pairs,
		hw->name);
	if (ret != 0)
		return ret;
	/* Each pair is two ethdev queues at most. */
	hw->max_pairs = RTE_MIN(pairs, (uint16_t)RTE_MAX_QUEUES_PER_PORT);
	return 0;
}

static void
vmdev_config_mtu(struct vmdev_hw *hw)
{
	uint16_t mtu;

	hw->max_mtu = VMDEV_DEFAULT_MAX_MTU;
	if (!vmdev_with(hw, VIRTIO_NET_F_MTU))
		return;
	vmdev_read_config(hw, offsetof(struct virtio_net_config, mtu),
		&mtu, sizeof(mtu));
	if (mtu < RTE_ETHER_MIN_MTU) {
		VMDEV_LOG(WARNING, hw->name,
			"device reports MTU %u, below %u: ignored", mtu,
			RTE_ETHER_MIN_MTU);
		return;
	}
	hw->max_mtu = mtu;
}

static int
vmdev_config_queues(struct vmdev_hw *hw)
{
	hw->vq_num_max = hw->ops->get_vq_num_max(hw->mdev);
	hw->vq_align = hw->ops->get_vq_align(hw->mdev);
	if (hw->vq_num_max == 0) {
		VMDEV_LOG(ERR, hw->name, "device allows no descriptors per queue");
		return -EINVAL;
	}
	if (!rte_is_power_of_2(hw->vq_align) || hw->vq_align > 65536) {
		VMDEV_LOG(ERR, hw->name,
			"device ring alignment %u is not a power of two up to 65536",
			hw->vq_align);
		return -EINVAL;
	}
	return 0;
}

/* Learn what the device is, leave it reset. */
static int
vmdev_device_probe(struct vmdev_hw *hw, struct rte_ether_addr *mac)
{
	uint32_t id = hw->ops->get_device_id(hw->mdev);
	int ret;

	if (id != VIRTIO_ID_NET) {
		VMDEV_LOG(ERR, hw->name,
			"virtio device id %u is not a network device (%u)",
			id, VIRTIO_ID_NET);
		return -ENOTSUP;
	}
	ret = vmdev_negotiate(hw);
	if (ret == 0)
		ret = vmdev_config_queues(hw);
	if (ret == 0)
		ret = vmdev_config_pairs(hw);
	if (ret == 0) {
		vmdev_config_mac(hw, mac);
		vmdev_config_mtu(hw);
	}
	vmdev_device_reset(hw);
	return ret;
}

/* Offloads */

/*
 * Offload features the port may use: offered, not refused by devargs,
 * with what each depends on (the virtio specification's rules: TSO needs
 * the checksum feature of its direction; and this driver takes
 * coalesced packets only into mergeable buffers, not 64 KiB ones).
 */
static uint64_t
vmdev_offload_usable(const struct vmdev_hw *hw)
{
	uint64_t f = hw->dev_features & VMDEV_OFFLOAD_FEATURES & ~hw->refused;

	if (!(f & VMDEV_TX_CSUM_FEATURES))
		f &= ~VMDEV_TX_TSO_FEATURES;
	if (!(f & VMDEV_RX_CSUM_FEATURES) ||
			!vmdev_with(hw, VIRTIO_NET_F_MRG_RXBUF))
		f &= ~VMDEV_RX_TSO_FEATURES;
	return f;
}

static uint64_t
vmdev_tx_offload_capa(const struct vmdev_hw *hw)
{
	uint64_t f = vmdev_offload_usable(hw);
	uint64_t capa = 0;

	if (f & VMDEV_TX_CSUM_FEATURES)
		capa |= VMDEV_TX_CSUM_OFFLOADS;
	/* IPv6 TSO without HOST_TSO6 is refused by tx_prepare. */
	if (f & VMDEV_BIT(VIRTIO_NET_F_HOST_TSO4))
		capa |= RTE_ETH_TX_OFFLOAD_TCP_TSO;
	return capa;
}

static uint64_t
vmdev_rx_offload_capa(const struct vmdev_hw *hw)
{
	uint64_t f = vmdev_offload_usable(hw);
	uint64_t capa = 0;

	if (f & VMDEV_RX_CSUM_FEATURES)
		capa |= VMDEV_RX_CSUM_OFFLOADS;
	if (f & VMDEV_RX_TSO_FEATURES)
		capa |= RTE_ETH_RX_OFFLOAD_TCP_LRO;
	return capa;
}

/* The offload features for what the application enabled. */
static uint64_t
vmdev_offload_features(const struct vmdev_hw *hw,
		const struct rte_eth_conf *conf)
{
	uint64_t f = 0;

	if (conf->txmode.offloads &
			(VMDEV_TX_CSUM_OFFLOADS | RTE_ETH_TX_OFFLOAD_TCP_TSO))
		f |= VMDEV_TX_CSUM_FEATURES;
	if (conf->txmode.offloads & RTE_ETH_TX_OFFLOAD_TCP_TSO)
		f |= VMDEV_TX_TSO_FEATURES;
	if (conf->rxmode.offloads &
			(VMDEV_RX_CSUM_OFFLOADS | RTE_ETH_RX_OFFLOAD_TCP_LRO))
		f |= VMDEV_RX_CSUM_FEATURES;
	if (conf->rxmode.offloads & RTE_ETH_RX_OFFLOAD_TCP_LRO)
		f |= VMDEV_RX_TSO_FEATURES;
	return f & vmdev_offload_usable(hw);
}

/* Queue flags from what was negotiated (at start). */
static void
vmdev_offload_queues(struct rte_eth_dev *dev)
{
	struct vmdev_hw *hw = dev->data->dev_private;
	uint8_t txo = 0;
	uint16_t i;

	if (vmdev_with(hw, VIRTIO_NET_F_CSUM))
		txo |= VMDEV_TXO_CSUM;
	if (vmdev_with(hw, VIRTIO_NET_F_HOST_TSO4))
		txo |= VMDEV_TXO_TSO4;
	if (vmdev_with(hw, VIRTIO_NET_F_HOST_TSO6))
		txo |= VMDEV_TXO_TSO6;
	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		struct vmdev_txq *txq = dev->data->tx_queues[i];

		if (txq != NULL)
			txq->offload = txo;
	}
	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		struct vmdev_rxq *rxq = dev->data->rx_queues[i];

		if (rxq != NULL)
			rxq->offload =
				vmdev_with(hw, VIRTIO_NET_F_GUEST_CSUM);
	}
}

/* ethdev ops */

static int
vmdev_dev_configure(struct rte_eth_dev *dev)
{
	struct vmdev_hw *hw = dev->data->dev_private;
	const struct rte_eth_conf *conf = &dev->data->dev_conf;

	if (conf->rxmode.mq_mode != RTE_ETH_MQ_RX_NONE &&
			conf->rxmode.mq_mode != RTE_ETH_MQ_RX_RSS) {
		VMDEV_LOG(ERR, hw->name,
			"rx mq_mode %d not supported: none or rss (the device spreads packets)",
			conf->rxmode.mq_mode);
		return -EINVAL;
	}
	if (conf->txmode.mq_mode != RTE_ETH_MQ_TX_NONE) {
		VMDEV_LOG(ERR, hw->name, "tx mq_mode %d not supported: none only",
			conf->txmode.mq_mode);
		return -EINVAL;
	}
	hw->nb_pairs = RTE_MAX(dev->data->nb_rx_queues,
		dev->data->nb_tx_queues);
	/* Negotiated at the next start (vmdev_device_init). */
	hw->features = (hw->features & ~VMDEV_OFFLOAD_FEATURES) |
		vmdev_offload_features(hw, conf);
	if (hw->features & VMDEV_OFFLOAD_FEATURES)
		VMDEV_LOG(INFO, hw->name, "offload features 0x%" PRIx64,
			hw->features & VMDEV_OFFLOAD_FEATURES);
	return 0;
}

/* Without mergeable buffers one rx buffer must hold a whole frame. */
static int
vmdev_check_rx_buffers(struct vmdev_hw *hw, uint16_t mtu)
{
	struct rte_eth_dev_data *data = hw->eth_dev->data;
	uint32_t frame = mtu + RTE_ETHER_HDR_LEN + RTE_VLAN_HLEN;
	uint16_t i;

	if (vmdev_with(hw, VIRTIO_NET_F_MRG_RXBUF))
		return 0;
	for (i = 0; i < data->nb_rx_queues; i++) {
		const struct vmdev_rxq *rxq = data->rx_queues[i];

		if (rxq == NULL || rxq->buf_len - VMDEV_NET_HDR_SIZE >= frame)
			continue;
		VMDEV_LOG(ERR, hw->name,
			"MTU %u needs %u-byte rx buffers (the device has no mergeable rx buffers); rx queue %u has %u",
			mtu, frame, i,
			(unsigned int)(rxq->buf_len - VMDEV_NET_HDR_SIZE));
		return -EINVAL;
	}
	return 0;
}

static void
vmdev_set_burst(struct rte_eth_dev *dev)
{
	struct vmdev_hw *hw = dev->data->dev_private;

	bool mrg = vmdev_with(hw, VIRTIO_NET_F_MRG_RXBUF);

	dev->data->scattered_rx = mrg;
	vmdev_offload_queues(dev);
	dev->tx_pkt_prepare = (hw->features & (VMDEV_TX_CSUM_FEATURES |
		VMDEV_TX_TSO_FEATURES)) ? vmdev_tx_prepare : NULL;
	/* The layout's own bursts: nothing in between per packet. */
	dev->rx_pkt_burst = mrg ? hw->ring->rx_burst_mergeable :
		hw->ring->rx_burst;
	dev->tx_pkt_burst = hw->ring->tx_burst;
}

static void
vmdev_set_queue_states(struct rte_eth_dev *dev, uint8_t state)
{
	uint16_t i;

	for (i = 0; i < dev->data->nb_rx_queues; i++)
		dev->data->rx_queue_state[i] = state;
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		dev->data->tx_queue_state[i] = state;
}

static int vmdev_link_update(struct rte_eth_dev *dev, int wait);

/* Device back to reset, rings emptied. */
static void
vmdev_device_stop(struct vmdev_hw *hw)
{
	vmdev_rx_intr_stop(hw);
	vmdev_queues_stop(hw);
	vmdev_stats_save_device(hw);
	hw->started = false;
	vmdev_device_reset(hw);
	vmdev_queues_reclaim(hw);
}

/*
 * Config change or NEEDS_RESET, in the EAL interrupt thread: report a
 * broken device once per start, and a link change to LSC listeners.
 */
static void
vmdev_config_alarm(void *arg)
{
	struct rte_eth_dev *dev = arg;
	struct vmdev_hw *hw = dev->data->dev_private;

	if (!hw->started)
		return;
	if ((hw->ops->get_status(hw->mdev) & VIRTIO_CONFIG_S_NEEDS_RESET) &&
			!hw->reset_reported) {
		hw->reset_reported = true;
		VMDEV_LOG(ERR, hw->name,
			"device needs a reset (see its log for the broken queue): stop and start the port");
		rte_eth_dev_callback_process(dev, RTE_ETH_EVENT_INTR_RESET,
			NULL);
	}
	if (vmdev_link_update(dev, 0) == 0 && dev->data->dev_conf.intr_conf.lsc)
		rte_eth_dev_callback_process(dev, RTE_ETH_EVENT_INTR_LSC, NULL);
}

/*
 * Device context (it may hold its own locks): no op may be called here,
 * so the work is handed to the interrupt thread.
 */
static void
vmdev_config_changed(void *arg)
{
	rte_eal_alarm_set(1, vmdev_config_alarm, arg);
}

static void
vmdev_config_cb_set(struct rte_eth_dev *dev, bool on)
{
	struct vmdev_hw *hw = dev->data->dev_private;
	const struct rte_virtio_mdev_callback cb = {
		.fn = vmdev_config_changed,
		.arg = dev,
	};

	hw->ops->set_config_cb(hw->mdev, on ? &cb : NULL);
	if (!on)
		rte_eal_alarm_cancel(vmdev_config_alarm, dev);
}

static int vmdev_mac_table_send(struct rte_eth_dev *dev,
		const struct rte_ether_addr *add, uint32_t index, uint32_t skip);

static int
vmdev_dev_start(struct rte_eth_dev *dev)
{
	struct vmdev_hw *hw = dev->data->dev_private;
	int ret;

	ret = vmdev_check_rx_buffers(hw, dev->data->mtu);
	if (ret != 0)
		return ret;
	ret = vmdev_device_init(hw);
	if (ret == 0)
		ret = vmdev_queues_start(hw);
	if (ret == 0)
		ret = vmdev_rx_intr_start(hw);
	if (ret != 0)
		goto fail;
	hw->reset_reported = false;
	vmdev_config_cb_set(dev, true);
	ret = vmdev_driver_ok(hw);
	if (ret != 0)
		goto fail;
	hw->started = true;
	if (vmdev_with(hw, VIRTIO_NET_F_MQ)) {
		ret = vmdev_ctrl_mq_pairs(hw, hw->nb_pairs);
		if (ret != 0)
			goto fail;
	}
	/* A reset gave the device its own MAC back: set the port's. */
	if (vmdev_with(hw, VIRTIO_NET_F_CTRL_MAC_ADDR)) {
		ret = vmdev_ctrl_mac_addr(hw, &dev->data->mac_addrs[0]);
		if (ret != 0)
			goto fail;
	}
	/* And an empty filter table: the unicast ones come back from ethdev. */
	if (hw->nb_mc_addrs > 0) {
		ret = vmdev_mac_table_send(dev, NULL, 0, 0);
		if (ret != 0)
			goto fail;
	}
	vmdev_set_burst(dev);
	vmdev_set_queue_states(dev, RTE_ETH_QUEUE_STATE_STARTED);
	vmdev_link_update(dev, 0);
	VMDEV_LOG(INFO, hw->name, "started with %u queue pair(s)",
		hw->nb_pairs);
	return 0;
fail:
	vmdev_config_cb_set(dev, false);
	vmdev_device_stop(hw);
	return ret;
}

static int
vmdev_dev_stop(struct rte_eth_dev *dev)
{
	struct vmdev_hw *hw = dev->data->dev_private;

	if (!hw->started)
		return 0;
	vmdev_config_cb_set(dev, false);
	vmdev_device_stop(hw);
	dev->rx_pkt_burst = vmdev_burst_none;
	dev->tx_pkt_burst = vmdev_burst_none;
	vmdev_set_queue_states(dev, RTE_ETH_QUEUE_STATE_STOPPED);
	vmdev_link_update(dev, 0);
	return 0;
}

static int
vmdev_dev_close(struct rte_eth_dev *dev)
{
	struct vmdev_hw *hw = dev->data->dev_private;
	uint16_t i;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return 0;
	vmdev_dev_stop(dev);
	vmdev_rx_intr_free(hw);
	for (i = 0; i < dev->data->nb_rx_queues; i++)
		vmdev_rx_queue_release(dev, i);
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		vmdev_tx_queue_release(dev, i);
	dev->data->nb_rx_queues = 0;
	dev->data->nb_tx_queues = 0;
	vmdev_ctrl_free(hw);
	vmdev_device_reset(hw);
	vmdev_dma_teardown(hw);
	rte_free(hw->vq_stats_base);
	hw->vq_stats_base = NULL;
	hw->mdev->driver_priv = NULL;
	VMDEV_LOG(INFO, hw->name, "closed");
	return 0;
}

/* ethdev stopped the port, which reset the device: start re-inits it. */
static int
vmdev_dev_reset(struct rte_eth_dev *dev)
{
	return 0;
}

static int
vmdev_dev_infos_get(struct rte_eth_dev *dev, struct rte_eth_dev_info *info)
{
	struct vmdev_hw *hw = dev->data->dev_private;
	uint16_t ring_min = RTE_MIN((uint16_t)VMDEV_RING_MIN, hw->vq_num_max);
	uint16_t ring_dflt = RTE_MIN((uint16_t)VMDEV_RING_DEFAULT,
			hw->vq_num_max);

	info->max_rx_queues = hw->max_pairs;
	info->max_tx_queues = hw->max_pairs;
	info->max_mac_addrs = vmdev_with(hw, VIRTIO_NET_F_CTRL_RX) ?
		VMDEV_MAX_MAC_ADDRS : 1;
	info->min_rx_bufsize = VMDEV_MIN_RX_BUFSIZE;
	info->min_mtu = RTE_ETHER_MIN_MTU;
	info->max_mtu = hw->max_mtu;
	info->max_rx_pktlen = hw->max_mtu + RTE_ETHER_HDR_LEN + RTE_VLAN_HLEN;
	info->rx_offload_capa = (vmdev_with(hw, VIRTIO_NET_F_MRG_RXBUF) ?
		RTE_ETH_RX_OFFLOAD_SCATTER : 0) | vmdev_rx_offload_capa(hw);
	info->tx_offload_capa = RTE_ETH_TX_OFFLOAD_MULTI_SEGS |
		vmdev_tx_offload_capa(hw);
	if (info->rx_offload_capa & RTE_ETH_RX_OFFLOAD_TCP_LRO)
		info->max_lro_pkt_size = UINT16_MAX;
	/*
	 * Applications (OVS asks for 2048) may request more than the
	 * device's rings hold; like DPDK's virtio PMD, accept and clamp.
	 */
	info->rx_desc_lim.nb_max = VMDEV_RING_REQUEST_MAX;
	info->rx_desc_lim.nb_min = ring_min;
	info->rx_desc_lim.nb_align = 1;
	info->tx_desc_lim = info->rx_desc_lim;
	/* A chain plus a header descriptor fits the smallest ring. */
	info->tx_desc_lim.nb_seg_max = ring_min - 1;
	info->tx_desc_lim.nb_mtu_seg_max = ring_min - 1;
	info->default_rxportconf.ring_size = ring_dflt;
	info->default_txportconf.ring_size = ring_dflt;
	info->default_rxportconf.nb_queues = 1;
	info->default_txportconf.nb_queues = 1;
	info->default_rxconf.rx_free_thresh = VMDEV_RX_FREE_THRESH;
	info->default_txconf.tx_free_thresh = VMDEV_TX_FREE_THRESH;
	return 0;
}

static int
vmdev_link_update(struct rte_eth_dev *dev, int wait)
{
	struct vmdev_hw *hw = dev->data->dev_private;
	struct rte_eth_link link = {
		.link_speed = RTE_ETH_SPEED_NUM_UNKNOWN,
		.link_duplex = RTE_ETH_LINK_FULL_DUPLEX,
		.link_autoneg = RTE_ETH_LINK_FIXED,
		.link_status = RTE_ETH_LINK_DOWN,
	};
	uint16_t status = VIRTIO_NET_S_LINK_UP;
	uint32_t speed;
	uint8_t duplex;

	if (hw->started && vmdev_with(hw, VIRTIO_NET_F_STATUS))
		vmdev_read_config(hw, offsetof(struct virtio_net_config, status),
			&status, sizeof(status));
	if (hw->started && (status & VIRTIO_NET_S_LINK_UP))
		link.link_status = RTE_ETH_LINK_UP;
	if (vmdev_with(hw, VIRTIO_NET_F_SPEED_DUPLEX)) {
		vmdev_read_config(hw, offsetof(struct virtio_net_config, speed),
			&speed, sizeof(speed));
		vmdev_read_config(hw, offsetof(struct virtio_net_config, duplex),
			&duplex, sizeof(duplex));
		if (speed <= INT32_MAX)
			link.link_speed = speed;
		if (duplex == 0)
			link.link_duplex = RTE_ETH_LINK_HALF_DUPLEX;
	}
	return rte_eth_linkstatus_set(dev, &link);
}

static int
vmdev_mtu_set(struct rte_eth_dev *dev, uint16_t mtu)
{
	struct vmdev_hw *hw = dev->data->dev_private;

	if (mtu > hw->max_mtu) {
		VMDEV_LOG(ERR, hw->name, "MTU %u above the device's %u",
			mtu, hw->max_mtu);
		return -EINVAL;
	}
	return vmdev_check_rx_buffers(hw, mtu);
}

/*
 * Rx mode through the control queue when the device has CTRL_RX. While
 * stopped there is nothing to tell: ethdev replays the mode after start.
 */
static int
vmdev_rx_mode(struct rte_eth_dev *dev, uint8_t cmd, bool on)
{
	struct vmdev_hw *hw = dev->data->dev_private;

	if (!vmdev_with(hw, VIRTIO_NET_F_CTRL_RX) || !hw->started)
		return 0;
	return vmdev_ctrl_rx_mode(hw, cmd, on);
}

/*
 * The device filters on its MAC (when not promiscuous), so a new one
 * goes to it over the control queue; while stopped it is sent at start.
 */
static int
vmdev_mac_addr_set(struct rte_eth_dev *dev, struct rte_ether_addr *mac)
{
	struct vmdev_hw *hw = dev->data->dev_private;

	if (!vmdev_with(hw, VIRTIO_NET_F_CTRL_MAC_ADDR)) {
		VMDEV_LOG(ERR, hw->name,
			"cannot change the MAC: the device did not offer VIRTIO_NET_F_CTRL_MAC_ADDR");
		return -ENOTSUP;
	}
	if (!hw->started)
		return 0;
	return vmdev_ctrl_mac_addr(hw, mac);
}

/*
 * The receive filter table: the port's unicast addresses besides the
 * primary one, with "add" at index (ethdev stores it after we return)
 * and without index "skip" (ethdev clears it after we return), and the
 * multicast list. While stopped nothing is sent: ethdev adds the
 * addresses again after start, and start sends the multicast list.
 */
static int
vmdev_mac_table_send(struct rte_eth_dev *dev,
		const struct rte_ether_addr *add, uint32_t index, uint32_t skip)
{
	struct vmdev_hw *hw = dev->data->dev_private;
	struct rte_ether_addr uc[VMDEV_MAX_MAC_ADDRS];
	const struct rte_ether_addr *a;
	uint32_t i, n = 0;

	if (!hw->started)
		return 0;
	for (i = 1; i < VMDEV_MAX_MAC_ADDRS; i++) {
		a = add != NULL && i == index ? add : &dev->data->mac_addrs[i];
		if (i != skip && !rte_is_zero_ether_addr(a))
			uc[n++] = *a;
	}
	return vmdev_ctrl_mac_table(hw, uc, n, hw->mc_addrs, hw->nb_mc_addrs);
}

static bool
vmdev_filter_table_usable(struct vmdev_hw *hw)
{
	if (vmdev_with(hw, VIRTIO_NET_F_CTRL_RX))
		return true;
	VMDEV_LOG(ERR, hw->name,
		"no receive filter table: the device did not offer VIRTIO_NET_F_CTRL_RX");
	return false;
}

static int
vmdev_mac_addr_add(struct rte_eth_dev *dev, struct rte_ether_addr *mac,
		uint32_t index, uint32_t vmdq __rte_unused)
{
	struct vmdev_hw *hw = dev->data->dev_private;

	if (!vmdev_filter_table_usable(hw))
		return -ENOTSUP;
	if (rte_is_multicast_ether_addr(mac)) {
		VMDEV_LOG(ERR, hw->name,
			"MAC " RTE_ETHER_ADDR_PRT_FMT " is multicast: give it with rte_eth_dev_set_mc_addr_list (testpmd mcast_addr add)",
			RTE_ETHER_ADDR_BYTES(mac));
		return -EINVAL;
	}
	return vmdev_mac_table_send(dev, mac, index, 0);
}

static void
vmdev_mac_addr_remove(struct rte_eth_dev *dev, uint32_t index)
{
	struct vmdev_hw *hw = dev->data->dev_private;

	if (vmdev_with(hw, VIRTIO_NET_F_CTRL_RX))
		(void)vmdev_mac_table_send(dev, NULL, 0, index);
}

static int
vmdev_set_mc_addr_list(struct rte_eth_dev *dev, struct rte_ether_addr *mc,
		uint32_t nb)
{
	struct vmdev_hw *hw = dev->data->dev_private;
	struct rte_ether_addr old[VMDEV_MAX_MC_ADDRS];
	uint32_t nb_old = hw->nb_mc_addrs;
	int ret;

	if (!vmdev_filter_table_usable(hw))
		return -ENOTSUP;
	if (nb > VMDEV_MAX_MC_ADDRS) {
		VMDEV_LOG(ERR, hw->name,
			"%u multicast addresses: at most %u", nb,
			VMDEV_MAX_MC_ADDRS);
		return -EINVAL;
	}
	memcpy(old, hw->mc_addrs, sizeof(old));
	if (nb > 0)
		memcpy(hw->mc_addrs, mc, nb * sizeof(*mc));
	hw->nb_mc_addrs = nb;
	ret = vmdev_mac_table_send(dev, NULL, 0, 0);
	if (ret != 0) {
		memcpy(hw->mc_addrs, old, sizeof(old));
		hw->nb_mc_addrs = nb_old;
	}
	return ret;
}

static int
vmdev_promiscuous_enable(struct rte_eth_dev *dev)
{
	return vmdev_rx_mode(dev, VIRTIO_NET_CTRL_RX_PROMISC, true);
}

static int
vmdev_promiscuous_disable(struct rte_eth_dev *dev)
{
	return vmdev_rx_mode(dev, VIRTIO_NET_CTRL_RX_PROMISC, false);
}

static int
vmdev_allmulticast_enable(struct rte_eth_dev *dev)
{
	return vmdev_rx_mode(dev, VIRTIO_NET_CTRL_RX_ALLMULTI, true);
}

static int
vmdev_allmulticast_disable(struct rte_eth_dev *dev)
{
	return vmdev_rx_mode(dev, VIRTIO_NET_CTRL_RX_ALLMULTI, false);
}

static const struct eth_dev_ops vmdev_eth_dev_ops = {
	.dev_configure = vmdev_dev_configure,
	.dev_start = vmdev_dev_start,
	.dev_stop = vmdev_dev_stop,
	.dev_close = vmdev_dev_close,
	.dev_reset = vmdev_dev_reset,
	.dev_infos_get = vmdev_dev_infos_get,
	.link_update = vmdev_link_update,
	.mtu_set = vmdev_mtu_set,
	.mac_addr_set = vmdev_mac_addr_set,
	.mac_addr_add = vmdev_mac_addr_add,
	.mac_addr_remove = vmdev_mac_addr_remove,
	.set_mc_addr_list = vmdev_set_mc_addr_list,
	.promiscuous_enable = vmdev_promiscuous_enable,
	.promiscuous_disable = vmdev_promiscuous_disable,
	.allmulticast_enable = vmdev_allmulticast_enable,
	.allmulticast_disable = vmdev_allmulticast_disable,
	.stats_get = vmdev_stats_get,
	.stats_reset = vmdev_stats_reset,
	.xstats_get = vmdev_xstats_get,
	.xstats_get_names = vmdev_xstats_get_names,
	.xstats_reset = vmdev_stats_reset,
	.rx_queue_setup = vmdev_rx_queue_setup,
	.rx_queue_release = vmdev_rx_queue_release,
	.tx_queue_setup = vmdev_tx_queue_setup,
	.tx_queue_release = vmdev_tx_queue_release,
	.rxq_info_get = vmdev_rxq_info_get,
	.rx_queue_intr_enable = vmdev_rx_queue_intr_enable,
	.rx_queue_intr_disable = vmdev_rx_queue_intr_disable,
	.txq_info_get = vmdev_txq_info_get,
};

/* mdev driver */

static int
vmdev_port_init(struct rte_eth_dev *eth_dev, struct rte_mdev_device *mdev)
{
	struct vmdev_hw *hw;
	int ret;

	hw = rte_zmalloc_socket("vmdev_hw", sizeof(*hw), RTE_CACHE_LINE_SIZE,
		mdev->numa_node);
	eth_dev->data->mac_addrs = rte_zmalloc("vmdev_mac",
		RTE_ETHER_ADDR_LEN * VMDEV_MAX_MAC_ADDRS, 0);
	if (hw == NULL || eth_dev->data->mac_addrs == NULL) {
		rte_free(hw);
		return -ENOMEM;
	}
	eth_dev->data->dev_private = hw;
	hw->mdev = mdev;
	hw->ops = mdev->ops;
	hw->eth_dev = eth_dev;
	hw->has_vq_stats = (mdev->mdev_features &
		RTE_VIRTIO_MDEV_FEATURE(RTE_VIRTIO_MDEV_F_VQ_STATS)) != 0;
	strlcpy(hw->name, mdev->alias, sizeof(hw->name));

	ret = vmdev_parse_devargs(hw, mdev->args);
	if (ret != 0)
		return ret;
	ret = vmdev_device_probe(hw, eth_dev->data->mac_addrs);
	if (ret != 0)
		return ret;
	hw->vq_stats_base = rte_zmalloc("vmdev_vq_stats",
		sizeof(hw->vq_stats_base[0]) * 2 * hw->max_pairs, 0);
	if (hw->vq_stats_base == NULL)
		return -ENOMEM;
	/* Rings are allocated after this: they must be mapped already. */
	ret = vmdev_dma_setup(hw);
	if (ret != 0)
		return ret;
	ret = vmdev_ctrl_alloc(hw);
	if (ret != 0)
		vmdev_dma_teardown(hw);
	return ret;
}

static int
vmdev_probe(struct rte_mdev_device *mdev)
{
	struct rte_eth_dev *eth_dev;
	struct vmdev_hw *hw;
	int ret;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		VMDEV_LOG(ERR, mdev->alias,
			"secondary processes are not supported");
		return -ENOTSUP;
	}
	eth_dev = rte_eth_dev_allocate(mdev->alias);
	if (eth_dev == NULL) {
		VMDEV_LOG(ERR, mdev->alias,
			"cannot allocate an ethdev port of that name (name taken or no free port)");
		return -ENOMEM;
	}
	eth_dev->device = rte_mdev_app_device(mdev);
	eth_dev->dev_ops = &vmdev_eth_dev_ops;
	eth_dev->rx_pkt_burst = vmdev_burst_none;
	eth_dev->tx_pkt_burst = vmdev_burst_none;
	eth_dev->data->dev_flags |= RTE_ETH_DEV_INTR_LSC;
	if (mdev->numa_node >= 0)
		eth_dev->data->numa_node = mdev->numa_node;
	ret = vmdev_port_init(eth_dev, mdev);
	if (ret != 0) {
		hw = eth_dev->data->dev_private;
		if (hw != NULL)
			rte_free(hw->vq_stats_base);
		VMDEV_LOG(ERR, mdev->alias, "probe failed: %s", strerror(-ret));
		rte_eth_dev_release_port(eth_dev);
		return ret;
	}
	mdev->driver_priv = eth_dev;
	rte_eth_dev_probing_finish(eth_dev);
	hw = eth_dev->data->dev_private;
	VMDEV_LOG(INFO, hw->name,
		"port %u: " RTE_ETHER_ADDR_PRT_FMT ", %u queue pair(s), MTU up to %u, %s rings%s%s, %s rx buffers",
		eth_dev->data->port_id,
		RTE_ETHER_ADDR_BYTES(eth_dev->data->mac_addrs),
		hw->max_pairs, hw->max_mtu, hw->ring->name,
		vmdev_with(hw, VIRTIO_F_IN_ORDER) ? ", in order" : "",
		vmdev_with(hw, VIRTIO_RING_F_EVENT_IDX) ? ", event idx" : "",
		vmdev_with(hw, VIRTIO_NET_F_MRG_RXBUF) ? "mergeable" : "single");
	return 0;
}

/* Safe after the application closed the port itself. */
static int
vmdev_remove(struct rte_mdev_device *mdev)
{
	struct rte_eth_dev *eth_dev = rte_eth_dev_allocated(mdev->alias);
	uint16_t port;

	if (eth_dev == NULL || eth_dev->device != rte_mdev_app_device(mdev))
		return 0;
	port = eth_dev->data->port_id;
	if (eth_dev->data->dev_started)
		rte_eth_dev_stop(port);
	return rte_eth_dev_close(port);
}

static struct rte_mdev_driver vmdev_driver = {
	.class_id = RTE_MDEV_CLASS_ID_VIRTIO,
	.consumer = RTE_MDEV_CONSUMER_NET,
	.devargs_keys = vmdev_devargs_keys,
	.probe = vmdev_probe,
	.remove = vmdev_remove,
};

RTE_PMD_REGISTER_MDEV(net_virtio_mdev, vmdev_driver);
