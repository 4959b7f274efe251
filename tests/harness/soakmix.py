"""The soak's load: wrk sending a mix of writes and reads as many signed-up users, shared by
bench/soak.py (one host) and the cluster's test and benchmark (through the balancer). It keeps
the statuses and the id of every post acknowledged with 201, so a run can check none was lost."""
from __future__ import annotations

import collections
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field

from tests.harness.servers import missing

# A fifth of the requests write a post (naming another user when `mentions`: an e-mail owed),
# the rest read: collections, the public feed, home timelines, search, profiles.
SCRIPT = """
local names = %(names)s
local tokens = %(tokens)s
local mentions = %(mentions)s
local words = {"post", "soak", "hello", "warble"}
statuses = {}
acknowledged = {}
threads = {}
local sent = 0
setup = function(thread) table.insert(threads, thread) end
request = function()
  sent = sent + 1
  local i = math.random(#names)
  local mine = {["Authorization"] = "Bearer " .. tokens[i], ["Content-Type"] = "application/json"}
  local kind = sent %% 10
  if kind < 2 then
    local named = mentions and (" for @" .. names[math.random(#names)]) or ""
    local body = string.format('{"text": "soak post %%d%%s"}', math.random(1, 1000000000), named)
    return wrk.format("POST", "/api/v1/users/" .. names[i] .. "/collection", mine, body)
  elseif kind < 4 then
    return wrk.format("GET", "/api/v1/users/" .. names[math.random(#names)] .. "/collection")
  elseif kind < 6 then
    return wrk.format("GET", "/api/v1/microposts?page=" .. math.random(1, 3))
  elseif kind < 8 then
    return wrk.format("GET", "/api/v1/users/" .. names[i] .. "/timeline", mine)
  elseif kind < 9 then
    return wrk.format("GET", "/api/v1/search?text=" .. words[math.random(#words)])
  end
  return wrk.format("GET", "/api/v1/users/" .. names[math.random(#names)])
end
response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 201 then
    table.insert(acknowledged, string.match(body, '"id":%%s*"(%%d+)"') or "?")
  end
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("SUMMARY %%d %%d %%d %%d %%d %%d %%.0f %%.0f %%.0f %%.0f\\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      io.write(string.format("STATUS %%d %%d\\n", status, count))
    end
    for _, id in ipairs(thread:get("acknowledged")) do io.write("ACK " .. id .. "\\n") end
  end
end
"""
SUMMARY = re.compile(r'^SUMMARY ' + ' '.join([r'(\d+)'] * 6 + [r'([\d.]+)'] * 4) + '$', re.M)


def lua_table(values: list[str]) -> str:
    return '{' + ', '.join(f'"{value}"' for value in values) + '}'


@dataclass
class SoakResult:
    """What wrk saw: requests, socket errors (connect, read, write, timeout), statuses,
    latency (ms) and the ids of the posts acknowledged with 201."""

    requests: int
    seconds: float
    socket_errors: list[int]
    statuses: dict[str, int]
    p50: float
    p95: float
    p99: float
    worst: float
    acknowledged: list[int] = field(default_factory=list)

    @property
    def shed(self) -> int:
        """Requests a worker at its `server.max_in_flight` answered 503 at once (back-pressure,
        with Retry-After: the client may try again)."""
        return self.statuses.get('503', 0)

    @property
    def errors(self) -> int:
        """Requests that got no answer, or not the one they would on a healthy service (shed
        ones apart)."""
        return sum(self.socket_errors) + sum(count for status, count in self.statuses.items()
                                             if status not in ('200', '201', '503'))


class Soak:
    """wrk against `url` for `seconds` at `connections` as `users` (name, headers), in the
    background: `start` (or `with`), then `result()` once it is done."""

    def __init__(self, url: str, users: list[tuple[str, dict]], seconds: int, connections: int,
                 mentions: bool = False, threads: int = 2):
        if shutil.which('wrk') is None:
            missing('wrk (Debian package wrk)')
        self.script = tempfile.NamedTemporaryFile('w', suffix='.lua')
        self.script.write(SCRIPT % {
            'names': lua_table([name for name, _ in users]),
            'tokens': lua_table([headers['Authorization'].split()[1] for _, headers in users]),
            'mentions': 'true' if mentions else 'false'})
        self.script.flush()
        self.command = ['wrk', f'-t{threads}', f'-c{connections}', f'-d{seconds}s', '--timeout',
                        '10s', '-s', self.script.name, url]
        self.process: subprocess.Popen | None = None

    def start(self) -> Soak:
        self.process = subprocess.Popen(self.command, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
        return self

    def __enter__(self) -> Soak:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        """Stop wrk if it still runs (the caller failed before its result)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate()
        self.script.close()

    def result(self) -> SoakResult:
        output, errors = self.process.communicate()
        self.script.close()
        found = SUMMARY.search(output)
        if found is None:
            raise RuntimeError(f'wrk gave no summary: {output[-2000:]} {errors[-2000:]}')
        statuses = collections.Counter()
        for status, count in re.findall(r'^STATUS (\d+) (\d+)$', output, re.M):
            statuses[status] += int(count)
        acknowledged = re.findall(r'^ACK (\S+)$', output, re.M)
        assert '?' not in acknowledged, 'a 201 without a post id'
        return SoakResult(int(found.group(1)), int(found.group(2)) / 1e6,
                          [int(found.group(n)) for n in range(3, 7)], dict(statuses),
                          *(float(found.group(n)) / 1000 for n in range(7, 11)),
                          acknowledged=[int(post_id) for post_id in acknowledged])
