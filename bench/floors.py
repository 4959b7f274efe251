"""Floors for bench/floor.py: the least any server must do for the requests it sends Warble.

One bare WSGI app, served by the same gunicorn as Warble on the same paths, doing nothing but
the storage work each answer needs: no framework, no validation, no cache bookkeeping. The gap
between it and Warble is what Warble itself costs.

- GET /api/v1/microposts?size=N with an Authorization header: the one query Warble runs for that
  page of the public feed (its SQL, as captured from pg_stat_statements), rows as JSON;
- the same without one: one Redis GET of that page, answered as it is (the query and a SET on a
  miss, so that one request warms it);
- GET /api/v1/users/<name>/collection/<id>: one query for the post with its author's name;
- POST /api/v1/users/<name>/collection: Warble's INSERT in a transaction (BEGIN, INSERT,
  COMMIT), its id from Warble's own generator (`models/ids.py`); the author's id is looked up
  once per worker, as Warble has it from the token.
- GET /api/v1/users/<name>/timeline?order=newest[&before=ID]&size=N: a page of the home feed,
  as Warble reads it from a built feed: its page script in Redis (the same Lua), then one query
  for those posts still shown to the user (the author's id looked up once per worker).

Connections: psycopg 3 (gevent-aware once the worker has patched), up to POOL_SIZE per worker
(Warble's pool size), reused from a plain list.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from urllib.parse import parse_qs

import psycopg
import redis

from controllers.feeds import SLACK
from lib.config import resolve
from models import ids
from models.timelines import MERGED, SCRIPTS, feed_key, member

POOL_SIZE = 20
PAGE_KEY = 'floor:page:{size}'
PAGE_SECONDS = 300
LISTING = ('SELECT "t1"."id", "t1"."text", "t1"."created", "t1"."edited", '
           '"author"."username" AS "username", '
           '"referenced_user"."username" AS "referenced_username" FROM "micropost" AS "t1" '
           'INNER JOIN "users" AS "author" ON ("t1"."user_id" = "author"."id") '
           'LEFT OUTER JOIN "users" AS "referenced_user" '
           'ON ("t1"."referenced_id" = "referenced_user"."id")')
PAGE = f'{LISTING} ORDER BY "t1"."id" DESC LIMIT %s OFFSET %s'
POST = f'{LISTING} WHERE (("t1"."id" = %s) AND (LOWER("author"."username") = %s)) LIMIT %s'
INSERT = ('INSERT INTO "micropost" ("id", "user_id", "text", "referenced_id", "created", '
          '"fanned_out") VALUES (%s, %s, %s, %s, %s, false)')
AUTHOR = 'SELECT "id" FROM "users" WHERE LOWER("username") = %s'
SHOWN = (f'{LISTING} WHERE "t1"."id" = ANY(%s) AND ("t1"."user_id" = %s OR EXISTS (SELECT 1 '
         'FROM "follow" WHERE "follower_id" = %s AND "followed_id" = "t1"."user_id")) '
         'ORDER BY "t1"."id" DESC')
COLUMNS = ('id', 'text', 'created', 'edited', 'username', 'referenced_username')
TIMELINE = re.compile(r'^/api/v1/users/([^/]+)/timeline$')
ITEM = re.compile(r'^/api/v1/users/([^/]+)/collection/(\d+)$')
COLLECTION = re.compile(r'^/api/v1/users/([^/]+)/collection$')
Respond = Callable[[str, list[tuple[str, str]]], object]


class Connections:
    """At most `size` open connections to `url`; idle ones wait in a list for the next request."""

    def __init__(self, url: str, size: int):
        self.url = url
        self.idle: list[psycopg.Connection] = []
        self.slots = threading.BoundedSemaphore(size)

    @contextlib.contextmanager
    def connection(self) -> Iterator[psycopg.Connection]:
        with self.slots:
            conn = self.idle.pop() if self.idle else psycopg.connect(self.url, autocommit=True)
            try:
                yield conn
            except BaseException:
                conn.close()
                raise
            self.idle.append(conn)


database = Connections(os.environ['WARBLE_DATABASE_URL'], POOL_SIZE)
cache = redis.Redis.from_url(os.environ['WARBLE_REDIS_URL'])
feeds = redis.Redis.from_url(os.environ.get('WARBLE_REDIS_TIMELINES_URL')
                             or os.environ['WARBLE_REDIS_URL'])
page_script = feeds.register_script((SCRIPTS / 'trim.lua').read_text()
                                    + (SCRIPTS / 'page.lua').read_text())
authors: dict[str, int] = {}
ids.configure(0, resolve(os.environ.get('WARBLE_PATHS_VAR', 'var')) / 'ids')


def page(size: int) -> bytes:
    with database.connection() as conn:
        rows = conn.execute(PAGE, (size + 1, 0)).fetchall()
    return as_json([as_post(row) for row in rows[:size]])


def cached_page(size: int) -> bytes:
    key = PAGE_KEY.format(size=size)
    body = cache.get(key)
    if body is None:
        body = page(size)
        cache.set(key, body, ex=PAGE_SECONDS)
    return body


def post(username: str, post_id: int) -> bytes | None:
    with database.connection() as conn:
        row = conn.execute(POST, (post_id, username.lower(), 1)).fetchone()
    return None if row is None else as_json(as_post(row))


def author_id(conn: psycopg.Connection, username: str) -> int:
    found = authors.get(username.lower())
    if found is None:
        found = authors[username.lower()] = conn.execute(AUTHOR, (username.lower(),)).fetchone()[0]
    return found


def timeline(username: str, before: int | None, size: int) -> bytes | None:
    with database.connection() as conn:
        user = author_id(conn, username)
        found = page_script(keys=[feed_key(user), MERGED], args=[
            'before', '' if before is None else member(before), size + SLACK + 1, 86400, 800])
        if found is None:
            return None  # a floor reads only built feeds
        ids_ = [int(each) for each in found[0]]
        rows = conn.execute(SHOWN, (ids_, user, user)).fetchall()
    return as_json([as_post(row) for row in rows[:size]])


def create(username: str, text: str) -> bytes:
    created = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with database.connection() as conn:
        author = author_id(conn, username)
        post_id = ids.next_id()
        with conn.transaction():
            conn.execute(INSERT, (post_id, author, text, None, created))
    return as_json({'id': str(post_id), 'text': text, 'created': created, 'edited': None,
                    'username': username, 'referenced_username': None})


def as_post(row: tuple) -> dict:
    """A row of LISTING as Warble shows it: the id a decimal string."""
    return dict(zip(COLUMNS, (str(row[0]), *row[1:]), strict=True))


def as_json(value: object) -> bytes:
    return json.dumps(value, default=dt.datetime.isoformat).encode()


def application(environ: dict, start_response: Respond) -> Iterable[bytes]:
    """Dispatch on PATH_INFO (and on credentials, for the feed) to the floor of each request."""
    path, method = environ['PATH_INFO'], environ['REQUEST_METHOD']
    status, body = '200 OK', None
    if path == '/api/v1/microposts' and method == 'GET':
        size = int(parse_qs(environ.get('QUERY_STRING', '')).get('size', ['20'])[0])
        body = page(size) if 'HTTP_AUTHORIZATION' in environ else cached_page(size)
    elif (found := ITEM.match(path)) and method == 'GET':
        body = post(found.group(1), int(found.group(2)))
    elif (found := COLLECTION.match(path)) and method == 'POST':
        text = json.loads(environ['wsgi.input'].read(int(environ['CONTENT_LENGTH'])))['text']
        status, body = '201 Created', create(found.group(1), text)
    elif (found := TIMELINE.match(path)) and method == 'GET':
        query = parse_qs(environ.get('QUERY_STRING', ''))
        before = int(query['before'][0]) if 'before' in query else None
        body = timeline(found.group(1), before, int(query.get('size', ['20'])[0]))
    elif path == '/openapi.json':  # what the harness waits on before it says the server is up
        body = b'{}'
    if body is None:
        status, body = '404 Not Found', b'{}'
    start_response(status, [('Content-Type', 'application/json'),
                            ('Content-Length', str(len(body)))])
    return [body]
