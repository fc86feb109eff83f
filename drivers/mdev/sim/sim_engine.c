/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * The engine: runs polling passes for one device, on a DPDK service
 * mapped to a service lcore, or on a thread of its own that busy-polls
 * while the driver has the device running and naps otherwise.
 */

/* CPU_SET and pthread_setaffinity_np are GNU extensions. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_lcore.h>
#include <rte_pause.h>
#include <rte_service.h>
#include <rte_service_component.h>

#include "sim.h"
#include "sim_engine.h"
#include "sim_net.h"

/* Idle nap of the engine thread while the device is not running. */
#define SIM_IDLE_US 100
/* Busy passes in a row after which the engine thread yields the CPU. */
#define SIM_BUSY_YIELD 64
/* How long stop waits for a service lcore to leave the service. */
#define SIM_STOP_WAIT_MS 1000

static bool sim_manual;

void
sim_engine_set_manual(bool manual)
{
	sim_manual = manual;
}

int
sim_engine_poll_mdev(struct rte_mdev_device *mdev)
{
	return sim_engine_poll(sim_dev_of(mdev));
}

/* Callbacks left for the engine's context (kick_vq runs on the driver's). */
static void
sim_engine_callbacks(struct sim_dev *d)
{
	uint16_t qid = sim_ctrl_qid(d);

	if (d->ctrl_cb_pending) {
		d->ctrl_cb_pending = false;
		if (qid < d->nb_vqs && d->vq[qid].cb.fn != NULL)
			d->vq[qid].cb.fn(d->vq[qid].cb.arg);
	}
	if (d->config_cb_pending) {
		d->config_cb_pending = false;
		if (d->config_cb.fn != NULL)
			d->config_cb.fn(d->config_cb.arg);
	}
}

int
sim_engine_poll(struct sim_dev *d)
{
	int work = 0;
	uint16_t i;

	if (!__atomic_load_n(&d->running, __ATOMIC_ACQUIRE))
		return 0;
	rte_spinlock_lock(&d->lock);
	if (d->running) {
		for (i = 0; i < d->active_pairs; i++)
			work += sim_net_pair_poll(d, i);
		sim_net_ctrl_poll(d, false);
		sim_wire_link_poll(d);
		sim_engine_callbacks(d);
	}
	rte_spinlock_unlock(&d->lock);
	return work;
}

static void *
sim_engine_thread(void *arg)
{
	struct sim_dev *d = arg;
	unsigned int busy = 0;

	while (!__atomic_load_n(&d->engine.stop, __ATOMIC_ACQUIRE)) {
		if (!__atomic_load_n(&d->running, __ATOMIC_ACQUIRE))
			rte_delay_us_sleep(SIM_IDLE_US);
		else if (sim_engine_poll(d) == 0)
			rte_pause();
		/*
		 * Never idle (an ethdev wire that always has packets): the
		 * lock is free only between passes, so now and then leave
		 * the CPU to whoever waits for it (control ops, telemetry).
		 */
		else if (++busy % SIM_BUSY_YIELD == 0)
			sched_yield();
	}
	return NULL;
}

static int
sim_engine_thread_start(struct sim_dev *d)
{
	struct sim_engine *e = &d->engine;
	char name[RTE_MAX_THREAD_NAME_LEN];
	cpu_set_t set;
	int ret;

	/* Thread names are short: keep the tail, where the number is. */
	snprintf(name, sizeof(name), "sim-%s",
		d->name + RTE_MAX(0, (int)strlen(d->name) - 11));
	e->stop = false;
	ret = rte_ctrl_thread_create(&e->thread, name, NULL,
		sim_engine_thread, d);
	if (ret != 0) {
		SIM_LOG(ERR, "%s: cannot create the engine thread: %s",
			d->name, strerror(ret));
		return -ret;
	}
	e->thread_started = true;
	e->kind = SIM_ENGINE_THREAD;
	if (d->p.cpu < 0)
		return 0;
	CPU_ZERO(&set);
	CPU_SET(d->p.cpu, &set);
	ret = pthread_setaffinity_np(e->thread, sizeof(set), &set);
	if (ret != 0) {
		SIM_LOG(ERR, "%s: cannot pin the engine thread to cpu=%d: %s",
			d->name, d->p.cpu, strerror(ret));
		return -ret;
	}
	return 0;
}

static int32_t
sim_engine_service_run(void *arg)
{
	return sim_engine_poll(arg) > 0 ? 0 : -EAGAIN;
}

