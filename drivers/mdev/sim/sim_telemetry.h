/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

#ifndef SIM_TELEMETRY_H
#define SIM_TELEMETRY_H

/*
 * Counters of a statistics structure (all uint64_t) listed once, by
 * field name, and added to a telemetry dictionary under that name.
 */

#include <stddef.h>

#include <rte_telemetry.h>

struct sim_tel_counter {
	const char *name;
	size_t off;		/* of a uint64_t in the structure */
};

#define SIM_TEL_COUNTER(type, field) { #field, offsetof(type, field) }

void sim_tel_add_counters(struct rte_tel_data *t, const void *stats,
		const struct sim_tel_counter *c, unsigned int n);

#endif /* SIM_TELEMETRY_H */
