/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * The ethdev wire (wire=<port name>): the sim takes an ethdev port made
 * earlier on the command line (net_tap, net_ring, net_pcap, net_null ...),
 * owns it so applications leave it alone, and runs it from its engine:
 * tx chains of pair i are copied once into mbufs and sent on port queue
 * i, packets received on port queue i are copied once into the rx buffers
 * of pair i. Nothing ever waits: a port that refuses packets, or a driver
 * without rx buffers, makes the device drop and count.
 *
 * The link the driver sees follows the port's link, unless forced down
 * through telemetry (/mdev_sim/link,<alias>,up|down, for any sim device).
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_string_fns.h>

#include "sim.h"
#include "sim_copy.h"
#include "sim_net.h"
#include "sim_wire.h"

/* Descriptors asked for on each port queue (the port may adjust them). */
#define SIM_WIRE_NB_DESC 512

/* ---- link ---- */

/* Lock held: make the config space say what the link is now. */
static void
sim_wire_link_apply(struct sim_dev *d, bool signal)
{
	struct sim_wire *w = &d->wire;
	bool up = !w->forced_down && (!w->ethdev || w->port_link_up);
	uint16_t status = rte_le_to_cpu_16(d->cfg.status);

	if (!!(status & VIRTIO_NET_S_LINK_UP) == up)
		return;
	status ^= VIRTIO_NET_S_LINK_UP;
	d->cfg.status = rte_cpu_to_le_16(status);
	if (!signal)
		return;
	__atomic_store_n(&d->generation, d->generation + 1, __ATOMIC_RELEASE);
	/* The engine invokes the driver's config callback (outside ops). */
	d->config_cb_pending = true;
	w->stats.link_changes++;
	SIM_LOG(INFO, "%s: link %s%s", d->name, up ? "up" : "down",
		w->forced_down ? " (forced)" : "");
}

void
sim_wire_link_poll(struct sim_dev *d)
{
	struct sim_wire *w = &d->wire;
	struct rte_eth_link link;
	uint64_t now;

	if (!w->port_ok || w->port_gone)
		return;
	now = rte_get_timer_cycles();
	if (now < w->next_link_tsc)
		return;
	w->next_link_tsc = now + rte_get_timer_hz() * SIM_WIRE_LINK_MS / 1000;
	memset(&link, 0, sizeof(link));
	if (rte_eth_link_get_nowait(w->port_id, &link) != 0)
		return;
	w->port_link_up = link.link_status == RTE_ETH_LINK_UP;
	sim_wire_link_apply(d, true);
}

void
sim_wire_link_force(struct sim_dev *d, bool up)
{
	rte_spinlock_lock(&d->lock);
	d->wire.forced_down = !up;
	sim_wire_link_apply(d, true);
	rte_spinlock_unlock(&d->lock);
}

/* ---- data path (engine, device lock held) ---- */

/* Send what this pass kept; what the port refuses is dropped. */
void
sim_wire_tx_flush(struct sim_dev *d, uint16_t pair)
{
	struct sim_wire *w = &d->wire;
	uint16_t n = w->tx_n, sent, i;
	uint64_t bytes = 0;

	if (n == 0)
		return;
	w->tx_n = 0;
	for (i = 0; i < n; i++)
		bytes += w->tx_pkts[i]->pkt_len;
	sent = rte_eth_tx_burst(w->port_id, pair % w->nb_queues, w->tx_pkts,
		n);
	/* The port owns what it took; what it left is still ours. */
	for (i = sent; i < n; i++)
		bytes -= w->tx_pkts[i]->pkt_len;
	if (sent < n) {
		rte_pktmbuf_free_bulk(&w->tx_pkts[sent], n - sent);
		w->stats.tx_drops += n - sent;
	}
	w->stats.tx_packets += sent;
	w->stats.tx_bytes += bytes;
}

/* Copy len bytes at src into a new mbuf chain; NULL (counted) if not. */
static struct rte_mbuf *
sim_wire_mbuf(struct sim_dev *d, struct sim_cursor *src, uint32_t len)
{
	struct sim_wire *w = &d->wire;
	struct rte_mbuf *head = NULL, *prev = NULL, *m;
	struct sim_cursor dst;
	struct sim_seg seg;
	uint32_t room, n;

	while (len > 0) {
		m = rte_pktmbuf_alloc(w->mp);
		if (m == NULL) {
			w->stats.tx_nombuf++;
			goto drop;
		}
		room = RTE_MIN((uint32_t)rte_pktmbuf_tailroom(m), len);
		memset(&seg, 0, sizeof(seg));
		seg.va = rte_pktmbuf_mtod(m, uint8_t *);
		seg.len = room;
		sim_cursor_init(&dst, &seg, 1);
		n = sim_copy(sim_data_as(d), &dst, src, room);
		m->data_len = n;
		if (head == NULL) {
			head = m;
		} else {
			prev->next = m;
			head->nb_segs++;
		}
		head->pkt_len += n;
		prev = m;
		/* Short: the chain's memory went away between two pieces. */
		if (n != room) {
			w->stats.tx_drops++;
			goto drop;
		}
		len -= n;
	}
	return head;
drop:
	rte_pktmbuf_free(head);
	return NULL;
}

