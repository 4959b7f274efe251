"""Live timelines over real sockets: gunicorn with a gevent worker sends Server-Sent Events of
posts (once a real Celery worker fanned them out), edits, deletes and follows; a client resumes
with Last-Event-ID without gap or repeat; gRPC streams the same events; one worker holds many
streams while it answers other requests."""
from __future__ import annotations

import contextlib
import signal
from pathlib import Path

import grpc
import pytest
import requests

from api.rpc.stubs import microposts_pb2, microposts_pb2_grpc
from models import redisdb
from models.feedevents import STREAM, FeedEvents
from tests.conftest import migrated
from tests.harness.apiclient import PASSWORD, sign_up_over_http
from tests.harness.rpc import start_rpc
from tests.harness.servers import start_gunicorn, start_web, start_worker, stop, wait_for
from tests.harness.sse import EventStream

HEARTBEAT = {'WARBLE_STREAMS_HEARTBEAT_SECONDS': '0.5'}
STREAMS = 60
FAR_AHEAD = '99999999999999-0'


@contextlib.contextmanager
def running(environ: dict, tmp_path: Path, worker: bool = False, rpc: bool = False):
    """Migrated settings, gunicorn with one gevent worker (its URL), and on request a Celery
    worker and `rpc.py` (its target)."""
    processes = []
    with migrated(environ):
        try:
            web, url = start_gunicorn(environ, tmp_path / 'gunicorn.log', workers=1)
            processes.append(web)
            if worker:
                processes.append(start_worker(environ, tmp_path / 'worker.log'))
            target = None
            if rpc:
                process, target = start_rpc(environ, tmp_path / 'rpc.log')
                processes.append(process)
            yield url, target
        finally:
            for process in processes:
                stop(process)


class Site:
    """The REST calls the scenarios make, over HTTP."""

    def __init__(self, url: str):
        self.url = url
        self.tokens: dict[str, dict] = {}

    def sign_up(self, *names: str) -> None:
        for name in names:
            self.tokens[name] = sign_up_over_http(self.url, name)

    def follow(self, who: str, whom: str) -> None:
        answer = requests.post(f'{self.url}/api/v1/users/{who}/following', json={
            'username': whom}, headers=self.tokens[who], timeout=10)
        assert answer.status_code == 201, answer.text

    def post(self, who: str, text: str) -> str:
        answer = requests.post(f'{self.url}/api/v1/users/{who}/collection', json={'text': text},
                               headers=self.tokens[who], timeout=10)
        assert answer.status_code == 201, answer.text
        return answer.json()['id']

    def edit(self, who: str, post_id: str, text: str) -> None:
        answer = requests.patch(f'{self.url}/api/v1/users/{who}/collection/{post_id}',
                                json={'text': text}, headers=self.tokens[who], timeout=10)
        assert answer.status_code == 200, answer.text

    def delete(self, who: str, post_id: str) -> None:
        answer = requests.delete(f'{self.url}/api/v1/users/{who}/collection/{post_id}',
                                 headers=self.tokens[who], timeout=10)
        assert answer.status_code == 204, answer.text

    def newest(self, who: str) -> list[str]:
        answer = requests.get(f'{self.url}/api/v1/users/{who}/timeline', {'order': 'newest'},
                              headers=self.tokens[who], timeout=10)
        return [each['id'] for each in answer.json()['result']]

    def timeline_stream(self, who: str, last_event_id: str | None = None) -> EventStream:
        return EventStream(f'{self.url}/api/v1/users/{who}/timeline/stream', self.tokens[who],
                           last_event_id)

    def public_stream(self, last_event_id: str | None = None) -> EventStream:
        return EventStream(f'{self.url}/api/v1/microposts/stream', None, last_event_id)


def opens(site: Site) -> bool:
    """Whether a public stream opens now (it is closed again at once)."""
    with site.public_stream() as stream:
        return stream.status == 200


def told(event: dict) -> tuple:
    """What an event says, without its entry id."""
    data = event['data']
    return event['event'], data.get('id'), data['username'], data.get('followed')


def fanned_out(public: EventStream, post_id: str) -> None:
    """Wait until the public stream tells of the post: its fan-out is done."""
    while told(public.next_event())[:2] != ('post', post_id):
        pass


