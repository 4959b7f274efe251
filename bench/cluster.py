"""Cluster soak: 256 connections through the nginx balancer of two web hosts for 60 s, the whole
web-1 host killed half-way; what was acknowledged, mailed and streamed is then counted.

    python3 bench/cluster.py [--seconds 60] [--connections 256] [--users 100] [--web-workers 2]
                             [--kill-at 0.5] [--max-in-flight N]

Builds the hosts of tests/harness/cluster.py (network namespaces: web-1, web-2, worker,
pg-primary, pg-replica, redis, balancer; the Warble hosts deployed by `fab deploy`), signs up
`--users` users, warms up for 5 s, then drives the balancer with wrk (20 % new posts naming
another user, 80 % reads) while a live stream opened on web-1 follows the posts and the
replica's lag is sampled twice a second. At `--kill-at` of the run every process of web-1 is
SIGKILLed. Prints requests, errors, latency, the posts acknowledged against those stored, the
mention e-mails owed against those the worker host's SMTP sink received (and any twice), the
live stream's gaps, and the replica's replay lag (pg_stat_replication: replay_lag and the WAL
bytes between the primary's position and the replica's replay). Exits 1 on any loss.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from lib import bootstrap

if __name__ == '__main__':
    bootstrap.prepare(tests=True)

from tests.harness.cluster import Cluster
from tests.harness.clusterload import (
    LagSampler,
    StreamFollower,
    first_post_id,
    newest_post_event,
    settled_emails,
    stored_posts,
)
from tests.harness.soakmix import Soak, SoakResult

WARM_UP = 5


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--seconds', type=int, default=60)
    parser.add_argument('--connections', type=int, default=256)
    parser.add_argument('--users', type=int, default=100)
    parser.add_argument('--web-workers', type=int, default=2)
    parser.add_argument('--kill-at', type=float, default=0.5)
    parser.add_argument('--max-in-flight', type=int, default=None,
                        help='server.max_in_flight of the web hosts (0: no shedding)')
    args = parser.parse_args()
    started = time.monotonic()
    settings = {} if args.max_in_flight is None else {
        'WARBLE_SERVER_MAX_IN_FLIGHT': args.max_in_flight}
    with Cluster(web_workers=args.web_workers, **settings) as cluster:
        print(f'hosts up and deployed in {time.monotonic() - started:.0f} s: ' + ', '.join(
            f'{name} {host.address}' for name, host in cluster.hosts.items()), flush=True)
        users = cluster.sign_up(args.users, 'soak')
        with Soak(cluster.url, users, WARM_UP, args.connections, mentions=True) as warm_up:
            warm_up.result()
        since = first_post_id(cluster)
        follower = StreamFollower(cluster.web_url('web-1'), cluster.url)
        follower.start()
        follower.connected.wait(30)
        lag = LagSampler(cluster)
        lag.start()
        with Soak(cluster.url, users, args.seconds, args.connections, mentions=True) as soak:
            time.sleep(args.seconds * args.kill_at)
            killed = cluster.kill('web-1')
            print(f'web-1 lost at {args.seconds * args.kill_at:.0f} s: {killed} processes '
                  'SIGKILLed', flush=True)
            result = soak.result()
        lag.stop()
        stored = stored_posts(cluster, result.acknowledged)
        emails = settled_emails(cluster, since, timeout=900)
        follower.wait_for_entry(newest_post_event(cluster))
        follower.stop()
        held, seen = follower.gaps(cluster)
        return report(args, result, stored, emails, follower, held, seen, lag.summary())


def report(args: argparse.Namespace, result: SoakResult, stored: set[int], emails: dict,
           follower: StreamFollower, held: list, seen: list, lag: dict) -> int:
    limit = 'default' if args.max_in_flight is None else args.max_in_flight
    print(f'{args.connections} connections for {args.seconds} s through nginx over 2 web hosts '
          f'(gunicorn -k gevent -w {args.web_workers} each, server.max_in_flight {limit}), '
          f'{args.users} users; 20 % writes')
    print(f'requests: {result.requests} ({result.requests / result.seconds:.0f}/s); latency p50 '
          f'{result.p50:.1f} ms, p99 {result.p99:.1f} ms, max {result.worst:.1f} ms')
    print(f'statuses: {json.dumps(dict(sorted(result.statuses.items())))}; errors: '
          f'{result.errors} (502: {result.statuses.get("502", 0)}; socket errors connect, read, '
          f'write, timeout: {result.socket_errors}); shed with 503 at server.max_in_flight: '
          f'{result.shed}')
    lost = sorted(set(result.acknowledged) - stored)
    print(f'posts acknowledged with 201: {len(result.acknowledged)}; stored: {len(stored)}; '
          f'acknowledged but lost: {len(lost)}')
    print(f'mention e-mails owed: {emails["owed"]}; sent: {emails["sent"]}; never received: '
          f'{len(emails["missing"])}; received twice: {len(emails["doubled"])}; all settled '
          f'{emails["settled_in"]:.1f} s after the soak')
    missed = [event for event in held if event not in seen]
    repeated = len(seen) - len(set(seen))
    print(f'live stream: {len(seen)} post events over {len(follower.opened)} connections '
          f'({follower.opened[0]} first, then the balancer); missed: {len(missed)}; repeated: '
          f'{repeated}; resets: {follower.resets}')
    describe = lambda value, unit, scale=1: '-' if value is None else \
        f'{value * scale:.1f} {unit}'  # noqa: E731
    print(f'replica lag under the soak ({lag["streaming"]} of {lag["samples"]} samples '
          f'streaming): replay_lag p50 {describe(lag["lag_p50_s"], "ms", 1000)}, max '
          f'{describe(lag["lag_max_s"], "ms", 1000)}; WAL behind p50 '
          f'{describe(lag["behind_p50_bytes"], "KiB", 1 / 1024)}, max '
          f'{describe(lag["behind_max_bytes"], "KiB", 1 / 1024)}')
    return 1 if lost or emails['missing'] or emails['doubled'] or missed or repeated else 0


if __name__ == '__main__':
    sys.exit(main())