void
sim_wire_tx(struct sim_dev *d, struct sim_cursor *src, uint32_t len)
{
	struct sim_wire *w = &d->wire;
	struct rte_mbuf *m;

	if (unlikely(len > SIM_WIRE_MAX_PKT || w->port_gone)) {
		w->stats.tx_drops++;
		return;
	}
	/* A pass takes at most SIM_BURST chains; stay safe if that grows. */
	if (unlikely(w->tx_n == SIM_WIRE_BURST)) {
		rte_pktmbuf_free_bulk(w->tx_pkts, w->tx_n);
		w->stats.tx_drops += w->tx_n;
		w->tx_n = 0;
	}
	m = sim_wire_mbuf(d, src, len);
	if (m != NULL)
		w->tx_pkts[w->tx_n++] = m;
}

/* One received packet into the driver's rx buffers, or dropped. */
static void
sim_wire_rx_one(struct sim_dev *d, struct sim_rx_ctx *r, struct rte_mbuf *m)
{
	struct sim_wire *w = &d->wire;
	struct sim_seg segs[SIM_WIRE_MAX_SEGS];
	struct sim_cursor src;
	struct rte_mbuf *s;
	uint64_t before;
	uint16_t n = 0;

	w->stats.rx_packets++;
	w->stats.rx_bytes += m->pkt_len;
	if (!r->ok || m->pkt_len == 0 || m->nb_segs > SIM_WIRE_MAX_SEGS) {
		/* As the loopback counts a packet with no rx queue to go to. */
		if (!r->ok)
			r->vq->stats.completion_errors++;
		w->stats.rx_nobuf_drops++;
		return;
	}
	for (s = m; s != NULL && n < SIM_WIRE_MAX_SEGS; s = s->next) {
		memset(&segs[n], 0, sizeof(segs[n]));
		segs[n].va = rte_pktmbuf_mtod(s, uint8_t *);
		segs[n].len = s->data_len;
		n++;
	}
	sim_cursor_init(&src, segs, n);
	/* Receive filters: counted in rx_filtered, not as a drop. */
	if (!sim_rx_accept(d, &src, m->pkt_len))
		return;
	/* Split or packed; counted by the rx queue when it does not fit. */
	before = r->vq->stats.received_descs;
	sim_rx_packet(d, r, &src, m->pkt_len);
	if (r->vq->stats.received_descs != before)
		w->stats.rx_delivered++;
	else
		w->stats.rx_nobuf_drops++;
}

/*
 * Port queues of pair "pair": q = pair, pair + active, ... The port may
 * steer packets to every queue it has (a tap's kernel side hashes flows
 * over all of them) while the driver uses fewer pairs: each queue is then
 * drained by one active pair, and none is left to fill up.
 */
int
sim_wire_pair_io(struct sim_dev *d, uint16_t pair, struct sim_rx_ctx *r)
{
	struct sim_wire *w = &d->wire;
	struct rte_mbuf *pkts[SIM_WIRE_BURST];
	uint16_t step = RTE_MAX(d->active_pairs, 1), q, nb, i;
	int work = 0;

	if (unlikely(w->port_gone))
		return 0;
	sim_wire_tx_flush(d, pair);
	for (q = pair; q < w->nb_queues; q += step) {
		nb = rte_eth_rx_burst(w->port_id, q, pkts, SIM_WIRE_BURST);
		if (nb == 0)
			continue;
		if (r->vq == NULL)
			sim_rx_ctx_init(d, r, &d->vq[2 * pair]);
		for (i = 0; i < nb; i++)
			sim_wire_rx_one(d, r, pkts[i]);
		rte_pktmbuf_free_bulk(pkts, nb);
		work += nb;
	}
	return work;
}

/* ---- port set-up and tear-down ---- */

/*
 * The port is being released (its vdev removed, e.g. at EAL cleanup
 * before ours): from now on the engine must not touch it. Taking the
 * device lock waits for a pass in progress. Registered for all ports:
 * a port's own callback list outlives it (and a callback cannot remove
 * itself), while one for RTE_ETH_ALL is removed whatever became of it.
 */
