"""Load from a separate process: gunicorn started like production, wrk driving it with Lua."""
from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.harness.servers import start_gunicorn, stop

RESULT = re.compile(r'^RESULT (\d+) (\d+) (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)$',
                    re.M)
SCRIPT = """
local paths = %(paths)s
local headers = %(headers)s
local bodies = %(bodies)s
request = function()
  local body = nil
  if #bodies > 0 then
    body = bodies[math.random(#bodies)]
  elseif %(post)s then
    body = string.format('{"text": "benchmark post %%d"}', math.random(1, 1000000000))
  end
  return wrk.format("%(method)s", paths[math.random(#paths)], headers, body)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%.0f %%.0f %%.0f %%.0f\\n", summary.requests,
    summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency:percentile(99.9)))
end
"""


@dataclass
class Figures:
    """Requests per second and latency percentiles (ms) of one wrk run; `requests` is how many
    wrk saw answered (the server may have taken a few more, cut off at the end)."""

    requests_per_second: float
    p50: float
    p95: float
    p99: float
    p999: float
    failures: int
    requests: int


def lua_table(value: dict | list) -> str:
    """A Lua table literal of strings (JSON strings are Lua strings too)."""
    if isinstance(value, dict):
        items = [f'[{json.dumps(key)}] = {json.dumps(item)}' for key, item in value.items()]
    else:
        items = [json.dumps(item) for item in value]
    return '{' + ', '.join(items) + '}'


def drive(base: str, paths: list[str], seconds: int, connections: int, method: str = 'GET',
          headers: dict | None = None, threads: int = 1, bodies: list[str] = ()) -> Figures:
    """Run wrk with `threads` against `base` for `seconds`, each request to one of `paths` at
    random, with one of `bodies` at random (without: a new post's for a POST, else none)."""
    if shutil.which('wrk') is None:
        raise SystemExit('bench: wrk is missing (apt-get install wrk)')
    script = SCRIPT % {'paths': lua_table(paths), 'headers': lua_table(headers or {}),
                       'bodies': lua_table(list(bodies)),
                       'post': 'true' if method == 'POST' else 'false', 'method': method}
    with tempfile.NamedTemporaryFile('w', suffix='.lua') as lua:
        lua.write(script)
        lua.flush()
        output = subprocess.run(['wrk', f'-t{threads}', f'-c{connections}', f'-d{seconds}s',
                                 '--timeout', '10s', '-s', lua.name, base],
                                capture_output=True, text=True, check=True).stdout
    found = RESULT.search(output)
    if found is None:
        raise RuntimeError(f'wrk gave no result:\n{output}')
    count, micros, status_errors, socket_errors = (int(found.group(n)) for n in range(1, 5))
    p50, p95, p99, p999 = (float(found.group(n)) / 1000 for n in range(5, 9))
    return Figures(count / (micros / 1e6), p50, p95, p99, p999, status_errors + socket_errors,
                   count)


def tree_cpu_seconds(root: int) -> float:
    """User and system CPU time, in seconds, of process `root` and all its descendants, those
    that ended and were waited for included (a gunicorn master and its workers; a postmaster
    and its backends, each in a session of its own)."""
    parents, ticks = {}, {}
    for stat in Path('/proc').glob('[0-9]*/stat'):
        try:
            text = stat.read_text()
        except OSError:  # gone since the listing
            continue
        fields = text[text.rindex(')') + 2:].split()  # after the name, which may hold spaces
        # fields: state, ppid, ..., utime (11), stime (12), cutime (13), cstime (14)
        pid = int(stat.parent.name)
        parents[pid] = int(fields[1])
        ticks[pid] = sum(int(fields[n]) for n in (11, 12, 13, 14))
    total, inside = 0, {root}
    for pid in sorted(parents):  # a child's pid may be lower than its parent's: walk up
        ancestor = pid
        while ancestor not in inside and ancestor in parents and ancestor > 1:
            ancestor = parents[ancestor]
        if ancestor in inside:
            total += ticks[pid]
    return total / os.sysconf('SC_CLK_TCK')


@contextlib.contextmanager
def gunicorn(app: str, environ: dict, log: Path) -> Iterator[str]:
    """`app` under gunicorn with two gevent workers while the block runs; its base URL."""
    process, base = start_gunicorn(environ, log, app=app)
    try:
        yield base
    finally:
        stop(process)
