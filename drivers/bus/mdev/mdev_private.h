/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

#ifndef MDEV_PRIVATE_H
#define MDEV_PRIVATE_H

#include <errno.h>
#include <inttypes.h>

#include <rte_errno.h>
#include <rte_log.h>

#include "rte_bus_mdev.h"

extern int mdev_bus_logtype;
#define MDEV_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, mdev_bus_logtype, "mdev: " fmt "\n", \
		##__VA_ARGS__)

TAILQ_HEAD(mdev_device_list, rte_mdev_device);
TAILQ_HEAD(mdev_driver_list, rte_mdev_driver);

/* The bus's lists; only touched from control threads. */
extern struct mdev_device_list mdev_devices;
extern struct mdev_driver_list mdev_drivers;

#endif /* MDEV_PRIVATE_H */
