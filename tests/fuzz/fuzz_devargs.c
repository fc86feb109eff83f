/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * fuzz_devargs: the sim's devargs parser (sim_parse_devargs) and the
 * bus's (rte_mdev_check_devargs, rte_mdev_parse_class) on arbitrary
 * strings. The input is the devargs string; a first byte 0xff selects a
 * device name from the input as well (up to the first '\n').
 * What a successful parse gives must be within the documented ranges.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "sim.h"

#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc __rte_unused, char ***argv __rte_unused)
{
	/* No EAL: kvargs and logs work without it, as at probe time. */
	fuzz_quiet_logs();
	return 0;
}

static void
bad(const char *what, const char *args)
{
	fprintf(stderr, "fuzz_devargs: %s for \"%s\"\n", what, args);
	abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char * const keys[] = { "queues", "mtu", NULL };
	enum rte_mdev_consumer consumer;
	char name[RTE_DEV_NAME_MAX_LEN] = "mdev_sim0";
	struct sim_params p;
	char *args, *nl;
	size_t n;
	int ret;

	/* Exactly the bytes given, NUL-terminated (ASan sees an overread). */
	args = malloc(size + 1);
	if (args == NULL)
		return 0;
	memcpy(args, data, size);
	args[size] = '\0';
	if (size > 0 && (uint8_t)args[0] == 0xff &&
			(nl = strchr(args + 1, '\n')) != NULL) {
		n = RTE_MIN((size_t)(nl - args - 1), sizeof(name) - 1);
		memcpy(name, args + 1, n);
		name[n] = '\0';
		memmove(args, nl + 1, strlen(nl + 1) + 1);
	}

	ret = sim_parse_devargs(name, args, &p);
	if (ret == 0) {
		if (p.queues < 1 || p.queues > SIM_MAX_PAIRS)
			bad("queues out of range", args);
		if (p.queue_size < SIM_QSIZE_MIN ||
				p.queue_size > SIM_QSIZE_MAX ||
				!rte_is_power_of_2(p.queue_size))
			bad("queue_size out of range", args);
		if (p.mtu < SIM_MTU_MIN || p.mtu > SIM_MTU_MAX)
			bad("mtu out of range", args);
		if (p.consumer != RTE_MDEV_CONSUMER_NET &&
				p.consumer != RTE_MDEV_CONSUMER_VDPA)
			bad("consumer out of range", args);
		if (p.wire[sizeof(p.wire) - 1] != '\0' ||
				memchr(p.wire, '\0', sizeof(p.wire)) == NULL)
			bad("wire name not terminated", args);
		if (p.cpu < -1)
			bad("cpu out of range", args);
	} else if (ret != -EINVAL) {
		bad("unexpected error", args);
	}
	ret = rte_mdev_check_devargs(name, args, keys);
	if (ret != 0 && ret != -EINVAL)
		bad("check_devargs: unexpected error", args);
	ret = rte_mdev_parse_class(name, args, &consumer);
	if (ret == 0 && consumer != RTE_MDEV_CONSUMER_NET &&
			consumer != RTE_MDEV_CONSUMER_VDPA)
		bad("parse_class: consumer out of range", args);
	free(args);
	return 0;
}
