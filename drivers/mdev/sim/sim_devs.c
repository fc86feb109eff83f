/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * What every layer of the sim uses and nothing it calls: its log type
 * and the list of its devices (added and removed by sim_vdev.c, read by
 * telemetry).
 */

#include <pthread.h>

#include "sim.h"

RTE_LOG_REGISTER(sim_logtype, mdev.sim, NOTICE);

struct sim_dev_list sim_devs = TAILQ_HEAD_INITIALIZER(sim_devs);
static pthread_mutex_t sim_devs_mutex = PTHREAD_MUTEX_INITIALIZER;

void
sim_devs_lock(void)
{
	pthread_mutex_lock(&sim_devs_mutex);
}

void
sim_devs_unlock(void)
{
	pthread_mutex_unlock(&sim_devs_mutex);
}
