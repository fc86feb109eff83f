/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * Kick relay: the front end notifies a queue by writing its kick
 * eventfd; a device that does not poll learns of it only through
 * kick_vq(). One control thread waits on the kick eventfds of every
 * running queue of every device and calls kick_vq() for each. It sleeps
 * in epoll_wait, so a device that polls (and suppresses notifications)
 * costs nothing here.
 *
 * Registrations are one-shot and re-armed after each kick: a
 * registration that outlived its queue fires at most once.
 */

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <rte_lcore.h>

#include "vdpa_mdev.h"

#define KICK_EVENTS 32

static struct {
	pthread_mutex_t lock;	/* vq->kickfd vs the thread */
	unsigned int refs;	/* devices using the relay */
	int epfd;
	int stopfd;
	pthread_t thread;
} relay = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.epfd = -1,
	.stopfd = -1,
};

/* Consume the eventfd count without ever blocking (fds may be blocking). */
static void
kick_drain(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	eventfd_t value;

	if (poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN))
		(void)eventfd_read(fd, &value);
}

static void
kick_one(struct vdpa_mdev_vq *vq)
{
	struct rte_mdev_device *mdev = vq->vdev->mdev;
	struct epoll_event ev = { .events = EPOLLIN | EPOLLONESHOT };

	pthread_mutex_lock(&relay.lock);
	if (vq->kickfd >= 0) {
		kick_drain(vq->kickfd);
		mdev->ops->kick_vq(mdev, vq->qid);
		vq->kicks++;
		ev.data.ptr = vq;
		(void)epoll_ctl(relay.epfd, EPOLL_CTL_MOD, vq->kickfd, &ev);
	}
	pthread_mutex_unlock(&relay.lock);
}

static void *
kick_thread(void *arg __rte_unused)
{
	struct epoll_event events[KICK_EVENTS];
	int i, n;

	for (;;) {
		n = epoll_wait(relay.epfd, events, KICK_EVENTS, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			VDPA_MDEV_LOG(ERR, "kick relay: epoll_wait: %s",
				strerror(errno));
			return NULL;
		}
		for (i = 0; i < n; i++) {
			if (events[i].data.ptr == NULL)
				return NULL;	/* stop request */
			kick_one(events[i].data.ptr);
		}
	}
	return NULL;
}

static int
kick_start(void)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };
	int ret;

	relay.epfd = epoll_create1(EPOLL_CLOEXEC);
	relay.stopfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (relay.epfd < 0 || relay.stopfd < 0 ||
			epoll_ctl(relay.epfd, EPOLL_CTL_ADD, relay.stopfd,
				&ev) != 0) {
		ret = -errno;
		goto fail;
	}
	ret = rte_ctrl_thread_create(&relay.thread, "vdpa-mdev-kick", NULL,
		kick_thread, NULL);
	if (ret != 0) {
		ret = -ret;
		goto fail;
	}
	return 0;
fail:
	VDPA_MDEV_LOG(ERR, "cannot start the kick relay thread: %s",
		strerror(-ret));
	if (relay.epfd >= 0)
		close(relay.epfd);
	if (relay.stopfd >= 0)
		close(relay.stopfd);
	relay.epfd = -1;
	relay.stopfd = -1;
	return ret;
}

/* Take a reference on the relay thread, starting it for the first user. */
int
vdpa_mdev_kick_get(void)
{
	int ret;

	if (relay.refs == 0) {
		ret = kick_start();
		if (ret != 0)
			return ret;
	}
	relay.refs++;
	return 0;
}

/* Drop a reference; the last one stops the thread. */
void
vdpa_mdev_kick_put(void)
{
	if (relay.refs == 0 || --relay.refs != 0)
		return;
	(void)eventfd_write(relay.stopfd, 1);
	pthread_join(relay.thread, NULL);
	close(relay.epfd);
	close(relay.stopfd);
	relay.epfd = -1;
	relay.stopfd = -1;
}

int
vdpa_mdev_kick_add(struct vdpa_mdev_vq *vq, int kickfd)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLONESHOT };
	int ret = 0;

	if (kickfd < 0 || relay.epfd < 0)
		return 0;
	ev.data.ptr = vq;
	pthread_mutex_lock(&relay.lock);
	if (epoll_ctl(relay.epfd, EPOLL_CTL_ADD, kickfd, &ev) != 0) {
		ret = -errno;
		VDPA_MDEV_LOG(ERR, "%s: cannot watch kick fd %d of queue %u: %s",
			vq->vdev->mdev->alias, kickfd, vq->qid,
			strerror(errno));
	} else {
		vq->kickfd = kickfd;
		vq->kicks = 0;
	}
	pthread_mutex_unlock(&relay.lock);
	return ret;
}

/*
 * Stop relaying a queue's kicks. Must run before vhost closes the fd
 * (vhost disables the vring before it replaces or closes its kick fd).
 */
void
vdpa_mdev_kick_del(struct vdpa_mdev_vq *vq)
{
	pthread_mutex_lock(&relay.lock);
	if (vq->kickfd >= 0) {
		(void)epoll_ctl(relay.epfd, EPOLL_CTL_DEL, vq->kickfd, NULL);
		vq->kickfd = -1;
		VDPA_MDEV_LOG(DEBUG, "%s: queue %u: %" PRIu64 " kicks relayed",
			vq->vdev->mdev->alias, vq->qid, vq->kicks);
	}
	pthread_mutex_unlock(&relay.lock);
}