def test_a_timeline_stream_tells_what_its_feed_shows_and_resumes_without_gap(environ, tmp_path):
    environ = {**environ, **HEARTBEAT}
    with running(environ, tmp_path, worker=True, rpc=True) as (url, target):
        site = Site(url)
        site.sign_up('alice', 'bob', 'carol')
        site.follow('bob', 'alice')
        public = site.public_stream()
        public.first()
        bob = site.timeline_stream('bob')
        opening = bob.first()
        assert opening['retry'] == '3000' and opening['id']

        c1 = site.post('carol', 'c1')
        fanned_out(public, c1)
        a1 = site.post('alice', 'a1')
        assert told(bob.next_event()) == ('post', a1, 'alice', None)
        assert site.newest('bob')[0] == a1  # told of it, the client finds it in its feed
        site.edit('alice', a1, 'a1 edited')
        assert told(bob.next_event()) == ('edit', a1, 'alice', None)
        site.edit('carol', c1, 'c1 edited')  # not followed: not told (the next is alice's)
        site.delete('alice', a1)
        assert told(bob.next_event()) == ('delete', a1, 'alice', None)

        site.follow('bob', 'carol')
        assert told(bob.next_event()) == ('follow', None, 'bob', 'carol')
        site.edit('carol', c1, 'c1 again')  # followed now
        assert told(bob.next_event()) == ('edit', c1, 'carol', None)
        assert next(frame for frame in bob.frames() if 'comment' in frame)['comment'] \
            == 'heartbeat'
        left_at = bob.last_id
        bob.close()

        a2 = site.post('alice', 'a2')
        fanned_out(public, a2)
        site.edit('alice', a2, 'a2 edited')
        site.delete('carol', c1)
        missed = [('post', a2, 'alice', None), ('edit', a2, 'alice', None),
                  ('delete', c1, 'carol', None)]
        with site.timeline_stream('bob', left_at) as again:
            assert 'id' not in again.first()  # the client's own id stands
            assert [told(each) for each in again.events(3)] == missed

            channel = grpc.insecure_channel(target)
            call = microposts_pb2_grpc.MicroPostsStub(channel).StreamTimeline(
                microposts_pb2.StreamRequest(last_event_id=left_at), timeout=60,
                metadata=[('authorization', site.tokens['bob']['Authorization'])])
            by_rpc = [next(call) for _ in range(3)]
            assert [(each.type, str(each.id), each.username, None) for each in by_rpc] == missed
            assert by_rpc[-1].event_id == again.last_id

            site.edit('alice', a2, 'a2 once more')
            assert told(again.next_event()) == ('edit', a2, 'alice', None)
            assert next(call).event_id == again.last_id  # the same event, live on both
            call.cancel()
            with pytest.raises(grpc.RpcError) as cancelled:
                next(call)
            assert cancelled.value.code() == grpc.StatusCode.CANCELLED
            channel.close()
        public.close()


def test_a_stream_is_the_callers_only(environ, tmp_path):
    with running({**environ, **HEARTBEAT}, tmp_path) as (url, _):
        site = Site(url)
        site.sign_up('alice', 'bob')
        assert requests.get(f'{url}/api/v1/users/bob/timeline/stream', timeout=10) \
            .status_code == 401
        with EventStream(f'{url}/api/v1/users/bob/timeline/stream', site.tokens['alice']) as \
                other:
            assert other.status == 403
        with site.timeline_stream('bob', 'not-an-id') as bad:
            assert bad.status == 400
        with EventStream(f'{url}/api/v1/users/nobody/timeline/stream', site.tokens['bob']) as \
                nobody:
            assert nobody.status == 404
        session = requests.post(f'{url}/api/v1/session', json={
            'username': 'bob', 'password': PASSWORD}, timeout=10)
        assert session.status_code == 200, session.text
        cookie = '; '.join(f'{name}={value}' for name, value in session.cookies.items())
        with EventStream(f'{url}/api/v1/users/bob/timeline/stream', {'Cookie': cookie}) as \
                browser:  # a browser's session, as the timeline takes it
            assert browser.status == 200 and browser.first()['id']


def worker_rss_kib(gunicorn_pid: int) -> int:
    """The resident memory of gunicorn's one worker."""
    children = Path(f'/proc/{gunicorn_pid}/task/{gunicorn_pid}/children').read_text().split()
    status = Path(f'/proc/{children[0]}/status').read_text()
    return int(next(line for line in status.splitlines() if line.startswith('VmRSS')).split()[1])


