"""What an avatar upload costs: each picture in a fresh process, in-process WSGI call.

`python3 bench/avatars.py` prints, per picture, the status, the time to answer and the
process's peak RSS growth (Linux's VmHWM, reset before the call) over a warmed-up app (SQLite,
a signed-up user), and, for a picture refused, what decoding it would have cost had it been
let through.
"""
from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import tempfile
import time
import zlib


def blank_png(width: int, height: int) -> bytes:
    """A valid black PNG, made row by row: 10,000 × 10,000 is some 300 KB."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack('>I', len(data)) + kind + data
                + struct.pack('>I', zlib.crc32(kind + data)))
    packer = zlib.compressobj()
    row = bytes(1 + 3 * width)
    data = b''.join([packer.compress(row) for _ in range(height)] + [packer.flush()])
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', width, height, 8, 2,
                                                              0, 0, 0))
            + chunk(b'IDAT', data) + chunk(b'IEND', b''))


def photo(width: int, height: int, kind: str) -> bytes:
    """A picture with the detail of a photo (noise over a gradient)."""
    from PIL import Image
    noise = Image.effect_noise((width, height), 24).convert('RGB')
    gradient = Image.linear_gradient('L').resize((width, height)).convert('RGB')
    out = io.BytesIO()
    Image.blend(noise, gradient, 0.6).save(out, kind, quality=85)
    return out.getvalue()


def gradient(width: int, height: int) -> bytes:
    """A grey JPEG of any size without colour or detail (it compresses to little)."""
    from PIL import Image
    out = io.BytesIO()
    Image.linear_gradient('L').resize((width, height)).save(out, 'JPEG', quality=75)
    return out.getvalue()


PICTURES = {
    'PNG 10,000 x 10,000 (bomb)': ('image/png', lambda: blank_png(10_000, 10_000)),
    'JPEG 10,000 x 10,000': ('image/jpeg', lambda: gradient(10_000, 10_000)),
    'JPEG 4,032 x 3,024 (phone photo)': ('image/jpeg', lambda: photo(4032, 3024, 'JPEG')),
    'PNG 4,096 x 4,096 (the limit)': ('image/png', lambda: blank_png(4096, 4096)),
}


def status_kib(field: str) -> int:
    """`VmRSS` (resident now) or `VmHWM` (its peak) of this process, in KiB."""
    with open('/proc/self/status') as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field + ':'))


def measured() -> int:
    """Resident KiB now, with the peak reset to it (Linux: `clear_refs` 5)."""
    with open('/proc/self/clear_refs', 'w') as clear:
        clear.write('5')
    return status_kib('VmRSS')


def run_one(name: str, made: str) -> None:
    """Upload one picture (made beforehand into the file `made`, so that making it does not
    count) in this process; print a JSON line of figures."""
    from lib import bootstrap
    bootstrap.use_vendor()
    import api
    from controllers import boot
    from lib import config
    from models import db
    folder = tempfile.mkdtemp(prefix='warble-avatars-')
    settings = config.load({'WARBLE_ROLE': 'test', 'WARBLE_PATHS_VAR': folder,
                            'WARBLE_DATABASE_URL': f'sqlite:///{folder}/warble.db',
                            'WARBLE_REDIS_URL': f'unix://{folder}/none.sock',
                            'WARBLE_METRICS_ENABLED': 'false'})
    boot.configure(settings, check_database=False)
    db.migrations().up()
    app = api.create_wsgi(settings)
    call(app, 'POST', '/api/v1/users', json.dumps(
        {'username': 'ann', 'email': 'ann@example.com', 'password': 'correct horse battery'}))
    token = json.loads(call(app, 'POST', '/api/v1/token', json.dumps(
        {'grant_type': 'password', 'username': 'ann',
         'password': 'correct horse battery'}))[1])['access_token']
    media_type, _ = PICTURES[name]
    with open(made, 'rb') as file:
        body = file.read()
    call(app, 'PUT', '/api/v1/users/ann/avatar', photo(64, 64, 'PNG'), 'image/png', token)
    before = measured()
    started = time.perf_counter()
    status, _ = call(app, 'PUT', '/api/v1/users/ann/avatar', body, media_type, token)
    seconds = time.perf_counter() - started
    figures = {'picture': name, 'body_bytes': len(body), 'status': status,
               'seconds': round(seconds, 3),
               'peak_rss_growth_mib': round((status_kib('VmHWM') - before) / 1024, 1)}
    if status.startswith('400'):
        figures.update(decoding_it(body))
    print(json.dumps(figures))


def decoding_it(body: bytes) -> dict:
    """What Pillow's decoder takes for the whole picture (what a check of the header spares)."""
    from PIL import Image
    Image.MAX_IMAGE_PIXELS = None
    before = measured()
    started = time.perf_counter()
    Image.open(io.BytesIO(body)).load()
    return {'decoding_would_take_seconds': round(time.perf_counter() - started, 3),
            'decoding_would_take_mib': round((status_kib('VmHWM') - before) / 1024, 1)}


def call(app, method: str, path: str, body: bytes | str, media_type: str = 'application/json',
         token: str | None = None) -> tuple[str, bytes]:
    body = body.encode() if isinstance(body, str) else body
    environ = {'REQUEST_METHOD': method, 'PATH_INFO': path, 'SERVER_NAME': 'localhost',
               'SERVER_PORT': '80', 'wsgi.url_scheme': 'http', 'wsgi.input': io.BytesIO(body),
               'CONTENT_LENGTH': str(len(body)), 'CONTENT_TYPE': media_type,
               'REMOTE_ADDR': '127.0.0.1', 'wsgi.errors': sys.stderr}
    if token:
        environ['HTTP_AUTHORIZATION'] = f'Bearer {token}'
    seen = []
    chunks = app(environ, lambda status, headers, exc_info=None: seen.append(status))
    return seen[0], b''.join(chunks)


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == '--one':
        run_one(sys.argv[2], sys.argv[3])
        return
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    environ = {**os.environ, 'PYTHONPATH': f'{root}/lib:{root}/lib/vendor:{root}'}
    made = tempfile.mkdtemp(prefix='warble-pictures-')
    for number, (name, (_, make)) in enumerate(PICTURES.items()):
        path = os.path.join(made, str(number))
        with open(path, 'wb') as file:
            file.write(make())
        done = subprocess.run([sys.executable, __file__, '--one', name, path], cwd=root,
                              env=environ, capture_output=True, text=True, timeout=600)
        figures = json.loads(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 \
            else {'picture': name, 'failed': done.stderr[-600:]}
        print('  '.join(f'{key}={value}' for key, value in figures.items()), flush=True)


if __name__ == '__main__':
    main()
