"""The faults the fault tests and `bench/faults.py` run under load, each on a fresh stack: a web
worker killed, Redis stopped and restarted, PostgreSQL restarted, Celery workers killed again and
again; `run` drives one and reports what the clients got and what was lost."""
from __future__ import annotations

import random
import time
from collections.abc import Callable

from tests.harness.stack import Stack
from tests.harness.traffic import Traffic


def kill_worker(stack: Stack, traffic: Traffic, seconds: float) -> dict:
    """SIGKILL a web worker; gunicorn starts another."""
    time.sleep(seconds)
    traffic.phase = 'after'
    killed = stack.kill_worker()
    time.sleep(seconds)
    return {'killed': killed, 'workers': stack.worker_pids()}


def take_down(traffic: Traffic, seconds: float, down: float, stop: Callable[[], None],
              start: Callable[[], None]) -> float:
    """After `seconds` of traffic, `stop` a server for `down` seconds and `start` it again;
    when it was back, on the traffic's clock."""
    time.sleep(seconds)
    traffic.phase = 'down'
    stop()
    time.sleep(down)
    start()
    return traffic.now()


def stop_redis(stack: Stack, traffic: Traffic, seconds: float, down: float) -> dict:
    """Stop Redis for `down` seconds, then start it again (empty, as after a crash)."""
    take_down(traffic, seconds, down, stack.redis.stop, stack.redis.start)
    hits = stack.cache_hits()
    traffic.phase = 'after'
    time.sleep(seconds)
    return {'cache_hits_after_restart': stack.cache_hits() - hits}


def restart_postgres(stack: Stack, traffic: Traffic, seconds: float, down: float) -> dict:
    """Shut PostgreSQL down for `down` seconds, then start it again; how long until the first
    post was written again, and what failed of the requests sent once it was back (a request
    answered just after the restart may have been sent, and failed, during the gap)."""
    back = take_down(traffic, seconds, down, stack.postgres.halt, stack.postgres.start)
    traffic.phase = 'after'
    time.sleep(seconds)
    written = [outcome.at for outcome in traffic.outcomes
               if outcome.phase == 'after' and outcome.post_id is not None]
    failed = {status: count for status, count in traffic.sent_since(back).items()
              if not status.startswith('2')}
    return {'recovered_after': min(written) - back if written else None, 'back_at': back,
            'failed_when_sent_after_restart': failed}


def kill_celery(stack: Stack, traffic: Traffic, seconds: float, kills: int) -> dict:
    """SIGKILL Celery `kills` times: first the whole worker while one of its e-mails is held
    at RCPT by the SMTP server (so a delivery is surely cut short), then a pool process about
    every second and every third time the whole worker (started again, as systemd does); how
    long that took."""
    time.sleep(seconds)
    traffic.phase = 'down'
    started = time.monotonic()
    stack.smtp.stall_once('rcpt')
    if not stack.smtp.stalled.wait(30):
        raise RuntimeError('no e-mail reached the SMTP server within 30 s')
    stack.kill_celery(whole=True)
    stack.smtp.release()
    for kill in range(2, kills + 1):
        time.sleep(random.uniform(0.5, 1.5))
        stack.kill_celery(whole=kill % 3 == 0)
    burst = time.monotonic() - started
    traffic.phase = 'after'
    time.sleep(seconds)
    return {'celery_kills': kills, 'burst_seconds': burst}


def run(fault: Callable[..., dict], clients: int, *args: float, settle: float = 600.0,
        **settings: str) -> dict:
    """Run `fault` on a fresh stack under traffic; its report, the traffic, the posts
    acknowledged but missing from the database, the e-mails owed for them once settled (within
    `settle` seconds, `Stack.emails`), and how often the Celery worker and beat were started
    again after they exited."""
    with Stack(mail=True, **settings) as stack:
        users = stack.users(clients)
        with Traffic(stack.url, users, clients) as traffic:
            report = fault(stack, traffic, *args)
        acknowledged = traffic.acknowledged()
        report.update(traffic=traffic, acknowledged=len(acknowledged),
                      lost=sorted(set(acknowledged) - stack.stored_posts(acknowledged)),
                      **stack.emails(acknowledged, settle), metrics=stack.metrics(),
                      celery_restarts=stack.celery.restarts, beat_restarts=stack.beat.restarts)
    return report
