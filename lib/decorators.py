"""Route decorators `@auth(rule, role=...)`, `@jsonp` and `@cache(seconds, *scopes)`, applied in
that order under the route: `@jsonp` wraps what `@cache` answers, so the cache keeps one JSON
answer whatever the callback's name.

lib sits below the web framework and the stores, so the web layer binds the decorators once, with
`bind(web, pages)`, to the current request and answer (`Web`) and to the shared page cache.
"""
from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

JSON = 'application/json'
JAVASCRIPT = 'application/javascript'
CALLBACK = re.compile(r'^[A-Za-z_$][A-Za-z0-9_$.]{0,63}$')
RULES = ('user', 'owner')


@dataclass(frozen=True)
class Request:
    """What the decorators read of the current request."""

    method: str
    callback: str | None    # the `callback` query parameter, for JSONP
    credentials: bool       # whether it carries credentials; anonymous requests do not


class Web(Protocol):
    """The web layer as the decorators use it."""

    def request(self) -> Request:
        """The current request."""

    def caller(self) -> dict | None:
        """The user the current request authenticates as, or None."""

    def cache_key(self) -> str:
        """What names the current answer in the cache: the route, its arguments and its
        validated query (never raw text, never the JSONP callback); refuses a bad query."""

    def roles(self, caller: dict) -> list[str]:
        """The roles of an authenticated user."""

    def program(self) -> dict | None:
        """`{"api_key": name}` when the current request carries a valid API key, else None."""

    def answer(self, body: str, content_type: str) -> Any:
        """Make `body` the current answer; the result is what the route returns."""

    def answer_type(self) -> str:
        """The content type of the current answer."""

    def error(self, status: int, message: str, fields: dict | None = None) -> Exception:
        """The exception that answers with this error status."""


class PageCache(Protocol):
    """Answers shared by every worker, versioned by the scopes they show."""

    def lookup(self, scopes: list[str], key: str) -> tuple[str | None, str | None]:
        """(version of the scopes, cached answer or None); version None: do not store."""

    def store(self, version: str, key: str, answer: str, seconds: int) -> None:
        """Keep `answer` for `seconds` under `key` at this version of its scopes."""


_bound: dict[str, Any] = {}


def bind(web: Web, pages: PageCache) -> None:
    """Give the decorators the web layer and the page cache they work with."""
    _bound.update(web=web, pages=pages)


def _web() -> Web:
    if 'web' not in _bound:
        raise RuntimeError('lib.decorators.bind() was not called')
    return _bound['web']


def current_caller() -> dict | None:
    """The user the current request authenticates as, or None: for routes open to anyone that
    show more to some callers."""
    return _web().caller()


def auth(rule: str = 'user', role: str | None = None, api_key: bool = False,
         enforced: Callable[[], bool] | None = None) -> Callable:
    """Let in an authenticated caller (`user`), or only the user named by the path (`owner`);
    with `role`, only a user holding that role; with `api_key`, a program carrying an API key
    (and no user credentials) too. With `enforced`, all this holds only while `enforced()` is
    true; else anyone is let in.

    The route receives the caller as `caller` (the user, `{"api_key": name}` for a program,
    None when not enforced): 401 without valid credentials, 403 for another user or without
    the role.
    """
    if rule not in RULES:
        raise ValueError(f'unknown auth rule {rule!r}; use one of {RULES}')

    def decorate(callback: Callable) -> Callable:
        @functools.wraps(callback)
        def wrapper(*args, **kwargs):
            web = _web()
            if enforced is not None and not enforced():
                return callback(*args, caller=None, **kwargs)
            # A key counts only without user credentials: those, when given, are judged.
            program = web.program() if api_key and not web.request().credentials else None
            if program is not None:
                return callback(*args, caller=program, **kwargs)
            caller = web.caller()
            if caller is None:
                raise web.error(401, 'This needs a valid bearer token (Authorization: Bearer) '
                                     f'or session{" or API key (X-API-Key)" if api_key else ""}.')
            if rule == 'owner' and caller['username'].lower() != kwargs['username'].lower():
                raise web.error(403, f'Only {kwargs["username"]} may do this.')
            if role is not None and role not in web.roles(caller):
                raise web.error(403, f'This is open to users with the {role} role; '
                                     f'{caller["username"]} does not have it.',
                                {'role': f'{role} needed'})
            return callback(*args, caller=caller, **kwargs)
        return wrapper
    return decorate


def cache(seconds: int, *scopes: str) -> Callable:
    """Share the answers of anonymous GETs through the page cache for up to `seconds`.

    `scopes` name what an answer shows (`'user:{username}'`, formatted with the route's
    arguments, lower-cased); a write that changes a scope makes every page of it unreachable.
    Under `@jsonp`: what is kept is the JSON, which `@jsonp` then wraps.
    """
    def decorate(callback: Callable) -> Callable:
        @functools.wraps(callback)
        def wrapper(*args, **kwargs):
            web, pages = _web(), _bound['pages']
            request = web.request()
            if request.method != 'GET' or request.credentials:
                return callback(*args, **kwargs)
            key = web.cache_key()
            values = {name: str(value).lower() for name, value in kwargs.items()}
            version, cached = pages.lookup([scope.format_map(values) for scope in scopes], key)
            if cached is not None:
                content_type, _, body = cached.partition('\n')
                return web.answer(body, content_type)
            result = callback(*args, **kwargs)
            if isinstance(result, str):
                body, content_type = result, web.answer_type()
            else:
                body, content_type = json.dumps(result), JSON
            if version is not None:
                pages.store(version, key, f'{content_type}\n{body}', seconds)
            return web.answer(body, content_type)
        return wrapper
    return decorate


def jsonp(callback: Callable) -> Callable:
    """With `?callback=name`, answer `name(<json>);` as JavaScript; anonymous GETs only. The
    route may answer a dict or, from `@cache`, JSON text."""
    @functools.wraps(callback)
    def wrapper(*args, **kwargs):
        web = _web()
        request = web.request()
        name = request.callback
        if name is None:
            return callback(*args, **kwargs)
        if request.method != 'GET' or request.credentials:
            raise web.error(400, 'JSONP answers anonymous GET requests only.',
                            {'callback': 'not allowed with credentials'})
        if not CALLBACK.fullmatch(name):
            raise web.error(400, 'The JSONP callback is not a valid name.',
                            {'callback': f'must match {CALLBACK.pattern}'})
        result = callback(*args, **kwargs)
        body = result if isinstance(result, str) else json.dumps(result)
        return web.answer(f'/**/{name}({body});', JAVASCRIPT)
    return wrapper
