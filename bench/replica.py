"""What reading from a replica costs a process: one lag check (a query on the primary, one on the
replica, `models/replicas.py`), made at most once per `database.replica_check_seconds`, and the
pin lookup a signed-in read makes in Redis; each beside its floor in the same run, a `SELECT 1`
round trip on the primary and a Redis PING.

    PYTHONPATH=lib:lib/vendor:. env/bin/python -m bench.replica [--runs N]
"""
from __future__ import annotations

import argparse
import logging
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from lib import config
from models import db, redisdb, replicas
from tests.harness.servers import PostgresReplica, PostgresServer, RedisServer


def per_call(work: Callable[[], object], runs: int) -> tuple[float, float]:
    """Wall and process CPU time per call, in microseconds."""
    work()
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(runs):
        work()
    return ((time.perf_counter() - wall) / runs * 1e6, (time.process_time() - cpu) / runs * 1e6)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--runs', type=int, default=2000)
    runs = parser.parse_args().runs
    logging.basicConfig(level=logging.INFO)
    primary = PostgresServer()
    replica = redis = None
    try:
        replica = PostgresReplica(primary)
        redis = RedisServer(Path(tempfile.mkdtemp(prefix='warble-bench-')))
        settings = config.load({'WARBLE_DATABASE_URL': primary.url(),
                                'WARBLE_DATABASE_REPLICA_URLS': replica.url(),
                                'WARBLE_REDIS_URL': redis.url})
        database = db.configure(settings.database)
        replicas.configure(settings.database, database)
        redisdb.configure(settings.redis)
        checked = replicas._replicas[0]
        database.connect()
        figures = {
            'floor: SELECT 1 on the primary': per_call(
                lambda: database.execute_sql('SELECT 1').fetchone(), runs),
            'lag check (primary + replica)': per_call(lambda: checked.check(database), runs),
            'floor: Redis PING': per_call(redisdb.get_redis('sessions').ping, runs),
            'pin lookup (Redis EXISTS)': per_call(lambda: replicas.pinned('user:1'), runs),
        }
        database.close()
        print(f'{runs} runs each; lag {checked.lag:.3f} s at the last check')
        for name, (wall, cpu) in figures.items():
            print(f'{name:34} {wall:8.1f} µs wall {cpu:8.1f} µs CPU per call')
        check_seconds = settings.database.replica_check_seconds
        wall, cpu = figures['lag check (primary + replica)']
        print(f'at one check per {check_seconds:g} s: one request per process waits '
              f'{wall:.0f} µs more each time; {cpu / check_seconds / 1e4:.4f} % of a core')
    finally:
        replicas.close_all()
        db.close_all()
        for server in (redis, replica, primary):
            if server is not None:
                server.stop()


if __name__ == '__main__':
    main()
