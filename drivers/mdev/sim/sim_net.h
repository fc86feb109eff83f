/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

#ifndef SIM_NET_H
#define SIM_NET_H

/* virtio-net on top of the split ring engine: the wire and the ctrl queue. */

#include "sim.h"

/*
 * One pass over queue pair "pair": tx chains looped back to its rx.
 * Returns the number of tx chains taken.
 */
int sim_net_pair_poll(struct sim_dev *d, uint16_t pair);

/*
 * Answer pending control queue commands. from_kick: called on the
 * driver's thread, so the queue callback is left to the engine.
 */
void sim_net_ctrl_poll(struct sim_dev *d, bool from_kick);

#endif /* SIM_NET_H */
