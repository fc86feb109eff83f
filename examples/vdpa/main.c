/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * vDPA example: serves vhost-user sockets with vDPA devices. Each front
 * end (a QEMU guest, DPDK's virtio-user) that connects to a socket gets
 * the device attached to it; the device then serves the front end's own
 * virtqueues and this program only watches (connect/disconnect,
 * statistics).
 *
 *   vdpa-mdev [EAL options] -- --iface <prefix> [--client]
 *             [--interactive] [--stats-period N]
 *
 * Without --interactive every vDPA device gets a socket <prefix><N> and
 * the program serves until SIGINT or SIGTERM.
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_dev.h>
#include <rte_eal.h>
#include <rte_string_fns.h>
#include <rte_vhost.h>

#include "vdpa_app.h"

struct app_port app_ports[APP_MAX_PORTS];
volatile sig_atomic_t app_quit;
static volatile sig_atomic_t got_signal;

/* The port table: the CLI adds ports while vhost's thread reports. */
static pthread_mutex_t ports_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned int nb_ports;

static char iface[APP_PATH_LEN - 4];	/* room for the port number */
static bool client_mode;
static bool interactive;
static unsigned int stats_period;

static void
usage(const char *prog)
{
	printf("Usage: %s [EAL options] -- [options]\n"
		"  --iface <prefix>    socket path prefix: one socket <prefix><N> per vDPA device\n"
		"                      (required without --interactive)\n"
		"  --client            connect to the sockets (front end is the server)\n"
		"  --interactive, -i   command line: list, create, stats, quit (with --iface,\n"
		"                      the sockets of every device are created first)\n"
		"  --stats-period <N>  print device statistics every N seconds (0: never)\n",
		prog);
}

static int
parse_uint(const char *opt, const char *arg, unsigned int max,
		unsigned int *val)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || v > max) {
		fprintf(stderr, "%s: '%s' is not a number of 0..%u\n", opt,
			arg, max);
		return -1;
	}
	*val = v;
	return 0;
}

