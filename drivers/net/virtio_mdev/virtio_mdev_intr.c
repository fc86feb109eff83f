/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * Rx interrupts (intr_conf.rxq): one eventfd per rx queue, registered in
 * the port's interrupt handle as a vdev-type vector, so that
 * rte_eth_dev_rx_intr_ctl_q() and rte_epoll_wait() work as for any port.
 * The device's queue callback writes the eventfd; it only comes while
 * the application enabled the queue's interrupt, because the PMD keeps
 * device calls suppressed otherwise. The eventfds live from the first
 * start with rx interrupts until close (or a start with another number
 * of rx queues), so that epoll registrations survive stop and start.
 */

#include <errno.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <rte_interrupts.h>

#include "virtio_mdev.h"
#include "virtio_mdev_intr.h"
#include "virtio_mdev_logs.h"
#include "vq_common.h"

/* Device context: must not block; a full counter only loses a wake-up
 * that is pending anyway.
 */
static void
vmdev_rx_intr_cb(void *arg)
{
	struct vmdev_rxq *rxq = arg;
	uint64_t one = 1;

	if (write(rxq->intr_fd, &one, sizeof(one)) < 0) {
		/* EAGAIN: the counter is already non-zero. */
	}
}

void
vmdev_rx_intr_free(struct vmdev_hw *hw)
{
	struct rte_eth_dev *dev = hw->eth_dev;
	uint16_t i;
	int fd;

	if (hw->intr == NULL)
		return;
	for (i = 0; i < hw->nb_intr; i++) {
		struct vmdev_rxq *rxq = i < dev->data->nb_rx_queues ?
			dev->data->rx_queues[i] : NULL;

		fd = rte_intr_efds_index_get(hw->intr, i);
		if (fd >= 0)
			close(fd);
		if (rxq != NULL)
			rxq->intr_fd = -1;
	}
	rte_intr_vec_list_free(hw->intr);
	rte_intr_instance_free(hw->intr);
	hw->intr = NULL;
	hw->nb_intr = 0;
	dev->intr_handle = NULL;
}

static int
vmdev_rx_intr_alloc(struct vmdev_hw *hw, uint16_t n)
{
	struct rte_intr_handle *h;
	uint16_t i;
	int fd;

	h = rte_intr_instance_alloc(RTE_INTR_INSTANCE_F_PRIVATE);
	if (h == NULL)
		return -ENOMEM;
	hw->intr = h;
	/* EAL reads the 8-byte eventfd counter of a vdev vector. */
	if (rte_intr_type_set(h, RTE_INTR_HANDLE_VDEV) != 0 ||
			rte_intr_efd_counter_size_set(h, sizeof(uint64_t)) ||
			rte_intr_vec_list_alloc(h, "vmdev_intr_vec", n) != 0)
		goto fail;
	for (i = 0; i < n; i++) {
		fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (fd < 0) {
			VMDEV_LOG(ERR, hw->name,
				"rx queue %u: no eventfd for rx interrupts: %s",
				i, strerror(errno));
			goto fail;
		}
		rte_intr_efds_index_set(h, i, fd);
		hw->nb_intr = i + 1;
		rte_intr_vec_list_index_set(h, i, RTE_INTR_VEC_RXTX_OFFSET + i);
	}
	if (rte_intr_nb_efd_set(h, n) != 0 ||
			rte_intr_max_intr_set(h, n + 1) != 0)
		goto fail;
	hw->eth_dev->intr_handle = h;
	return 0;
fail:
	vmdev_rx_intr_free(hw);
	return -ENOMEM;
}

/* At start, after the queues were programmed: callbacks set, calls off. */
int
vmdev_rx_intr_start(struct vmdev_hw *hw)
{
	struct rte_eth_dev_data *data = hw->eth_dev->data;
	struct rte_virtio_mdev_callback cb = { .fn = vmdev_rx_intr_cb };
	uint16_t i;
	int ret;

	if (!data->dev_conf.intr_conf.rxq)
		return 0;
	if (hw->intr != NULL && hw->nb_intr != data->nb_rx_queues)
		vmdev_rx_intr_free(hw);
	if (hw->intr == NULL) {
		ret = vmdev_rx_intr_alloc(hw, data->nb_rx_queues);
		if (ret != 0)
			return ret;
	}
	for (i = 0; i < data->nb_rx_queues; i++) {
		struct vmdev_rxq *rxq = data->rx_queues[i];

		rxq->intr_fd = rte_intr_efds_index_get(hw->intr, i);
		cb.arg = rxq;
		hw->ops->set_vq_cb(hw->mdev, rxq->vq.qid, &cb);
	}
	return 0;
}

/* Before the reset: no callback may run once this returns. */
void
vmdev_rx_intr_stop(struct vmdev_hw *hw)
{
	struct rte_eth_dev_data *data = hw->eth_dev->data;
	uint16_t i;

	if (hw->intr == NULL)
		return;
	for (i = 0; i < data->nb_rx_queues; i++) {
		struct vmdev_rxq *rxq = data->rx_queues[i];

		if (rxq != NULL && rxq->intr_fd >= 0)
			hw->ops->set_vq_cb(hw->mdev, rxq->vq.qid, NULL);
	}
}

static struct vmdev_rxq *
vmdev_intr_rxq(struct rte_eth_dev *dev, uint16_t queue_id)
{
	struct vmdev_hw *hw = dev->data->dev_private;
	struct vmdev_rxq *rxq = dev->data->rx_queues[queue_id];

	if (!hw->started || rxq == NULL || rxq->intr_fd < 0) {
		VMDEV_LOG(ERR, hw->name,
			"rx queue %u: no rx interrupt (configure intr_conf.rxq = 1 and start the port)",
			queue_id);
		return NULL;
	}
	return rxq;
}

int
vmdev_rx_queue_intr_enable(struct rte_eth_dev *dev, uint16_t queue_id)
{
	struct vmdev_hw *hw = dev->data->dev_private;
	struct vmdev_rxq *rxq = vmdev_intr_rxq(dev, queue_id);
	bool pending;

	if (rxq == NULL)
		return -EINVAL;
	pending = hw->ring->intr_enable(&rxq->vq);
	/* Packets that came before the enable raise no call: wake now. */
	if (pending)
		vmdev_rx_intr_cb(rxq);
	return 0;
}

int
vmdev_rx_queue_intr_disable(struct rte_eth_dev *dev, uint16_t queue_id)
{
	struct vmdev_hw *hw = dev->data->dev_private;
	struct vmdev_rxq *rxq = vmdev_intr_rxq(dev, queue_id);

	if (rxq == NULL)
		return -EINVAL;
	hw->ring->intr_disable(&rxq->vq);
	return 0;
}
