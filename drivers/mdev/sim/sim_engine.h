/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

#ifndef SIM_ENGINE_H
#define SIM_ENGINE_H

/*
 * The engine that runs the sim device's queues: a DPDK service (on a
 * service lcore) or a thread of its own. Also the entry points tests use
 * to drive a device without any engine.
 */

#include <stdbool.h>

#include "rte_bus_mdev.h"

struct sim_dev;

/* Start the engine the devargs chose. 0 or a negative errno (logged). */
int sim_engine_start(struct sim_dev *d);
/* Stop it; the engine is no longer running when this returns. */
void sim_engine_stop(struct sim_dev *d);
/* One polling pass over every active queue pair and the control queue. */
int sim_engine_poll(struct sim_dev *d);

/*
 * For tests: devices probed while manual mode is on get no engine;
 * the test calls sim_engine_poll_mdev() to run one pass.
 */
void sim_engine_set_manual(bool manual);
int sim_engine_poll_mdev(struct rte_mdev_device *mdev);

#endif /* SIM_ENGINE_H */