static int
sim_wire_port_gone(uint16_t port_id, enum rte_eth_event_type event,
		void *arg, void *ret_param __rte_unused)
{
	struct sim_dev *d = arg;
	struct sim_wire *w = &d->wire;

	if (event != RTE_ETH_EVENT_DESTROY || port_id != w->port_id)
		return 0;
	rte_spinlock_lock(&d->lock);
	if (w->port_ok && !w->port_gone)
		SIM_LOG(INFO, "%s: wire port %s removed: link down, packets dropped",
			d->name, w->name);
	w->port_gone = true;
	w->port_started = false;
	w->port_link_up = false;
	sim_wire_link_apply(d, true);
	rte_spinlock_unlock(&d->lock);
	return 0;
}

/* Error line for a name that is not a port: say which ports exist. */
static void
sim_wire_not_found(struct sim_dev *d)
{
	char list[512] = "";
	char name[RTE_ETH_NAME_MAX_LEN];
	size_t len = 0;
	uint16_t pid;

	for (pid = 0; pid < RTE_MAX_ETHPORTS; pid++) {
		if (!rte_eth_dev_is_valid_port(pid) ||
				rte_eth_dev_get_name_by_port(pid, name) != 0)
			continue;
		len += snprintf(list + len, len < sizeof(list) ?
			sizeof(list) - len : 0, "%s%s", len ? ", " : "", name);
		if (len >= sizeof(list))
			break;
	}
	SIM_LOG(ERR, "%s: invalid devarg wire=%s: no ethdev port of that name (accepted: loopback or an existing port: %s); the wire's vdev must come before %s on the command line, e.g. --vdev net_tap0,iface=tap0 --vdev %s,wire=net_tap0",
		d->name, d->p.wire, list[0] ? list : "none yet", d->name,
		d->name);
}

static int
sim_wire_take(struct sim_dev *d)
{
	struct sim_wire *w = &d->wire;
	struct rte_eth_dev_owner owner;
	int ret;

	if (rte_eth_dev_get_port_by_name(w->name, &w->port_id) != 0) {
		sim_wire_not_found(d);
		return -ENODEV;
	}
	memset(&owner, 0, sizeof(owner));
	ret = rte_eth_dev_owner_new(&w->owner_id);
	if (ret == 0) {
		owner.id = w->owner_id;
		strlcpy(owner.name, d->name, sizeof(owner.name));
		ret = rte_eth_dev_owner_set(w->port_id, &owner);
	}
	if (ret != 0) {
		memset(&owner, 0, sizeof(owner));
		rte_eth_dev_owner_get(w->port_id, &owner);
		SIM_LOG(ERR, "%s: wire port %s (port %u) is not free: owned by %s (%s)",
			d->name, w->name, w->port_id,
			owner.name[0] ? owner.name : "?", strerror(-ret));
		return -EBUSY;
	}
	return 0;
}

static int
sim_wire_pool(struct sim_dev *d, uint16_t nb_rxd, uint16_t nb_txd, int socket)
{
	struct sim_wire *w = &d->wire;
	char name[RTE_MEMPOOL_NAMESIZE];
	unsigned int n;

	/* Port rings full on both sides, a burst in flight, some slack. */
	n = w->nb_queues * (nb_rxd + nb_txd + 2 * SIM_WIRE_BURST) + 1024;
	snprintf(name, sizeof(name), "sim_wire_%u", w->port_id);
	w->mp = rte_pktmbuf_pool_create(name, n, 0, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, socket);
	if (w->mp == NULL) {
		SIM_LOG(ERR, "%s: cannot create mbuf pool %s of %u mbufs for wire %s: %s",
			d->name, name, n, w->name, rte_strerror(rte_errno));
		return -ENOMEM;
	}
	return 0;
}