def test_one_gevent_worker_holds_many_streams_and_still_answers(environ, tmp_path, capsys):
    environ = {**environ, **HEARTBEAT, 'WARBLE_SERVER_MAX_IN_FLIGHT': '10',
               'WARBLE_STREAMS_MAX_PER_WORKER': str(STREAMS), 'WARBLE_STREAMS_QUEUE': '8'}
    with running(environ, tmp_path) as (url, _):
        site = Site(url)
        site.sign_up('alice')
        a1 = site.post('alice', 'a1')
        streams = []
        try:
            streams.append(site.public_stream())
            opened_at = streams[0].first()['id']
            before = worker_rss_kib_of(url)
            for _ in range(STREAMS - 1):
                streams.append(site.public_stream())
                streams[-1].first()
            after = worker_rss_kib_of(url)
            with capsys.disabled():
                print(f'\n{STREAMS} streams: worker RSS {before} KiB with one, {after} KiB with '
                      f'all ({(after - before) / (STREAMS - 1):.0f} KiB each)')
            # More streams than the in-flight limit's places, and requests are still answered.
            for _ in range(20):
                assert requests.get(f'{url}/api/v1/microposts', timeout=10).status_code == 200
            assert requests.get(f'{url}/status', timeout=10).status_code in (200, 503)
            refused = requests.get(f'{url}/api/v1/microposts/stream', timeout=10)
            assert refused.status_code == 503 and refused.headers['Retry-After']
            site.edit('alice', a1, 'seen by all')
            assert all(told(each.next_event()) == ('edit', a1, 'alice', None)
                       for each in streams)

            burst(12)  # more than a queue holds, in one read: every stream is dropped
            for each in streams:
                assert next(frame for frame in each.frames()
                            if frame.get('event') == 'dropped')['data'] == {'type': 'dropped'}
                assert list(each.frames()) == []  # and ends
            wait_for(lambda: opens(site), what='a freed place')
        finally:
            for each in streams:
                each.close()

        with site.public_stream(FAR_AHEAD) as lost:  # an id the stream never had: reload
            assert lost.next_event()['event'] == 'reset'
        with EventStream(f'{url}/api/v1/microposts/stream?last_event_id={FAR_AHEAD}') as lost:
            assert lost.next_event()['event'] == 'reset'  # the same, asked in the query
        redisdb.get_redis('timelines').xtrim(STREAM, maxlen=1, approximate=False)
        with site.public_stream(opened_at) as cut:  # its followers were cut away
            reset = cut.next_event()
            assert reset['event'] == 'reset' and reset['id']
            site.edit('alice', a1, 'after the reset')
            assert told(cut.next_event()) == ('edit', a1, 'alice', None)


def worker_rss_kib_of(url: str) -> int:
    """The resident memory of the worker behind `url` (gunicorn with one worker)."""
    port = url.rsplit(':', 1)[1]
    for entry in Path('/proc').iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                command = (entry / 'cmdline').read_bytes().split(b'\0')
                if b'gunicorn' in b' '.join(command) and f'127.0.0.1:{port}'.encode() in command:
                    return worker_rss_kib(int(entry.name))
    raise LookupError(f'no gunicorn on port {port}')


def burst(count: int) -> None:
    """`count` edit events written in one transaction: a reader gets them in one read."""
    events = FeedEvents(1000)
    with events.redis.pipeline(transaction=True) as pipeline:
        for number in range(count):
            pipeline.xadd(STREAM, {'type': 'edit', 'id': str(number + 1), 'author': '0',
                                   'username': 'nobody'})
        pipeline.execute()


def test_a_stream_its_client_left_gives_its_place_back(environ, tmp_path):
    environ = {**environ, **HEARTBEAT, 'WARBLE_STREAMS_MAX_PER_WORKER': '1'}
    with running(environ, tmp_path) as (url, _):
        site = Site(url)
        with site.public_stream() as first:
            assert first.first()['id']
            assert requests.get(f'{url}/api/v1/microposts/stream', timeout=10).status_code == 503
        # Gone, it is noticed at the next heartbeat, and its place is free again.
        wait_for(lambda: opens(site), what='the place given back')


def test_a_stopping_server_ends_its_streams_cleanly(environ, tmp_path):
    """`web.py` (as production runs it): told to stop, a worker ends its streams at once rather
    than holding them open until gunicorn's graceful timeout kills it."""
    with migrated(environ):
        web, url = start_web({**environ, **HEARTBEAT}, tmp_path / 'web.log', workers=1)
        try:
            with EventStream(f'{url}/api/v1/microposts/stream') as stream:
                assert stream.first()['id']
                web.send_signal(signal.SIGTERM)
                frames = list(stream.frames())  # to its clean end: a killed worker would cut it
                assert all('event' not in frame for frame in frames)
            assert web.wait(timeout=60) == 0
        finally:
            stop(web)