static int
parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "iface", required_argument, NULL, 'f' },
		{ "client", no_argument, NULL, 'c' },
		{ "interactive", no_argument, NULL, 'i' },
		{ "stats-period", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	while ((opt = getopt_long(argc, argv, "ih", opts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			if (strlcpy(iface, optarg, sizeof(iface)) >=
					sizeof(iface)) {
				fprintf(stderr, "--iface: '%s' is longer than %zu characters\n",
					optarg, sizeof(iface) - 1);
				return -1;
			}
			break;
		case 'c':
			client_mode = true;
			break;
		case 'i':
			interactive = true;
			break;
		case 's':
			if (parse_uint("--stats-period", optarg, 86400,
					&stats_period) != 0)
				return -1;
			break;
		case 'h':
			usage(argv[0]);
			exit(EXIT_SUCCESS);
		default:
			usage(argv[0]);
			return -1;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	/* Interactive mode creates ports with "create"; --iface as well. */
	if (iface[0] == '\0' && !interactive) {
		fprintf(stderr, "--iface is required without --interactive\n");
		usage(argv[0]);
		return -1;
	}
	return 0;
}

static void
on_signal(int sig)
{
	got_signal = sig;
	app_quit = 1;
}

const char *
app_device_name(struct rte_vdpa_device *dev)
{
	struct rte_device *rdev = rte_vdpa_get_rte_device(dev);

	return rdev != NULL ? rte_dev_name(rdev) : "?";
}

/*
 * A vDPA device by its name, or by a bus-specific key that some buses
 * understand (the mdev bus: "alias", the name the user gave the device).
 */
struct rte_vdpa_device *
app_find_device(const char *name)
{
	struct rte_vdpa_device *dev;
	struct rte_dev_iterator it;
	struct rte_device *rdev;
	char filter[128];

	dev = rte_vdpa_find_device_by_name(name);
	if (dev != NULL)
		return dev;
	if (snprintf(filter, sizeof(filter), "bus=mdev,alias=%s", name) >=
			(int)sizeof(filter) || strchr(name, ',') != NULL)
		return NULL;
	RTE_DEV_FOREACH(rdev, filter, &it) {
		dev = rte_vdpa_find_device_by_name(rte_dev_name(rdev));
		if (dev != NULL)
			return dev;
	}
	return NULL;
}

static struct app_port *
port_of_vid(int vid, char *path, size_t len)
{
	unsigned int i;

	if (rte_vhost_get_ifname(vid, path, len) != 0)
		return NULL;
	for (i = 0; i < nb_ports; i++)
		if (strcmp(app_ports[i].path, path) == 0)
			return &app_ports[i];
	return NULL;
}

static int
on_new_device(int vid)
{
	char path[APP_PATH_LEN];
	struct app_port *port;
	int busy = -1;

	pthread_mutex_lock(&ports_lock);
	port = port_of_vid(vid, path, sizeof(path));
	if (port != NULL && port->vid >= 0 && port->vid != vid)
		busy = port->vid;
	else if (port != NULL)
		port->vid = vid;
	pthread_mutex_unlock(&ports_lock);
	if (port == NULL) {
		printf("front end %d on unknown socket %s refused\n", vid,
			path);
		return -1;
	}
	if (busy >= 0) {
		/* The device serves one front end at a time. */
		printf("%s: front end %d refused: front end %d is served\n",
			path, vid, busy);
		fflush(stdout);
		return -1;
	}
	printf("%s: front end connected (vid %d), device %s\n", path, vid,
		app_device_name(port->dev));
	fflush(stdout);
	return 0;
}

static void
on_destroy_device(int vid)
{
	char path[APP_PATH_LEN];
	struct app_port *port;

	pthread_mutex_lock(&ports_lock);
	port = port_of_vid(vid, path, sizeof(path));
	if (port != NULL && port->vid == vid)
		port->vid = -1;
	pthread_mutex_unlock(&ports_lock);
	printf("%s: front end disconnected (vid %d)\n", path, vid);
	fflush(stdout);
}

static const struct rte_vhost_device_ops vhost_ops = {
	.new_device = on_new_device,
	.destroy_device = on_destroy_device,
};

struct app_port *
app_port_of_device(struct rte_vdpa_device *dev)
{
	unsigned int i;

	for (i = 0; i < nb_ports; i++)
		if (app_ports[i].dev == dev)
			return &app_ports[i];
	return NULL;
}

static int
port_start(const char *path, struct rte_vdpa_device *dev)
{
	uint64_t flags = client_mode ? RTE_VHOST_USER_CLIENT : 0;

	if (!client_mode && access(path, F_OK) == 0) {
		fprintf(stderr, "%s exists: remove it or choose another --iface\n",
			path);
		return -EEXIST;
	}
	if (rte_vhost_driver_register(path, flags) != 0) {
		fprintf(stderr, "%s: cannot register the vhost-user socket\n",
			path);
		return -EINVAL;
	}
	if (rte_vhost_driver_callback_register(path, &vhost_ops) != 0 ||
			rte_vhost_driver_attach_vdpa_device(path, dev) != 0 ||
			rte_vhost_driver_start(path) != 0) {
		fprintf(stderr, "%s: cannot serve it with device %s\n", path,
			app_device_name(dev));
		rte_vhost_driver_unregister(path);
		return -EINVAL;
	}
	return 0;
}

/* Serve socket path with device dev. */
int
app_port_create(const char *path, struct rte_vdpa_device *dev)
{
	struct app_port *port;
	int ret;

	if (strlen(path) >= APP_PATH_LEN) {
		fprintf(stderr, "socket path '%s' is longer than %d characters\n",
			path, APP_PATH_LEN - 1);
		return -ENAMETOOLONG;
	}
	pthread_mutex_lock(&ports_lock);
	if (app_port_of_device(dev) != NULL) {
		pthread_mutex_unlock(&ports_lock);
		fprintf(stderr, "device %s already serves %s\n",
			app_device_name(dev), app_port_of_device(dev)->path);
		return -EBUSY;
	}
	if (nb_ports == APP_MAX_PORTS) {
		pthread_mutex_unlock(&ports_lock);
		fprintf(stderr, "no room for another port (%d)\n",
			APP_MAX_PORTS);
		return -ENOSPC;
	}
	port = &app_ports[nb_ports];
	memset(port, 0, sizeof(*port));
	strlcpy(port->path, path, sizeof(port->path));
	port->dev = dev;
	port->vid = -1;
	/* Visible before vhost can report a connection on it. */
	nb_ports++;
	pthread_mutex_unlock(&ports_lock);
	ret = port_start(path, dev);
	if (ret != 0) {
		pthread_mutex_lock(&ports_lock);
		nb_ports--;
		pthread_mutex_unlock(&ports_lock);
		return ret;
	}
	printf("%s: served by vDPA device %s\n", path, app_device_name(dev));
	fflush(stdout);
	return 0;
}

static void
ports_close(void)
{
	struct app_port *port;
	unsigned int i;

	for (i = 0; i < nb_ports; i++) {
		port = &app_ports[i];
		if (rte_vhost_driver_detach_vdpa_device(port->path) != 0)
			fprintf(stderr, "%s: cannot detach device %s\n",
				port->path, app_device_name(port->dev));
		if (rte_vhost_driver_unregister(port->path) != 0)
			fprintf(stderr, "%s: cannot unregister the socket\n",
				port->path);
		free(port->stat_names);
		port->stat_names = NULL;
		port->stats = NULL;
	}
	nb_ports = 0;
}

static int
stats_prepare(struct app_port *port)
{
	int n;

	if (port->stat_names != NULL)
		return 0;
	n = rte_vdpa_get_stats_names(port->dev, NULL, 0);
	if (n <= 0)
		return n == 0 ? -ENOTSUP : n;
	port->stat_names = calloc(n, sizeof(*port->stat_names) +
		sizeof(*port->stats));
	if (port->stat_names == NULL)
		return -ENOMEM;
	port->stats = (struct rte_vdpa_stat *)(port->stat_names + n);
	if (rte_vdpa_get_stats_names(port->dev, port->stat_names, n) != n) {
		free(port->stat_names);
		port->stat_names = NULL;
		return -EIO;
	}
	port->nb_stats = n;
	return 0;
}

/* Print the n counters of queue qid just read into port->stats. */
static void
stats_print(struct app_port *port, int qid, int n,
		void (*out)(void *ctx, const char *line), void *ctx)
{
	char line[160];
	int i;

	snprintf(line, sizeof(line), "  queue %d:\n", qid);
	out(ctx, line);
	for (i = 0; i < n; i++) {
		if (port->stats[i].id >= (uint64_t)port->nb_stats)
			continue;
		snprintf(line, sizeof(line), "    %-24s %" PRIu64 "\n",
			port->stat_names[port->stats[i].id].name,
			port->stats[i].value);
		out(ctx, line);
	}
}

/* Queues to show: the front end's vrings, else every queue of the device. */
static int
stats_nb_queues(struct app_port *port)
{
	uint32_t pairs = 0;
	int vid = port->vid;

	if (vid >= 0 && rte_vhost_get_vring_num(vid) > 0)
		return rte_vhost_get_vring_num(vid);
	if (rte_vdpa_get_queue_num(port->dev, &pairs) != 0)
		return 0;
	return pairs * 2;
}

int
app_port_stats(struct app_port *port, int qid,
		void (*out)(void *ctx, const char *line), void *ctx)
{
	char line[APP_PATH_LEN + 128];
	int first, last, ret;

	ret = stats_prepare(port);
	if (ret != 0)
		return ret;
	snprintf(line, sizeof(line), "device %s (%s, front end %s):\n",
		app_device_name(port->dev), port->path,
		port->vid >= 0 ? "connected" : "none");
	first = qid < 0 ? 0 : qid;
	last = qid < 0 ? stats_nb_queues(port) - 1 : qid;
	for (; first <= last; first++) {
		/* The title only once the device answered for a queue. */
		ret = rte_vdpa_get_stats(port->dev, first, port->stats,
			port->nb_stats);
		if (ret <= 0)
			return ret == 0 ? -EIO : ret;
		if (line[0] != '\0') {
			out(ctx, line);
			line[0] = '\0';
		}
		stats_print(port, first, ret, out, ctx);
	}
	return 0;
}

void
app_list_devices(void (*out)(void *ctx, const char *line), void *ctx)
{
	struct rte_vdpa_device *dev;
	struct rte_dev_iterator it;
	struct rte_device *rdev;
	struct app_port *port;
	uint64_t features;
	uint32_t pairs;
	char line[256];

	out(ctx, "device                                queue pairs  features            socket\n");
	RTE_DEV_FOREACH(rdev, "class=vdpa", &it) {
		dev = rte_vdpa_find_device_by_name(rte_dev_name(rdev));
		if (dev == NULL || rte_vdpa_get_queue_num(dev, &pairs) != 0 ||
				rte_vdpa_get_features(dev, &features) != 0)
			continue;
		port = app_port_of_device(dev);
		snprintf(line, sizeof(line), "%-37s %-12" PRIu32 " 0x%016" PRIx64 "  %s\n",
			rte_dev_name(rdev), pairs, features,
			port != NULL ? port->path : "-");
		out(ctx, line);
	}
}

static void
out_stdout(void *ctx, const char *line)
{
	RTE_SET_USED(ctx);
	fputs(line, stdout);
}

static void
print_stats(void)
{
	unsigned int i;

	for (i = 0; i < nb_ports; i++)
		if (app_port_stats(&app_ports[i], -1, out_stdout, NULL) ==
				-ENOTSUP)
			printf("device %s has no statistics\n",
				app_device_name(app_ports[i].dev));
	fflush(stdout);
}

/* One socket <prefix><N> per vDPA device. */
static int
ports_create_all(void)
{
	char path[APP_PATH_LEN];
	struct rte_vdpa_device *dev;
	struct rte_dev_iterator it;
	struct rte_device *rdev;
	unsigned int n = 0;

	RTE_DEV_FOREACH(rdev, "class=vdpa", &it) {
		dev = rte_vdpa_find_device_by_name(rte_dev_name(rdev));
		if (dev == NULL)
			continue;
		snprintf(path, sizeof(path), "%s%u", iface, n);
		if (app_port_create(path, dev) != 0)
			return -1;
		n++;
	}
	if (n == 0) {
		fprintf(stderr, "no vDPA device: give one with --vdev or -a (e.g. --vdev mdev_sim0,class=vdpa)\n");
		return -1;
	}
	printf("serving %u socket(s)\n", n);
	fflush(stdout);
	return 0;
}

/* Called about every second by the serving loops. */
void
app_tick(void)
{
	static unsigned int ticks;

	if (stats_period != 0 && ++ticks % stats_period == 0)
		print_stats();
}

static int
serve(void)
{
	printf("SIGINT or SIGTERM to quit\n");
	fflush(stdout);
	while (!app_quit) {
		sleep(1);
		app_tick();
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	int ret;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "EAL initialisation failed\n");
		return EXIT_FAILURE;
	}
	argc -= ret;
	argv += ret;
	ret = parse_args(argc, argv);
	if (ret == 0) {
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		if (iface[0] != '\0')
			ret = ports_create_all();
		if (ret == 0)
			ret = interactive ? app_interactive() : serve();
		if (got_signal != 0)
			printf("signal %d received, closing\n", (int)got_signal);
	}
	ports_close();
	rte_eal_cleanup();
	printf("bye\n");
	return ret == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
