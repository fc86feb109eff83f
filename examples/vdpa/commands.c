/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * The interactive command line (DPDK's cmdline library). Input is read
 * here and fed to cmdline_in(), so that the loop also notices signals,
 * end of input (a closed pipe quits) and the statistics period.
 */

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include <cmdline.h>
#include <cmdline_parse.h>
#include <cmdline_parse_num.h>
#include <cmdline_parse_string.h>
#include <cmdline_socket.h>
#include <rte_common.h>

#include "vdpa_app.h"

static void
out_cmdline(void *ctx, const char *line)
{
	cmdline_printf(ctx, "%s", line);
}

/* help */
struct cmd_word {
	cmdline_fixed_string_t word;
};

static void
cmd_help_parsed(void *res, struct cmdline *cl, void *data)
{
	RTE_SET_USED(res);
	RTE_SET_USED(data);
	cmdline_printf(cl,
		"commands:\n"
		"  help                      this text\n"
		"  list                      vDPA devices, queue pairs, features, socket\n"
		"  create <socket> <device>  serve vhost-user socket <socket> with <device>\n"
		"                            (a vDPA device name or an mdev alias)\n"
		"  stats <device> [qid]      device counters of one queue or of all\n"
		"  quit                      close every socket and exit\n");
}

static cmdline_parse_token_string_t cmd_help_tok =
	TOKEN_STRING_INITIALIZER(struct cmd_word, word, "help");
static cmdline_parse_inst_t cmd_help = {
	.f = cmd_help_parsed,
	.help_str = "help: show the commands",
	.tokens = { (void *)&cmd_help_tok, NULL },
};

/* list */
static void
cmd_list_parsed(void *res, struct cmdline *cl, void *data)
{
	RTE_SET_USED(res);
	RTE_SET_USED(data);
	app_list_devices(out_cmdline, cl);
}

static cmdline_parse_token_string_t cmd_list_tok =
	TOKEN_STRING_INITIALIZER(struct cmd_word, word, "list");
static cmdline_parse_inst_t cmd_list = {
	.f = cmd_list_parsed,
	.help_str = "list: vDPA devices",
	.tokens = { (void *)&cmd_list_tok, NULL },
};

/* create <socket> <device> */
struct cmd_create_result {
	cmdline_fixed_string_t create;
	cmdline_fixed_string_t path;
	cmdline_fixed_string_t device;
};

static void
cmd_create_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_create_result *r = res;
	struct rte_vdpa_device *dev;

	RTE_SET_USED(data);
	dev = app_find_device(r->device);
	if (dev == NULL) {
		cmdline_printf(cl, "no vDPA device '%s' (see \"list\")\n",
			r->device);
		return;
	}
	if (app_port_create(r->path, dev) != 0)
		cmdline_printf(cl, "create failed\n");
}

static cmdline_parse_token_string_t cmd_create_tok =
	TOKEN_STRING_INITIALIZER(struct cmd_create_result, create, "create");
static cmdline_parse_token_string_t cmd_create_path =
	TOKEN_STRING_INITIALIZER(struct cmd_create_result, path, NULL);
static cmdline_parse_token_string_t cmd_create_dev =
	TOKEN_STRING_INITIALIZER(struct cmd_create_result, device, NULL);
static cmdline_parse_inst_t cmd_create = {
	.f = cmd_create_parsed,
	.help_str = "create <socket> <device>: serve a socket with a device",
	.tokens = { (void *)&cmd_create_tok, (void *)&cmd_create_path,
		(void *)&cmd_create_dev, NULL },
};

/* stats <device> [qid] */
struct cmd_stats_result {
	cmdline_fixed_string_t stats;
	cmdline_fixed_string_t device;
	uint16_t qid;
};

static void
stats_show(struct cmdline *cl, const char *name, int qid)
{
	struct rte_vdpa_device *dev = app_find_device(name);
	struct app_port *port;
	int ret;

	if (dev == NULL) {
		cmdline_printf(cl, "no vDPA device '%s' (see \"list\")\n", name);
		return;
	}
	port = app_port_of_device(dev);
	if (port == NULL) {
		cmdline_printf(cl, "device '%s' serves no socket yet (see \"create\")\n",
			name);
		return;
	}
	ret = app_port_stats(port, qid, out_cmdline, cl);
	if (ret != 0)
		cmdline_printf(cl, "no statistics for '%s' queue %d: %s\n",
			name, qid, strerror(-ret));
}

static void
cmd_stats_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_stats_result *r = res;

	stats_show(cl, r->device, data != NULL ? r->qid : -1);
}

static cmdline_parse_token_string_t cmd_stats_tok =
	TOKEN_STRING_INITIALIZER(struct cmd_stats_result, stats, "stats");
static cmdline_parse_token_string_t cmd_stats_dev =
	TOKEN_STRING_INITIALIZER(struct cmd_stats_result, device, NULL);
static cmdline_parse_token_num_t cmd_stats_qid =
	TOKEN_NUM_INITIALIZER(struct cmd_stats_result, qid, RTE_UINT16);
static cmdline_parse_inst_t cmd_stats_all = {
	.f = cmd_stats_parsed,
	.data = NULL,
	.help_str = "stats <device>: counters of every queue",
	.tokens = { (void *)&cmd_stats_tok, (void *)&cmd_stats_dev, NULL },
};
static cmdline_parse_inst_t cmd_stats_one = {
	.f = cmd_stats_parsed,
	.data = (void *)1,	/* a queue id was given */
	.help_str = "stats <device> <qid>: counters of one queue",
	.tokens = { (void *)&cmd_stats_tok, (void *)&cmd_stats_dev,
		(void *)&cmd_stats_qid, NULL },
};

/* quit */
static void
cmd_quit_parsed(void *res, struct cmdline *cl, void *data)
{
	RTE_SET_USED(res);
	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	app_quit = 1;
}

static cmdline_parse_token_string_t cmd_quit_tok =
	TOKEN_STRING_INITIALIZER(struct cmd_word, word, "quit");
static cmdline_parse_inst_t cmd_quit = {
	.f = cmd_quit_parsed,
	.help_str = "quit: close every socket and exit",
	.tokens = { (void *)&cmd_quit_tok, NULL },
};

static cmdline_parse_ctx_t commands[] = {
	&cmd_help,
	&cmd_list,
	&cmd_create,
	&cmd_stats_one,
	&cmd_stats_all,
	&cmd_quit,
	NULL,
};

int
app_interactive(void)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	struct cmdline *cl;
	char buf[256];
	ssize_t n;
	int ret;

	cl = cmdline_stdin_new(commands, "vdpa> ");
	if (cl == NULL) {
		fprintf(stderr, "cannot start the command line\n");
		return -1;
	}
	while (!app_quit) {
		ret = poll(&pfd, 1, 1000);
		if (ret < 0 && errno != EINTR)
			break;
		if (ret > 0) {
			n = read(STDIN_FILENO, buf, sizeof(buf));
			if (n <= 0)
				break;	/* end of input: quit */
			cmdline_in(cl, buf, n);
		} else {
			app_tick();
		}
	}
	cmdline_printf(cl, "\n");
	cmdline_stdin_exit(cl);
	return 0;
}
