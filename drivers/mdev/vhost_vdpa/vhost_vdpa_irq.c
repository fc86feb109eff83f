/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * The kernel signals used buffers and config changes on eventfds
 * (VHOST_SET_VRING_CALL, VHOST_VDPA_SET_CONFIG_CALL). One control thread
 * per device waits on all of them and invokes the contract's callbacks.
 * It holds cb_lock while it does, and set_vq_cb/set_config_cb take it:
 * once they return, the old callback is not running and will not run.
 */

#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <rte_lcore.h>

#include "vhost_vdpa.h"

/* epoll data: the queue index, or one of these. */
#define VV_EV_CONFIG	UINT32_MAX
#define VV_EV_STOP	(UINT32_MAX - 1)

static void
vv_irq_dispatch(struct vv_dev *d, uint32_t what)
{
	struct rte_virtio_mdev_callback cb;
	eventfd_t v;
	int fd = what == VV_EV_CONFIG ? d->config_callfd : d->vq[what].callfd;

	(void)eventfd_read(fd, &v);
	pthread_mutex_lock(&d->cb_lock);
	cb = what == VV_EV_CONFIG ? d->config_cb : d->vq[what].cb;
	if (cb.fn != NULL)
		cb.fn(cb.arg);
	pthread_mutex_unlock(&d->cb_lock);
}

static void *
vv_irq_loop(void *arg)
{
	struct vv_dev *d = arg;
	struct epoll_event ev[16];
	int n, i;

	for (;;) {
		n = epoll_wait(d->epfd, ev, RTE_DIM(ev), -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			VV_LOG(ERR, "%s: epoll_wait: %s; no more callbacks",
				d->name, strerror(errno));
			return NULL;
		}
		for (i = 0; i < n; i++) {
			if (ev[i].data.u32 == VV_EV_STOP)
				return NULL;
			vv_irq_dispatch(d, ev[i].data.u32);
		}
	}
}

static int
vv_epoll_add(struct vv_dev *d, int fd, uint32_t what)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = what };

	return epoll_ctl(d->epfd, EPOLL_CTL_ADD, fd, &ev) == 0 ? 0 : -errno;
}

/* Create the eventfds, give them to the kernel, start the thread. */
int
vv_irq_start(struct vv_dev *d)
{
	char tname[RTE_MAX_THREAD_NAME_LEN];
	uint32_t q;
	int ret;

	d->epfd = epoll_create1(EPOLL_CLOEXEC);
	d->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	d->config_callfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (d->epfd < 0 || d->stop_fd < 0 || d->config_callfd < 0)
		return -errno;
	ret = vv_epoll_add(d, d->stop_fd, VV_EV_STOP);
	if (ret == 0)
		ret = vv_epoll_add(d, d->config_callfd, VV_EV_CONFIG);
	for (q = 0; q < d->nvqs && ret == 0; q++)
		ret = vv_epoll_add(d, d->vq[q].callfd, q);
	if (ret != 0)
		return ret;
	/* Thread names are short: "vv-vdpa0" fits, longer ones are cut. */
	snprintf(tname, sizeof(tname), "vv-%.11s", d->kname);
	ret = -rte_ctrl_thread_create(&d->irq_thread, tname, NULL,
		vv_irq_loop, d);
	if (ret == 0)
		d->irq_running = true;
	return ret;
}

void
vv_irq_stop(struct vv_dev *d)
{
	if (d->irq_running) {
		(void)eventfd_write(d->stop_fd, 1);
		pthread_join(d->irq_thread, NULL);
		d->irq_running = false;
	}
	if (d->epfd >= 0)
		close(d->epfd);
	if (d->stop_fd >= 0)
		close(d->stop_fd);
	if (d->config_callfd >= 0)
		close(d->config_callfd);
	d->epfd = d->stop_fd = d->config_callfd = -1;
}
