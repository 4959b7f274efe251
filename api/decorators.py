"""Route decorators `@auth(rule, role=...)`, `@jsonp` and `@cache(*scopes)`, applied in that
order under the route: `@jsonp` wraps what `@cache` answers, so the cache keeps one JSON answer
whatever the callback's name."""
from __future__ import annotations

import functools
import re
from collections.abc import Callable

import bottle

from api import jsonout
from api.callers import carries_credentials, current_caller, current_program
from api.web import PRIOR_LOOKUP, cache_key
from controllers.access import RoleController
from controllers.cache import CacheController
from controllers.errors import Forbidden, Invalid, Unauthorized

JSON = 'application/json'
JAVASCRIPT = 'application/javascript'
CALLBACK = re.compile(r'^[A-Za-z_$][A-Za-z0-9_$.]{0,63}$')
RULES = ('user', 'owner')
PAGE_SECONDS = 300  # the longest a cached answer lives; a write that changes it ends it sooner


def auth(rule: str = 'user', role: str | None = None, api_key: bool = False,
         enforced: Callable[[], bool] | None = None) -> Callable:
    """Let in an authenticated caller (`user`), or only the user named by the path (`owner`);
    with `role`, only a user holding that role; with `api_key`, a program carrying an API key
    (and no user credentials) too. With `enforced`, all this holds only while `enforced()` is
    true; else anyone is let in.

    The route receives the caller as `caller` (the user, `{"api_key": name}` for a program,
    None when not enforced): Unauthorized without valid credentials, Forbidden for another user
    or without the role.
    """
    if rule not in RULES:
        raise ValueError(f'unknown auth rule {rule!r}; use one of {RULES}')

    def decorate(callback: Callable) -> Callable:
        @functools.wraps(callback)
        def wrapper(*args, **kwargs):
            caller = admitted(rule, kwargs.get('username'), role, api_key, enforced)
            return callback(*args, caller=caller, **kwargs)
        return wrapper
    return decorate


def admitted(rule: str = 'user', username: str | None = None, role: str | None = None,
             api_key: bool = False, enforced: Callable[[], bool] | None = None) -> dict | None:
    """The caller `auth` lets in (see there; `owner` means the user named `username`), shared
    by every edge: Unauthorized without valid credentials, Forbidden for another user or
    without the role."""
    if enforced is not None and not enforced():
        return None
    # A key counts only without user credentials: those, when given, are judged.
    program = current_program() if api_key and not carries_credentials() else None
    if program is not None:
        return program
    caller = current_caller()
    if caller is None:
        raise Unauthorized('This needs a valid bearer token (Authorization: Bearer) '
                           f'or session{" or API key (X-API-Key)" if api_key else ""}.')
    if rule == 'owner' and caller['username'].lower() != str(username).lower():
        raise Forbidden(f'Only {username} may do this.')
    if role is not None:
        require_role(caller, role)
    return caller


def require_role(caller: dict, role: str) -> None:
    """Forbidden unless the user `caller` holds `role`."""
    if role not in RoleController().roles_of(caller['id']):
        raise Forbidden(f'This is open to users with the {role} role; '
                        f'{caller["username"]} does not have it.', {'role': f'{role} needed'})


def cache(*scopes: str, seconds: int = PAGE_SECONDS) -> Callable:
    """Share the answers of anonymous GETs through the page cache for up to `seconds`.

    `scopes` name what an answer shows (`'user:{username}'`, formatted with the route's
    arguments, lower-cased); a write that changes a scope makes every page of it unreachable.
    Under `@jsonp`: what is kept is the JSON, which `@jsonp` then wraps.
    """
    def decorate(callback: Callable) -> Callable:
        @functools.wraps(callback)
        def wrapper(*args, **kwargs):
            if bottle.request.method != 'GET' or carries_credentials():
                return callback(*args, **kwargs)
            key = cache_key()
            pages = CacheController()
            prior = bottle.request.environ.get(PRIOR_LOOKUP)
            if prior is not None and prior[0] == key:  # a miss already, in front of Bottle
                version, cached = prior[1], None
            else:
                version, cached = pages.lookup(scopes_of(scopes, kwargs), key)
            if cached is not None:
                content_type, _, body = cached.partition('\n')
                return answer(body, content_type)
            result = callback(*args, **kwargs)
            if isinstance(result, str):
                body, content_type = result, bottle.response.content_type
            else:
                body, content_type = jsonout.dumps(result), JSON
            if version is not None:
                pages.store(version, key, f'{content_type}\n{body}', seconds)
            return answer(body, content_type)
        wrapper.page_scopes = scopes
        return wrapper
    return decorate


def scopes_of(scopes: tuple[str, ...], args: dict) -> list[str]:
    """The cache scopes of an answer, named by the route's arguments (lower-cased)."""
    values = {name: str(value).lower() for name, value in args.items()}
    return [scope.format_map(values) for scope in scopes]


def jsonp(callback: Callable) -> Callable:
    """With `?callback=name`, answer `name(<json>);` as JavaScript; anonymous GETs only. The
    route may answer a dict or, from `@cache`, JSON text."""
    @functools.wraps(callback)
    def wrapper(*args, **kwargs):
        name = bottle.request.query.getunicode('callback')
        if name is None:
            return callback(*args, **kwargs)
        if bottle.request.method != 'GET' or carries_credentials():
            raise Invalid('JSONP answers anonymous GET requests only.',
                          {'callback': 'not allowed with credentials'})
        if not CALLBACK.fullmatch(name):
            raise Invalid('The JSONP callback is not a valid name.',
                          {'callback': f'must match {CALLBACK.pattern}'})
        result = callback(*args, **kwargs)
        body = jsonout.for_script(result if isinstance(result, str) else jsonout.dumps(result))
        return answer(f'/**/{name}({body});', JAVASCRIPT)
    return wrapper


def answer(body: str, content_type: str) -> str:
    """`body` as the answer, of `content_type`, which browsers must not second-guess."""
    bottle.response.content_type = content_type
    bottle.response.set_header('X-Content-Type-Options', 'nosniff')
    return body
