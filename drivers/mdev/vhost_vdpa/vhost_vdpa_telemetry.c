/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * /mdev_vhost_vdpa/devices: the kernel's vhost-vdpa character devices on
 * the machine, what they are, and which of them this process serves, so
 * that a user finds what to give as path=.
 */

#include <glob.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <rte_common.h>
#include <rte_string_fns.h>
#include <rte_telemetry.h>

#include "vhost_vdpa.h"

/* "vdpa0 mgmtdev=vdpasim_net user=mdev_vhost_vdpa0" for one device. */
static void
vv_tel_describe(const char *path, char *buf, size_t size)
{
	char link[PATH_MAX], real[PATH_MAX], up[PATH_MAX];
	char user[RTE_DEV_NAME_MAX_LEN];
	const char *kname = "?", *mgmt = "?";
	struct stat st;
	char *vdpa;

	if (stat(path, &st) == 0) {
		snprintf(link, sizeof(link), "/sys/dev/char/%u:%u",
			major(st.st_rdev), minor(st.st_rdev));
		if (realpath(link, real) != NULL) {
			vdpa = dirname(real);
			kname = basename(vdpa);
			strlcpy(up, vdpa, sizeof(up));
			mgmt = basename(dirname(up));
		}
	}
	if (!vv_user_of(path, user, sizeof(user)))
		strlcpy(user, "-", sizeof(user));
	snprintf(buf, size, "%s mgmtdev=%s user=%s", kname, mgmt, user);
}

static int
vv_tel_devices(const char *cmd __rte_unused, const char *params __rte_unused,
		struct rte_tel_data *d)
{
	char desc[RTE_TEL_MAX_STRING_LEN];
	glob_t g;
	size_t i;

	rte_tel_data_start_dict(d);
	if (glob("/dev/vhost-vdpa-*", 0, NULL, &g) != 0)
		return 0;
	for (i = 0; i < g.gl_pathc; i++) {
		vv_tel_describe(g.gl_pathv[i], desc, sizeof(desc));
		rte_tel_data_add_dict_string(d, g.gl_pathv[i], desc);
	}
	globfree(&g);
	return 0;
}

RTE_INIT(vv_telemetry_init)
{
	rte_telemetry_register_cmd("/mdev_vhost_vdpa/devices", vv_tel_devices,
		"Returns the kernel's vhost-vdpa devices: path, kernel name, management device, and the vdev of this process using it. No parameters");
}
