"""URL helpers: Redis URLs from the settings, links to API resources and to screens."""
from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from lib.config import Section, resolve


def redis_url(redis: Section, purpose: str) -> str:
    """The Redis URL for a purpose (`cache`, `broker`, ...), relative socket paths made absolute."""
    url = getattr(redis, f'{purpose}_url', '') or redis.url
    parts = urlsplit(url)
    if parts.scheme == 'unix':
        path = parts.netloc + parts.path if parts.netloc else parts.path
        query = f'?{parts.query}' if parts.query else ''
        return f'unix://{resolve(path)}{query}'
    return url


def celery_broker_url(redis: Section) -> str:
    """The broker URL in Celery's spelling (`redis+socket://` for a Unix socket)."""
    url = redis_url(redis, 'broker')
    if url.startswith('unix://'):
        return 'redis+socket://' + url[len('unix://'):]
    return url


def with_query(url: str, **params: object) -> str:
    """`url` with the given query parameters (None values dropped)."""
    query = urlencode({key: value for key, value in params.items() if value is not None})
    return f'{url}?{query}' if query else url


class Links:
    """Absolute URLs of the MicroPosts resources under one base URL (`https://host`)."""

    def __init__(self, base: str):
        self.api = base.rstrip('/') + '/api/v1'

    def user(self, username: str) -> str:
        return f'{self.api}/users/{username}'

    def collection(self, username: str) -> str:
        return f'{self.api}/users/{username}/collection'

    def micropost(self, username: str, post_id: int) -> str:
        return f'{self.api}/users/{username}/collection/{post_id}'

    def following(self, username: str) -> str:
        return f'{self.api}/users/{username}/following'

    def followers(self, username: str) -> str:
        return f'{self.api}/users/{username}/followers'

    def timeline(self, username: str) -> str:
        return f'{self.api}/users/{username}/timeline'

    def avatar(self, username: str, file: str) -> str:
        return f'{self.api}/users/{username}/avatar/{file}'


class Pages:
    """Absolute URLs of the front end's screens (`static/js/routes.js`): where people go."""

    def __init__(self, base: str):
        self.base = base.rstrip('/')

    def user(self, username: str) -> str:
        return f'{self.base}/users/{username}'

    def micropost(self, username: str, post_id: int) -> str:
        return f'{self.base}/users/{username}/posts/{post_id}'