static int
sim_wire_setup(struct sim_dev *d)
{
	struct sim_wire *w = &d->wire;
	uint16_t nb_rxd = SIM_WIRE_NB_DESC, nb_txd = SIM_WIRE_NB_DESC, q;
	struct rte_eth_dev_info info;
	struct rte_eth_conf conf;
	struct rte_eth_link link;
	int socket, ret;

	ret = rte_eth_dev_info_get(w->port_id, &info);
	if (ret != 0)
		goto fail;
	w->nb_queues = RTE_MIN(d->p.queues,
		RTE_MIN(info.max_rx_queues, info.max_tx_queues));
	if (w->nb_queues == 0) {
		ret = -ENOTSUP;
		goto fail;
	}
	memset(&conf, 0, sizeof(conf));
	conf.txmode.offloads = info.tx_offload_capa &
		RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	if (d->p.mtu > RTE_ETHER_MTU)
		conf.rxmode.offloads = info.rx_offload_capa &
			RTE_ETH_RX_OFFLOAD_SCATTER;
	ret = rte_eth_dev_configure(w->port_id, w->nb_queues, w->nb_queues,
		&conf);
	if (ret != 0)
		goto fail;
	ret = rte_eth_dev_adjust_nb_rx_tx_desc(w->port_id, &nb_rxd, &nb_txd);
	if (ret != 0)
		goto fail;
	socket = rte_eth_dev_socket_id(w->port_id);
	if (socket < 0)
		socket = SOCKET_ID_ANY;
	ret = sim_wire_pool(d, nb_rxd, nb_txd, socket);
	if (ret != 0)
		return ret;
	for (q = 0; q < w->nb_queues && ret == 0; q++) {
		ret = rte_eth_rx_queue_setup(w->port_id, q, nb_rxd, socket,
			NULL, w->mp);
		if (ret == 0)
			ret = rte_eth_tx_queue_setup(w->port_id, q, nb_txd,
				socket, NULL);
	}
	if (ret != 0)
		goto fail;
	if (d->p.mtu != RTE_ETHER_MTU &&
			rte_eth_dev_set_mtu(w->port_id, d->p.mtu) != 0)
		SIM_LOG(WARNING, "%s: wire %s keeps its MTU (cannot set %u)",
			d->name, w->name, d->p.mtu);
	/* Deliver every frame, as a wire does; not all ports can filter. */
	rte_eth_promiscuous_enable(w->port_id);
	ret = rte_eth_dev_start(w->port_id);
	if (ret != 0)
		goto fail;
	w->port_started = true;
	w->port_ok = true;
	memset(&link, 0, sizeof(link));
	if (rte_eth_link_get_nowait(w->port_id, &link) == 0)
		w->port_link_up = link.link_status == RTE_ETH_LINK_UP;
	return 0;
fail:
	SIM_LOG(ERR, "%s: cannot set up wire port %s (port %u, %u queue pair(s)): %s",
		d->name, w->name, w->port_id, w->nb_queues, strerror(-ret));
	return ret;
}

int
sim_wire_open(struct sim_dev *d)
{
	struct sim_wire *w = &d->wire;
	int ret;

	memset(w, 0, sizeof(*w));
	if (d->p.wire[0] == '\0')
		return 0;
	strlcpy(w->name, d->p.wire, sizeof(w->name));
	ret = sim_wire_take(d);
	if (ret != 0)
		return ret;
	w->ethdev = true;
	ret = sim_wire_setup(d);
	if (ret == 0)
		ret = rte_eth_dev_callback_register(RTE_ETH_ALL,
			RTE_ETH_EVENT_DESTROY, sim_wire_port_gone, d);
	if (ret != 0) {
		/*
		 * Queues hold mbufs of our pool once set up: close the port
		 * then. Else leave it to whoever made it, as we found it.
		 */
		if (w->mp != NULL) {
			rte_eth_dev_stop(w->port_id);
			rte_eth_dev_close(w->port_id);
			rte_mempool_free(w->mp);
		} else {
			rte_eth_dev_owner_unset(w->port_id, w->owner_id);
		}
		memset(w, 0, sizeof(*w));
		return ret;
	}
	w->cb_registered = true;
	/* The driver is not there yet: the config space just says it. */
	sim_wire_link_apply(d, false);
	SIM_LOG(INFO, "%s: wire is port %u (%s), %u queue(s), link %s",
		d->name, w->port_id, w->name, w->nb_queues,
		w->port_link_up ? "up" : "down");
	return 0;
}

void
sim_wire_close(struct sim_dev *d)
{
	struct sim_wire *w = &d->wire;

	if (!w->ethdev)
		return;
	if (w->cb_registered)
		rte_eth_dev_callback_unregister(RTE_ETH_ALL,
			RTE_ETH_EVENT_DESTROY, sim_wire_port_gone, d);
	w->cb_registered = false;
	/* Port still ours (not released by its own vdev's removal)? */
	if (!w->port_gone && rte_eth_dev_is_valid_port(w->port_id)) {
		struct rte_eth_dev_owner owner;

		memset(&owner, 0, sizeof(owner));
		if (rte_eth_dev_owner_get(w->port_id, &owner) == 0 &&
				owner.id == w->owner_id) {
			if (w->port_started)
				rte_eth_dev_stop(w->port_id);
			rte_eth_dev_close(w->port_id);
		}
	}
	w->port_ok = false;
	w->port_gone = false;
	w->port_started = false;
	w->ethdev = false;
	rte_mempool_free(w->mp);
	w->mp = NULL;
}
