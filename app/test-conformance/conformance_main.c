/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * mdev-conformance: create one mdev device from a devargs string, run
 * every conformance case against it and print one line per case.
 *
 *   mdev-conformance [--devargs NAME[,KEY=VAL...]] [--alias NAME]
 *                    [--case NAME]... [--no-loopback] [--list]
 *                    [-- EAL arguments]
 *
 * The device must stay unbound on the mdev bus (no consumer driver for
 * its class= loaded) so that this program is its only user.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_bus_vdev.h>
#include <rte_common.h>
#include <rte_eal.h>
#include <rte_string_fns.h>

#include "conformance.h"

#define DEFAULT_DEVARGS "mdev_simconf,class=vdpa"
#define MAX_SELECTED 64

static const char * const default_eal_args[] = {
	"--no-huge", "--no-shconf", "--no-pci", "--no-telemetry",
	"-m", "64", "-l", "0",
	"--log-level=lib.eal:warning",
};

static const char *
verdict_name(enum conf_verdict v)
{
	return v == CONF_PASS ? "PASS" : v == CONF_FAIL ? "FAIL" : "SKIP";
}

void
conf_fail(struct conf_result *res, int line, const char *fmt, ...)
{
	size_t n;
	va_list ap;

	/* The first failure is the one worth reading. */
	if (res->verdict == CONF_FAIL)
		return;
	res->verdict = CONF_FAIL;
	n = (size_t)snprintf(res->why, sizeof(res->why), "(line %d) ", line);
	if (n >= sizeof(res->why))
		return;
	va_start(ap, fmt);
	vsnprintf(res->why + n, sizeof(res->why) - n, fmt, ap);
	va_end(ap);
}

void
conf_skip(struct conf_result *res, const char *fmt, ...)
{
	va_list ap;

	if (res->verdict == CONF_FAIL)
		return;
	res->verdict = CONF_SKIP;
	va_start(ap, fmt);
	vsnprintf(res->why, sizeof(res->why), fmt, ap);
	va_end(ap);
}

void
conf_note(struct conf_result *res, const char *fmt, ...)
{
	size_t n = strlen(res->notes);
	va_list ap;

	if (n > 0 && n + 2 < sizeof(res->notes)) {
		strcat(res->notes, "; ");
		n += 2;
	}
	if (n >= sizeof(res->notes) - 1)
		return;
	va_start(ap, fmt);
	vsnprintf(res->notes + n, sizeof(res->notes) - n, fmt, ap);
	va_end(ap);
}

const char *
conf_errname(int rc)
{
	static char buf[16];

	switch (rc) {
	case 0: return "ok";
	case -EINVAL: return "-EINVAL";
	case -EBUSY: return "-EBUSY";
	case -EEXIST: return "-EEXIST";
	case -ENOENT: return "-ENOENT";
	case -ENOSPC: return "-ENOSPC";
	case -EFAULT: return "-EFAULT";
	case -ENOMEM: return "-ENOMEM";
	case -ENOTSUP: return "-ENOTSUP";
	case -ETIMEDOUT: return "-ETIMEDOUT";
	default:
		snprintf(buf, sizeof(buf), "%d", rc);
		return buf;
	}
}

struct app {
	const char *devargs;
	const char *alias;
	const char *selected[MAX_SELECTED];
	unsigned int nselected;
	bool list;
	int eal_argc;
	char **eal_argv;
};

static void
usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [--devargs NAME[,KEY=VAL...]] [--alias NAME]\n"
		"          [--case NAME]... [--no-loopback] [--list] "
		"[-- EAL args]\n"
		"  --devargs     vdev creating the device under test "
		"(default \"%s\")\n"
		"  --alias       the device's mdev alias (default: the vdev "
		"name)\n"
		"  --case        run only this case (repeatable)\n"
		"  --no-loopback the device's wire does not loop tx back to "
		"rx\n"
		"  --list        list the cases and exit\n"
		"  EAL args after -- replace the defaults (--no-huge "
		"--no-shconf --no-pci --no-telemetry -m 64 -l 0)\n",
		prog, DEFAULT_DEVARGS);
}

static int
parse_args(int argc, char **argv, struct app *app)
{
	static char *eal_argv[64];
	int i, n = 0;

	app->devargs = DEFAULT_DEVARGS;
	eal_argv[n++] = argv[0];
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0) {
			for (i++; i < argc && n < (int)RTE_DIM(eal_argv) - 1;
					i++)
				eal_argv[n++] = argv[i];
			break;
		} else if (strcmp(a, "--devargs") == 0 && i + 1 < argc) {
			app->devargs = argv[++i];
		} else if (strcmp(a, "--alias") == 0 && i + 1 < argc) {
			app->alias = argv[++i];
		} else if (strcmp(a, "--case") == 0 && i + 1 < argc) {
			if (app->nselected == MAX_SELECTED)
				return -1;
			app->selected[app->nselected++] = argv[++i];
		} else if (strcmp(a, "--no-loopback") == 0) {
			conf_opts.loopback = false;
		} else if (strcmp(a, "--list") == 0) {
			app->list = true;
		} else {
			fprintf(stderr, "unknown argument '%s'\n", a);
			return -1;
		}
	}
	if (n == 1) {
		for (i = 0; i < (int)RTE_DIM(default_eal_args); i++)
			eal_argv[n++] = (char *)(uintptr_t)default_eal_args[i];
	}
	eal_argv[n] = NULL;
	app->eal_argc = n;
	app->eal_argv = eal_argv;
	return 0;
}

