/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * Telemetry: /mdev_sim/list names the sim devices (their aliases);
 * /mdev_sim/stats,<alias> gives a device's state and per-queue counters.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_telemetry.h>

#include "sim.h"
#include "sim_telemetry.h"

static const struct sim_tel_counter sim_tel_vq_counters[] = {
	SIM_TEL_COUNTER(struct rte_virtio_mdev_vq_stats, received_descs),
	SIM_TEL_COUNTER(struct rte_virtio_mdev_vq_stats, completed_descs),
	SIM_TEL_COUNTER(struct rte_virtio_mdev_vq_stats, bad_desc_errors),
	SIM_TEL_COUNTER(struct rte_virtio_mdev_vq_stats, exceed_max_chain),
	SIM_TEL_COUNTER(struct rte_virtio_mdev_vq_stats, invalid_buffer),
	SIM_TEL_COUNTER(struct rte_virtio_mdev_vq_stats, completion_errors),
};

static const struct sim_tel_counter sim_tel_net_counters[] = {
	SIM_TEL_COUNTER(struct sim_net_stats, rx_filtered),
	SIM_TEL_COUNTER(struct sim_net_stats, tx_csum_sw),
	SIM_TEL_COUNTER(struct sim_net_stats, tx_csum_passed),
	SIM_TEL_COUNTER(struct sim_net_stats, tx_bad_offload),
	SIM_TEL_COUNTER(struct sim_net_stats, tx_tso_sw),
	SIM_TEL_COUNTER(struct sim_net_stats, tx_gso_passed),
};

static int
sim_tel_list(const char *cmd __rte_unused, const char *params __rte_unused,
		struct rte_tel_data *t)
{
	struct sim_dev *d;

	rte_tel_data_start_array(t, RTE_TEL_STRING_VAL);
	sim_devs_lock();
	TAILQ_FOREACH(d, &sim_devs, next)
		rte_tel_data_add_array_string(t, d->mdev.alias);
	sim_devs_unlock();
	return 0;
}

static void
sim_tel_hex(struct rte_tel_data *t, const char *name, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	rte_tel_data_add_dict_string(t, name, buf);
}

static struct rte_tel_data *
sim_tel_queue(const struct sim_vq *vq)
{
	struct rte_tel_data *q = rte_tel_data_alloc();

	if (q == NULL)
		return NULL;
	rte_tel_data_start_dict(q);
	rte_tel_data_add_dict_int(q, "ready", vq->ready);
	rte_tel_data_add_dict_int(q, "broken", vq->broken);
	rte_tel_data_add_dict_u64(q, "size", vq->num);
	rte_tel_data_add_dict_u64(q, "avail_index", vq->last_avail);
	if (vq->packed) {
		/* Ring positions and wrap counters (packed layout). */
		rte_tel_data_add_dict_int(q, "avail_wrap", vq->avail_wrap);
		rte_tel_data_add_dict_u64(q, "used_index", vq->used_idx);
		rte_tel_data_add_dict_int(q, "used_wrap", vq->used_wrap);
	}
	sim_tel_add_counters(q, &vq->stats, sim_tel_vq_counters,
		RTE_DIM(sim_tel_vq_counters));
	return q;
}

/* Fill from a snapshot taken under the device lock. */
static void
sim_tel_fill(struct rte_tel_data *t, const struct sim_dev *d)
{
	char name[16];
	uint16_t i;

	rte_tel_data_start_dict(t);
	rte_tel_data_add_dict_string(t, "alias", d->mdev.alias);
	rte_tel_data_add_dict_string(t, "uuid", d->mdev.name);
	sim_tel_hex(t, "status", d->status);
	sim_tel_hex(t, "device_features", d->offered);
	sim_tel_hex(t, "driver_features", d->features);
	rte_tel_data_add_dict_int(t, "max_queue_pairs", d->p.queues);
	rte_tel_data_add_dict_int(t, "active_queue_pairs", d->active_pairs);
	rte_tel_data_add_dict_int(t, "promisc", d->rx_mode.promisc);
	rte_tel_data_add_dict_int(t, "allmulti", d->rx_mode.allmulti);
	sim_tel_add_counters(t, &d->net_stats, sim_tel_net_counters,
		RTE_DIM(sim_tel_net_counters));
	rte_tel_data_add_dict_string(t, "engine",
		d->engine.kind == SIM_ENGINE_SERVICE ? "service" :
		d->engine.kind == SIM_ENGINE_THREAD ? "thread" : "none");
	sim_wire_tel_fill(t, d);
	rte_tel_data_add_dict_int(t, "dirty_log", d->dlog.on);
	rte_tel_data_add_dict_u64(t, "dirty_log_beyond", d->dlog.beyond);
	for (i = 0; i < d->nb_vqs; i++) {
		struct rte_tel_data *q = sim_tel_queue(&d->vq[i]);

		snprintf(name, sizeof(name), "q%u", i);
		if (q != NULL)
			rte_tel_data_add_dict_container(t, name, q, 0);
	}
}

static int
sim_tel_stats(const char *cmd __rte_unused, const char *params,
		struct rte_tel_data *t)
{
	struct sim_dev *d, *snap;
	int ret = -EINVAL;

	if (params == NULL)
		return -EINVAL;
	/* Several telemetry clients may ask at once: one copy each. */
	snap = malloc(sizeof(*snap));
	if (snap == NULL)
		return -ENOMEM;
	sim_devs_lock();
	TAILQ_FOREACH(d, &sim_devs, next) {
		if (strcmp(d->mdev.alias, params) != 0 &&
				strcmp(d->mdev.name, params) != 0)
			continue;
		rte_spinlock_lock(&d->lock);
		memcpy(snap, d, sizeof(*snap));
		rte_spinlock_unlock(&d->lock);
		ret = 0;
		break;
	}
	sim_devs_unlock();
	if (ret == 0)
		sim_tel_fill(t, snap);
	free(snap);
	return ret;
}

RTE_INIT(sim_telemetry_init)
{
	rte_telemetry_register_cmd("/mdev_sim/list", sim_tel_list,
		"Returns the aliases of the sim devices. No parameters");
	rte_telemetry_register_cmd("/mdev_sim/stats", sim_tel_stats,
		"Returns a sim device's state and per-queue counters. Parameters: alias or UUID");
}
