"""What refusing hostile bodies costs: each attack in a fresh process, in-process WSGI call.

`python3 bench/refusals.py` prints, per attack, the status, the time to answer, the answer's
size and the process's peak RSS growth over a warmed-up app (SQLite; no server needed, the
bodies are refused before any storage).
"""
from __future__ import annotations

import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

ATTACKS = {
    'sign-up e-mail 100 KB': ('/api/v1/users', lambda: json.dumps(
        {'username': 'mallory', 'password': 'x' * 12, 'email': 'a@' + '.' * 100_000 + '@'})),
    'citizens [{},...] 90 KB': ('/imports', lambda: '{"citizens":[' + ','.join(
        ['{}'] * 30_000) + ']}'),
    'citizens [{},...] 180 KB': ('/imports', lambda: '{"citizens":[' + ','.join(
        ['{}'] * 60_000) + ']}'),
}


def peak_rss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def run_one(name: str) -> None:
    """Answer one attack in this process; print a JSON line of figures."""
    from lib import bootstrap
    bootstrap.use_vendor()
    import api
    from controllers import boot
    from lib import config
    folder = tempfile.mkdtemp(prefix='warble-refusals-')
    settings = config.load({'WARBLE_ROLE': 'test', 'WARBLE_PATHS_VAR': folder,
                            'WARBLE_DATABASE_URL': f'sqlite:///{folder}/warble.db',
                            'WARBLE_REDIS_URL': f'unix://{folder}/none.sock',
                            'WARBLE_METRICS_ENABLED': 'false'})
    boot.configure(settings)
    app = api.create_wsgi(settings)
    path, make_body = ATTACKS[name]
    body = make_body().encode()
    call(app, path, b'{}')  # warm up: imports, compiled schemas
    before = peak_rss_kib()
    started = time.perf_counter()
    status, answer = call(app, path, body)
    seconds = time.perf_counter() - started
    print(json.dumps({'attack': name, 'body_bytes': len(body), 'status': status,
                      'seconds': round(seconds, 3), 'answer_bytes': len(answer),
                      'peak_rss_growth_mib': round((peak_rss_kib() - before) / 1024, 1)}))


def call(app, path: str, body: bytes) -> tuple[str, bytes]:
    environ = {'REQUEST_METHOD': 'POST', 'PATH_INFO': path, 'SERVER_NAME': 'localhost',
               'SERVER_PORT': '80', 'wsgi.url_scheme': 'http', 'wsgi.input': io.BytesIO(body),
               'CONTENT_LENGTH': str(len(body)), 'CONTENT_TYPE': 'application/json',
               'REMOTE_ADDR': '127.0.0.1', 'wsgi.errors': sys.stderr}
    seen = []
    chunks = app(environ, lambda status, headers, exc_info=None: seen.append(status))
    return seen[0], b''.join(chunks)


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == '--one':
        run_one(sys.argv[2])
        return
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    environ = {**os.environ, 'PYTHONPATH': f'{root}/lib:{root}/lib/vendor:{root}'}
    for name in ATTACKS:
        done = subprocess.run([sys.executable, __file__, '--one', name], cwd=root, env=environ,
                              capture_output=True, text=True, timeout=600)
        figures = json.loads(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 \
            else {'attack': name, 'failed': done.stderr[-400:]}
        print('  '.join(f'{key}={value}' for key, value in figures.items()), flush=True)


if __name__ == '__main__':
    main()
