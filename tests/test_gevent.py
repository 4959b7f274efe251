"""gunicorn with gevent workers: the database driver cooperates, and the app serves /status."""
import json
import subprocess
import textwrap

import requests

from lib.bootstrap import child_environ
from tests.harness.servers import PYTHON, ROOT, free_port, start_process, stop, wait_for

OVERLAP = textwrap.dedent('''
    from gevent import monkey
    monkey.patch_all()
    import json, sys, time
    import gevent
    from lib.config import load
    from controllers import boot
    from models import db
    boot.configure(load())

    def slow_query():
        db.database.connect(reuse_if_open=True)
        try:
            db.database.execute_sql('SELECT pg_sleep(1)')
        finally:
            db.database.close()

    started = time.perf_counter()
    gevent.joinall([gevent.spawn(slow_query) for _ in range(5)], raise_error=True)
    print(json.dumps({'seconds': time.perf_counter() - started}))
''')


def test_slow_queries_in_greenlets_overlap_instead_of_queueing(postgres_environ):
    done = subprocess.run([PYTHON, '-c', OVERLAP], cwd=ROOT, capture_output=True, text=True,
                          env=child_environ(**postgres_environ), timeout=60)
    assert done.returncode == 0, done.stderr
    seconds = json.loads(done.stdout)['seconds']
    assert seconds < 3, f'five 1 s queries took {seconds:.1f} s: they queued'


FAIRNESS = textwrap.dedent('''
    from gevent import monkey
    monkey.patch_all()
    import json, time
    import gevent
    from lib.config import load
    from controllers import boot
    from models import db
    boot.configure(load())
    taken = []

    def hog(name):
        for _ in range(20):
            db.database.connect()
            taken.append(name)
            db.database.execute_sql('SELECT pg_sleep(0.02)')
            db.database.close()

    def late():
        gevent.sleep(0.1)
        taken.append('late waits')
        db.database.connect()
        taken.append('late')
        db.database.close()

    gevent.joinall([gevent.spawn(hog, 'a'), gevent.spawn(hog, 'b'), gevent.spawn(late)],
                   raise_error=True)
    waited = taken[taken.index('late waits') + 1:taken.index('late')]
    print(json.dumps({'overtaken': len(waited)}))
''')


def test_a_full_pool_serves_its_waiters_in_order(postgres_environ):
    """Two greenlets that give their connection back and ask again at once must not overtake one
    that was already waiting (the pool's own lets them, so it could wait out the timeout)."""
    environ = {**postgres_environ, 'WARBLE_DATABASE_POOL_SIZE': '2'}
    done = subprocess.run([PYTHON, '-c', FAIRNESS], cwd=ROOT, capture_output=True, text=True,
                          env=child_environ(**environ), timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {'overtaken': 0}


def test_gunicorn_gevent_serves_status(postgres_environ, celery_worker, rpc_server, tmp_path):
    port = free_port()
    server = start_process([PYTHON, '-m', 'gunicorn', '-k', 'gevent', '-w', '2',
                            '--no-control-socket', '-b', f'127.0.0.1:{port}', 'app:application'],
                           postgres_environ, tmp_path / 'gunicorn.log')
    try:
        wait_for(lambda: requests.get(f'http://127.0.0.1:{port}/status', timeout=5),
                 timeout=30, what='gunicorn')
        answer = requests.get(f'http://127.0.0.1:{port}/status', timeout=10)
        assert answer.status_code == 200, answer.text
        assert answer.json()['status'] == 'ok'
        assert answer.headers['X-Request-ID']
    finally:
        stop(server)
