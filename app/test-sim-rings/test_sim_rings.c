/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * test-sim-rings: the sim parent's device-side ring engine, without a
 * consumer driver. One line per case, "PASS name" or "FAIL name: why";
 * exit status 1 if any case failed.
 */

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_eal.h>
#include <rte_errno.h>

#include "sim_engine.h"
#include "test_sim.h"

static unsigned int failed;

static void
run(struct ctx *c, const struct test_case *tc, unsigned int n)
{
	unsigned int i;
	int ret;

	for (i = 0; i < n; i++) {
		c->why[0] = '\0';
		ret = tc[i].fn(c);
		if (ret == 0 && strncmp(c->why, "SKIP", 4) == 0) {
			printf("SKIP %s: %s\n", tc[i].name, c->why + 6);
		} else if (ret == 0) {
			printf("PASS %s\n", tc[i].name);
		} else {
			printf("FAIL %s: %s\n", tc[i].name, c->why);
			failed++;
		}
		fflush(stdout);
	}
}

/* No hugepages, no shared files: runs beside other DPDK processes. */
static int
eal_init(const char *prog)
{
	static char prefix[64];
	char *argv[16];
	int argc = 0;

	have_service_lcore = sysconf(_SC_NPROCESSORS_ONLN) >= 2;
	argv[argc++] = (char *)(uintptr_t)prog;
	argv[argc++] = (char *)(uintptr_t)"--no-huge";
	argv[argc++] = (char *)(uintptr_t)"-m";
	argv[argc++] = (char *)(uintptr_t)"64";
	argv[argc++] = (char *)(uintptr_t)"--no-pci";
	argv[argc++] = (char *)(uintptr_t)"--no-shconf";
	snprintf(prefix, sizeof(prefix), "--file-prefix=sim-rings-%d",
		(int)getpid());
	argv[argc++] = prefix;
	argv[argc++] = (char *)(uintptr_t)"--no-telemetry";
	argv[argc++] = (char *)(uintptr_t)"-l";
	argv[argc++] = (char *)(uintptr_t)(have_service_lcore ? "0,1" : "0");
	if (have_service_lcore) {
		argv[argc++] = (char *)(uintptr_t)"-s";
		argv[argc++] = (char *)(uintptr_t)"0x2";
	}
	argv[argc] = NULL;
	return rte_eal_init(argc, argv);
}

int
main(int argc __rte_unused, char **argv)
{
	struct ctx c;
	int i;

	if (eal_init(argv[0]) < 0) {
		printf("FAIL eal_init: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	memset(&c, 0, sizeof(c));
	for (i = 0; i < G_NB_REGIONS; i++) {
		g_mem[i] = aligned_alloc(4096, G_REGION_SIZE);
		if (g_mem[i] == NULL)
			return 1;
	}
	sim_engine_set_manual(true);
	if (rte_vdev_init("mdev_simT", "class=vdpa,queues=2,queue_size=64,packed_vq=1") ||
			(c.dev = rte_mdev_find("mdev_simT")) == NULL) {
		printf("FAIL create: no mdev_simT\n");
		return 1;
	}
	c.ops = c.dev->ops;
	if (g_map(&c) != 0) {
		printf("FAIL dma_map of guest memory\n");
		return 1;
	}
	run(&c, ops_cases, nb_ops_cases);
	run(&c, good_cases, nb_good_cases);
	run(&c, log_cases, nb_log_cases);
	run(&c, hostile_cases, nb_hostile_cases);
	run(&c, packed_cases, nb_packed_cases);
	run(&c, life_cases, nb_life_cases);
	run(&c, filter_cases, nb_filter_cases);
	run(&c, offload_cases, nb_offload_cases);
	run(&c, wire_cases, nb_wire_cases);
	run(&c, fuzz_cases, nb_fuzz_cases);
	/* mdev_simT goes with EAL cleanup (vdev bus, then mdev bus). */
	rte_eal_cleanup();
	for (i = 0; i < G_NB_REGIONS; i++)
		free(g_mem[i]);
	printf("%s: %u failed\n", failed ? "FAIL" : "PASS", failed);
	return failed ? 1 : 0;
}
