/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * The device cases, assembled from the sections' tables. Each checks one
 * promise of rte_virtio_mdev.h through dev->ops only. A case starts from
 * a reset device, builds whatever rings it needs in memory of its own
 * (malloc, mapped with dma_map) and leaves the device reset with its
 * mappings removed, so cases are independent of each other except
 * "status_new", which must run first.
 *
 *   conf_status.c    identity, status machine, features, reset
 *   conf_queue.c     queue setup and state, packed sizes and state
 *   conf_config.c    config space and the config callback
 *   conf_dma.c       dma_map/dma_unmap, address spaces
 *   conf_hostile.c   kicks and qids out of range, broken chains
 *   conf_datapath.c  data path, callbacks, quiescing (split and packed)
 *   conf_features.c  vq_stats, log_dirty, the control queue
 *   conf_ring.c      the driver side of split and packed rings
 *   conf_common.c    negotiation, memory, callbacks, waits
 */

#include <rte_common.h>

#include "conf_common.h"

struct conf_options conf_opts = {
	.loopback = true,
};

#define TABLE(sec) { conf_ ## sec ## _cases, &conf_ ## sec ## _cases_count }

const struct conf_case_table conf_device_tables[] = {
	TABLE(status),		/* first: status_new sees a new device */
	TABLE(queue),
	TABLE(config),
	TABLE(dma),
	TABLE(hostile),
	TABLE(datapath),
	TABLE(features),
};

const unsigned int conf_device_tables_count = RTE_DIM(conf_device_tables);
