/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_log.h>

#include "fuzz_common.h"

void
fuzz_quiet_logs(void)
{
	rte_log_set_global_level(getenv("FUZZ_VERBOSE") != NULL ?
		RTE_LOG_DEBUG : RTE_LOG_EMERG);
}

/*
 * EAL leaves its runtime directory (empty without shared files) behind:
 * remove it at exit, or every run would add one.
 */
static void
remove_runtime_dir(void)
{
	rmdir(rte_eal_get_runtime_dir());
}

void
fuzz_eal_init(const char *prog)
{
	static char prefix[64];
	char *argv[16];
	int argc = 0;

	snprintf(prefix, sizeof(prefix), "--file-prefix=fuzz-%d",
		(int)getpid());
	argv[argc++] = (char *)(uintptr_t)prog;
	argv[argc++] = (char *)(uintptr_t)"--no-huge";
	argv[argc++] = (char *)(uintptr_t)"-m";
	argv[argc++] = (char *)(uintptr_t)"64";
	argv[argc++] = (char *)(uintptr_t)"--no-pci";
	argv[argc++] = (char *)(uintptr_t)"--no-shconf";
	argv[argc++] = prefix;
	argv[argc++] = (char *)(uintptr_t)"--no-telemetry";
	argv[argc++] = (char *)(uintptr_t)"-l";
	argv[argc++] = (char *)(uintptr_t)"0";
	argv[argc++] = (char *)(uintptr_t)(getenv("FUZZ_VERBOSE") != NULL ?
		"--log-level=7" : "--log-level=1");
	argv[argc] = NULL;
	if (rte_eal_init(argc, argv) < 0) {
		fprintf(stderr, "fuzz: rte_eal_init failed: %s\n",
			rte_strerror(rte_errno));
		exit(1);
	}
	atexit(remove_runtime_dir);
	fuzz_quiet_logs();
}
