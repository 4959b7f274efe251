"""Daily statistics of MicroPosts, for anyone: `GET /api/v1/stats/daily?from=&to=`."""
from __future__ import annotations

import bottle

from api.decorators import cache, jsonp
from api.paging import CALLBACK_PARAMETER
from api.schemas import TIMESTAMP
from api.spec import operation
from controllers.micropost_rules import DAY, MAX_DAYS, USERNAME
from controllers.stats import STATS_SCOPE, StatsController

app = bottle.Bottle()

COUNT = {'type': 'integer', 'minimum': 0}
DAILY_QUERY = {
    'type': 'object',
    'required': ['from', 'to'],
    'additionalProperties': False,
    'properties': {'from': DAY, 'to': DAY, **CALLBACK_PARAMETER},
}
DAY_STATS = {
    'type': 'object',
    'required': ['day', 'new_users', 'new_posts', 'active_authors', 'new_follows',
                 'top_referenced', 'computed'],
    'additionalProperties': False,
    'properties': {
        'day': DAY, 'new_users': COUNT, 'new_posts': COUNT, 'active_authors': COUNT,
        'new_follows': COUNT, 'computed': TIMESTAMP,
        'top_referenced': {
            'type': 'array', 'maxItems': 10,
            'description': 'the users referenced by most posts of the day, most first',
            'items': {'type': 'object', 'required': ['username', 'references'],
                      'additionalProperties': False,
                      'properties': {'username': USERNAME, 'references': COUNT}}},
    },
}
DAILY = {
    'type': 'object',
    'required': ['from', 'to', 'result'],
    'additionalProperties': False,
    'properties': {'from': DAY, 'to': DAY,
                   'result': {'type': 'array', 'items': DAY_STATS,
                              'description': 'the days computed so far, in order'}},
}


@app.get('/api/v1/stats/daily')
@jsonp
@cache(STATS_SCOPE)
@operation(f'Statistics of each UTC day from `from` to `to` (at most {MAX_DAYS} days)',
           tags=('stats',), query=DAILY_QUERY, responses={200: DAILY, 400: None})
def daily_stats(query: dict) -> dict:
    return StatsController().daily(query['from'], query['to'])
