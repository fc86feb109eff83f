/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

#ifndef CONFORMANCE_H
#define CONFORMANCE_H

/*
 * The virtio-mdev conformance suite: cases that check a device against
 * the contract of rte_virtio_mdev.h and rte_bus_mdev.h. A case sees the
 * device under test only through struct rte_mdev_device (dev->ops,
 * dev->mdev_features, dev->uuid): it knows no parent, so every parent
 * (the sim, a kernel vhost-vdpa parent, ...) runs the same cases.
 */

#include <stdbool.h>
#include <stddef.h>

#include <rte_bus_mdev.h>

enum conf_verdict {
	CONF_PASS = 0,
	CONF_FAIL,
	CONF_SKIP,
};

/* What a case found: its verdict, why, and remarks worth reporting. */
struct conf_result {
	enum conf_verdict verdict;
	char why[512];
	char notes[1024];
};

struct conf_case {
	const char *name;
	/* Returns with res->verdict set; leaves the device reset and
	 * every mapping it made removed, whatever the verdict.
	 */
	void (*run)(struct rte_mdev_device *dev, struct conf_result *res);
};

/* How the device under test is set up (not discoverable through ops). */
struct conf_options {
	/* The wire delivers what tx of pair i sends to rx of pair i. */
	bool loopback;
};

extern struct conf_options conf_opts;

/* A section's cases (one table per conf_*.c file). */
struct conf_case_table {
	const struct conf_case *cases;
	const unsigned int *count;
};

/*
 * Device cases: the sections' tables in running order
 * (conformance_cases.c); bus cases (conformance_bus.c).
 */
extern const struct conf_case_table conf_device_tables[];
extern const unsigned int conf_device_tables_count;
extern const struct conf_case conf_bus_cases[];
extern const unsigned int conf_bus_cases_count;

/* Reporting helpers shared by the case files. */
void conf_fail(struct conf_result *res, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void conf_skip(struct conf_result *res, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void conf_note(struct conf_result *res, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Check a condition; on failure record where and why and jump to the
 * case's cleanup label "out". Cases therefore always clean up.
 */
#define CONF_CHECK(res, cond, ...) do { \
	if (!(cond)) { \
		conf_fail(res, __LINE__, __VA_ARGS__); \
		goto out; \
	} \
} while (0)

/* An int-returning op must return exactly "want". */
#define CONF_CHECK_RC(res, call, want) do { \
	int conf_rc_ = (call); \
	if (conf_rc_ != (want)) { \
		conf_fail(res, __LINE__, \
			"%s returned %d (%s), expected %d (%s)", \
			#call, conf_rc_, conf_errname(conf_rc_), (want), \
			conf_errname(want)); \
		goto out; \
	} \
} while (0)

/* "-EINVAL" for -EINVAL etc.: failure messages name the errno. */
const char *conf_errname(int rc);

#endif /* CONFORMANCE_H */
