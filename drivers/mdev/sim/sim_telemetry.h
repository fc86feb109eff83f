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
#include <stdint.h>
#include <string.h>

#include <rte_telemetry.h>

struct sim_tel_counter {
	const char *name;
	size_t off;		/* of a uint64_t in the structure */
};

#define SIM_TEL_COUNTER(type, field) { #field, offsetof(type, field) }

static inline void
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

#endif /* SIM_TELEMETRY_H */