static int
sim_engine_service_start(struct sim_dev *d)
{
	struct sim_engine *e = &d->engine;
	struct rte_service_spec spec;
	uint32_t lcores[RTE_MAX_LCORE];
	int ret;

	if (rte_service_lcore_list(lcores, RTE_MAX_LCORE) <= 0) {
		SIM_LOG(ERR, "%s: engine=service needs a service lcore (EAL -s <coremask> or -S <corelist>)",
			d->name);
		return -EINVAL;
	}
	memset(&spec, 0, sizeof(spec));
	if ((size_t)snprintf(spec.name, sizeof(spec.name), "%s", d->name) >=
			sizeof(spec.name)) {
		SIM_LOG(ERR, "%s: name too long for a service name (%zu characters at most)",
			d->name, sizeof(spec.name) - 1);
		return -EINVAL;
	}
	spec.callback = sim_engine_service_run;
	spec.callback_userdata = d;
	spec.socket_id = d->mdev.numa_node;
	ret = rte_service_component_register(&spec, &e->service_id);
	if (ret != 0) {
		SIM_LOG(ERR, "%s: cannot register service %s: %s", d->name,
			spec.name, strerror(-ret));
		return ret;
	}
	e->service_lcore = lcores[0];
	e->kind = SIM_ENGINE_SERVICE;
	if (rte_service_map_lcore_set(e->service_id, e->service_lcore, 1) ||
			rte_service_component_runstate_set(e->service_id, 1) ||
			rte_service_runstate_set(e->service_id, 1)) {
		SIM_LOG(ERR, "%s: cannot map service %s to lcore %u", d->name,
			spec.name, e->service_lcore);
		return -EIO;
	}
	ret = rte_service_lcore_start(e->service_lcore);
	if (ret != 0 && ret != -EALREADY) {
		SIM_LOG(ERR, "%s: cannot start service lcore %u: %s", d->name,
			e->service_lcore, strerror(-ret));
		return ret;
	}
	SIM_LOG(INFO, "%s: engine runs as service %s on lcore %u", d->name,
		spec.name, e->service_lcore);
	return 0;
}

int
sim_engine_start(struct sim_dev *d)
{
	enum sim_engine_kind kind = d->p.engine;

	if (sim_manual)
		kind = SIM_ENGINE_NONE;
	else if (kind == SIM_ENGINE_AUTO)
		kind = d->p.cpu < 0 && rte_service_lcore_count() > 0 ?
			SIM_ENGINE_SERVICE : SIM_ENGINE_THREAD;
	/* Each start function records its kind once there is one to stop. */
	d->engine.kind = SIM_ENGINE_NONE;
	switch (kind) {
	case SIM_ENGINE_SERVICE:
		return sim_engine_service_start(d);
	case SIM_ENGINE_THREAD:
		return sim_engine_thread_start(d);
	default:
		return 0;
	}
}

/*
 * EAL cleanup finalises the service library (and frees it) before the
 * buses remove their devices; it also takes the service role from every
 * lcore, which is how we know not to call into it any more.
 */
static void
sim_engine_service_stop(struct sim_dev *d)
{
	struct sim_engine *e = &d->engine;
	uint64_t deadline;

	if (rte_lcore_has_role(e->service_lcore, ROLE_SERVICE) != 1)
		return;
	rte_service_runstate_set(e->service_id, 0);
	rte_service_component_runstate_set(e->service_id, 0);
	deadline = rte_get_timer_cycles() +
		rte_get_timer_hz() * SIM_STOP_WAIT_MS / 1000;
	while (rte_service_may_be_active(e->service_id) == 1) {
		if (rte_get_timer_cycles() > deadline) {
			SIM_LOG(ERR, "%s: service still running after %d ms",
				d->name, SIM_STOP_WAIT_MS);
			break;
		}
		rte_pause();
	}
	rte_service_map_lcore_set(e->service_id, e->service_lcore, 0);
	rte_service_component_unregister(e->service_id);
}

void
sim_engine_stop(struct sim_dev *d)
{
	struct sim_engine *e = &d->engine;

	switch (e->kind) {
	case SIM_ENGINE_SERVICE:
		sim_engine_service_stop(d);
		break;
	case SIM_ENGINE_THREAD:
		if (!e->thread_started)
			break;
		__atomic_store_n(&e->stop, true, __ATOMIC_RELEASE);
		pthread_join(e->thread, NULL);
		e->thread_started = false;
		break;
	default:
		break;
	}
	e->kind = SIM_ENGINE_NONE;
}