static bool
selected(const struct app *app, const char *name)
{
	unsigned int i;

	if (app->nselected == 0)
		return true;
	for (i = 0; i < app->nselected; i++)
		if (strcmp(app->selected[i], name) == 0)
			return true;
	return false;
}

struct tally {
	unsigned int pass, fail, skip;
};

static void
run_cases(const struct app *app, struct rte_mdev_device *dev,
	const struct conf_case *cases, unsigned int count, struct tally *t)
{
	struct conf_result res;
	unsigned int i;

	for (i = 0; i < count; i++) {
		if (!selected(app, cases[i].name))
			continue;
		memset(&res, 0, sizeof(res));
		res.verdict = CONF_PASS;
		cases[i].run(dev, &res);
		if (res.verdict == CONF_PASS)
			printf("PASS %s\n", cases[i].name);
		else
			printf("%s %s: %s\n", verdict_name(res.verdict),
				cases[i].name, res.why);
		if (res.notes[0] != '\0')
			printf("NOTE %s: %s\n", cases[i].name, res.notes);
		fflush(stdout);
		t->pass += res.verdict == CONF_PASS;
		t->fail += res.verdict == CONF_FAIL;
		t->skip += res.verdict == CONF_SKIP;
	}
}

/* "name,args" -> rte_vdev_init(name, args). */
static int
create_device(const char *devargs, char *name, size_t len)
{
	const char *comma = strchr(devargs, ',');
	size_t n = comma ? (size_t)(comma - devargs) : strlen(devargs);
	int rc;

	if (n == 0 || n >= len) {
		fprintf(stderr, "bad --devargs '%s': expected "
			"NAME[,KEY=VAL...]\n", devargs);
		return -EINVAL;
	}
	memcpy(name, devargs, n);
	name[n] = '\0';
	rc = rte_vdev_init(name, comma ? comma + 1 : NULL);
	if (rc != 0)
		fprintf(stderr, "rte_vdev_init(%s, %s) failed: %d (no vdev "
			"driver whose name prefixes '%s'? load the parent with "
			"-d after --)\n", name, comma ? comma + 1 : "", rc,
			name);
	return rc;
}

int
main(int argc, char **argv)
{
	char name[RTE_DEV_NAME_MAX_LEN];
	struct rte_mdev_device *dev;
	struct app app = { .devargs = NULL };
	struct tally t = { 0, 0, 0 };
	unsigned int i, j;
	int rc;

	if (parse_args(argc, argv, &app) != 0) {
		usage(argv[0]);
		return 2;
	}
	if (app.list) {
		for (j = 0; j < conf_device_tables_count; j++)
			for (i = 0; i < *conf_device_tables[j].count; i++)
				printf("%s\n",
					conf_device_tables[j].cases[i].name);
		for (i = 0; i < conf_bus_cases_count; i++)
			printf("%s\n", conf_bus_cases[i].name);
		return 0;
	}
	if (rte_eal_init(app.eal_argc, app.eal_argv) < 0) {
		fprintf(stderr, "EAL initialisation failed\n");
		return 2;
	}
	if (create_device(app.devargs, name, sizeof(name)) != 0) {
		rte_eal_cleanup();
		return 2;
	}
	dev = rte_mdev_find(app.alias ? app.alias : name);
	if (dev == NULL) {
		fprintf(stderr, "no mdev device '%s' after creating '%s' "
			"(use --alias if its alias is not the vdev name)\n",
			app.alias ? app.alias : name, app.devargs);
		rc = 2;
		goto out;
	}
	if (dev->device.driver != NULL) {
		fprintf(stderr, "device %s is bound to consumer '%s': the "
			"suite must be its only user (pick a class= whose "
			"consumer is not loaded)\n", dev->alias,
			dev->device.driver->name);
		rc = 2;
		goto out;
	}
	printf("device under test: alias %s uuid %s type %s mdev features "
		"0x%" PRIx64 " virtio features 0x%" PRIx64 "%s\n", dev->alias,
		dev->name, dev->type, dev->mdev_features,
		dev->ops->get_features(dev), conf_opts.loopback ? "" :
		" (no loopback wire)");
	for (i = 0; i < conf_device_tables_count; i++)
		run_cases(&app, dev, conf_device_tables[i].cases,
			*conf_device_tables[i].count, &t);
	run_cases(&app, dev, conf_bus_cases, conf_bus_cases_count, &t);
	printf("conformance: %u passed, %u failed, %u skipped\n",
		t.pass, t.fail, t.skip);
	rc = t.fail ? 1 : 0;
out:
	rte_vdev_uninit(name);
	rte_eal_cleanup();
	return rc;
}