def test_grpc_streams_hold_half_the_threads_and_end_at_their_deadline(environ, tmp_path):
    environ = {**environ, 'WARBLE_GRPC_WORKERS': '2'}  # one thread for streams, one for calls
    with running(environ, tmp_path, rpc=True) as (url, target):
        site = Site(url)
        site.sign_up('alice', 'bob')
        auth = [('authorization', site.tokens['bob']['Authorization'])]
        with grpc.insecure_channel(target) as channel:
            posts = microposts_pb2_grpc.MicroPostsStub(channel)

            def stream(seconds: float):
                return posts.StreamTimeline(microposts_pb2.StreamRequest(), timeout=seconds,
                                            metadata=auth)

            def ended(call) -> grpc.StatusCode:
                with pytest.raises(grpc.RpcError) as failure:
                    next(call)
                return failure.value.code()

            first = stream(60)
            site.follow('bob', 'alice')
            assert next(first).followed == 'alice'  # open, and told
            assert posts.GetUser(microposts_pb2.UserRef(username='alice'), timeout=10) \
                .username == 'alice'  # the other thread still serves calls
            assert ended(stream(10)) == grpc.StatusCode.UNAVAILABLE  # no second stream
            first.cancel()
            # Cancelled, the first gives its place back; a stream's deadline ends it too.
            wait_for(lambda: ended(stream(1)) == grpc.StatusCode.DEADLINE_EXCEEDED,
                     what='the place given back')
            assert ended(stream(1)) == grpc.StatusCode.DEADLINE_EXCEEDED


@pytest.fixture
def unreachable_events(environ, tmp_path):
    """Settings whose timelines' Redis does not answer, bound before the test (so that its log
    capture is installed after the logging is)."""
    dead = {**environ, 'WARBLE_REDIS_TIMELINES_URL': f'unix://{tmp_path}/nothing.sock'}
    with migrated(dead) as settings:
        yield settings


def test_writes_succeed_and_log_when_the_events_cannot_be_told(unreachable_events, caplog):
    """Events are best effort: with the timelines' Redis unreachable, an edit, a delete and a
    follow answer as ever, and the lost event is logged."""
    import api
    from tests.harness.apiclient import CheckedApp, post, sign_up
    caplog.set_level('WARNING', logger='warble.events')
    client = CheckedApp(api.create_wsgi(unreachable_events))
    alice, bob = sign_up(client, 'alice'), sign_up(client, 'bob')
    written = post(client, 'alice', alice, 'hello')
    client.patch_json(written['href'], {'text': 'edited'}, headers=alice, status=200)
    client.delete(written['href'], headers=alice, status=204)
    client.post_json('/api/v1/users/bob/following', {'username': 'alice'}, headers=bob,
                     status=201)
    lost = [record.getMessage() for record in caplog.records if record.name == 'warble.events']
    assert [message.split(' event by ')[0] for message in lost] == ['edit', 'delete', 'follow']


@pytest.fixture
def merged_on_read(environ):
    """Settings under which an author with a follower is merged on read, not fanned out."""
    with migrated({**environ, 'WARBLE_TIMELINES_LARGE_ACCOUNT': '0'}) as settings:
        yield settings


def test_a_post_is_told_once_when_fanned_out_even_if_merged_on_read(merged_on_read):
    import api
    from controllers.feeds import FeedController
    from tests.harness.apiclient import CheckedApp, post, sign_up
    client = CheckedApp(api.create_wsgi(merged_on_read))
    alice, bob = sign_up(client, 'alice'), sign_up(client, 'bob')
    client.post_json('/api/v1/users/bob/following', {'username': 'alice'}, headers=bob,
                     status=201)
    events = FeedEvents(1000)
    before = events.latest()
    written = post(client, 'alice', alice, 'hello')
    assert events.after(before, 10) == []  # not before its feeds took it
    FeedController().fan_out(int(written['id']))
    FeedController().fan_out(int(written['id']))  # a task run twice tells once
    told_now = [fields for _, fields in events.after(before, 10)]
    assert told_now == [{'type': 'post', 'author': told_now[0]['author'], 'username': 'alice',
                         'id': written['id']}]
    assert client.get('/api/v1/users/bob/timeline', {'order': 'newest'},
                      headers=bob).json['result'][0]['id'] == written['id']
