/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

#ifndef VDPA_APP_H
#define VDPA_APP_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include <rte_vdpa.h>

#define APP_MAX_PORTS 64
#define APP_PATH_LEN 108	/* sun_path of a unix socket */

/* One vhost-user socket served by one vDPA device. */
struct app_port {
	char path[APP_PATH_LEN];
	struct rte_vdpa_device *dev;
	int vid;		/* connected front end, -1 if none */
	int nb_stats;		/* names below, 0 until first needed */
	struct rte_vdpa_stat_name *stat_names;
	struct rte_vdpa_stat *stats;
};

extern struct app_port app_ports[APP_MAX_PORTS];
extern volatile sig_atomic_t app_quit;

/* main.c */
struct rte_vdpa_device *app_find_device(const char *name);
const char *app_device_name(struct rte_vdpa_device *dev);
int app_port_create(const char *path, struct rte_vdpa_device *dev);
struct app_port *app_port_of_device(struct rte_vdpa_device *dev);
/* Print a port's statistics (qid < 0: every queue) with out(). */
int app_port_stats(struct app_port *port, int qid,
		void (*out)(void *ctx, const char *line), void *ctx);
void app_list_devices(void (*out)(void *ctx, const char *line), void *ctx);
void app_tick(void);

/* commands.c */
int app_interactive(void);

#endif /* VDPA_APP_H */
