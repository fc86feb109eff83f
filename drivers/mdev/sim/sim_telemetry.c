/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * Telemetry: /mdev_sim/list names the sim devices (their aliases);
 * /mdev_sim/stats,<alias> gives a device's state and per-queue counters;
 * /mdev_sim/link,<alias>,up|down forces a device's link down (sim_wire.h).
 */

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_telemetry.h>

#include "sim.h"

struct sim_tel_counter {
	const char *name;
	size_t off;		/* of a uint64_t in the structure */
};

#define SIM_TEL_COUNTER(type, field) { #field, offsetof(type, field) }

/* Counters of a statistics structure (all uint64_t), by field name. */
static void
sim_tel_add_counters(struct rte_tel_data *t, const void *stats,
		const struct sim_tel_counter *c, unsigned int n)
{
	unsigned int i;
	uint64_t v;

	for (i = 0; i < n; i++) {
		memcpy(&v, (const char *)stats + c[i].off, sizeof(v));
		rte_tel_data_add_dict_u64(t, c[i].name, v);
	}
}

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

static const struct sim_tel_counter sim_wire_tel_counters[] = {
	SIM_TEL_COUNTER(struct sim_wire_stats, tx_packets),
	SIM_TEL_COUNTER(struct sim_wire_stats, tx_bytes),
	SIM_TEL_COUNTER(struct sim_wire_stats, tx_drops),
	SIM_TEL_COUNTER(struct sim_wire_stats, tx_nombuf),
	SIM_TEL_COUNTER(struct sim_wire_stats, rx_packets),
	SIM_TEL_COUNTER(struct sim_wire_stats, rx_bytes),
	SIM_TEL_COUNTER(struct sim_wire_stats, rx_delivered),
	SIM_TEL_COUNTER(struct sim_wire_stats, rx_nobuf_drops),
	SIM_TEL_COUNTER(struct sim_wire_stats, link_changes),
};

/* The link and the wire in /mdev_sim/stats. */
static void
sim_wire_tel_fill(struct rte_tel_data *t, const struct sim_dev *d)
{
	const struct sim_wire *w = &d->wire;
	struct rte_tel_data *c;

	rte_tel_data_add_dict_string(t, "link",
		rte_le_to_cpu_16(d->cfg.status) & VIRTIO_NET_S_LINK_UP ?
		"up" : "down");
	rte_tel_data_add_dict_int(t, "link_forced_down", w->forced_down);
	rte_tel_data_add_dict_string(t, "wire",
		w->ethdev ? w->name : "loopback");
	if (!w->ethdev)
		return;
	c = rte_tel_data_alloc();
	if (c == NULL)
		return;
	rte_tel_data_start_dict(c);
	rte_tel_data_add_dict_int(c, "port_id", w->port_id);
	rte_tel_data_add_dict_int(c, "queues", w->nb_queues);
	rte_tel_data_add_dict_int(c, "port_gone", w->port_gone);
	rte_tel_data_add_dict_string(c, "port_link",
		w->port_link_up ? "up" : "down");
	sim_tel_add_counters(c, &w->stats, sim_wire_tel_counters,
		RTE_DIM(sim_wire_tel_counters));
	rte_tel_data_add_dict_container(t, "wire_stats", c, 0);
}

/*
 * /mdev_sim/link,<alias or UUID>,up|down: force a device's link down, or
 * let it follow its wire again (always up for the loopback). Telemetry is
 * read-only by convention; this one command is there for tests (LSC).
 */
static int
sim_tel_link(const char *cmd __rte_unused, const char *params,
		struct rte_tel_data *t)
{
	char alias[RTE_MDEV_NAME_LEN];
	const char *comma;
	struct sim_dev *d;
	bool up, found = false;

	if (params == NULL)
		return -EINVAL;
	comma = strrchr(params, ',');
	if (comma == NULL || (size_t)(comma - params) >= sizeof(alias))
		return -EINVAL;
	if (strcmp(comma + 1, "up") == 0)
		up = true;
	else if (strcmp(comma + 1, "down") == 0)
		up = false;
	else
		return -EINVAL;
	memcpy(alias, params, comma - params);
	alias[comma - params] = '\0';
	sim_devs_lock();
	TAILQ_FOREACH(d, &sim_devs, next) {
		if (strcmp(d->mdev.alias, alias) != 0 &&
				strcmp(d->mdev.name, alias) != 0)
			continue;
		sim_wire_link_force(d, up);
		found = true;
		break;
	}
	sim_devs_unlock();
	if (!found)
		return -EINVAL;
	rte_tel_data_start_dict(t);
	rte_tel_data_add_dict_string(t, "alias", alias);
	rte_tel_data_add_dict_string(t, "link_forced", up ? "no" : "down");
	return 0;
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
	rte_telemetry_register_cmd("/mdev_sim/link", sim_tel_link,
		"Forces a sim device's link down, or lets it follow its wire again. Parameters: alias or UUID, then up or down");
}
