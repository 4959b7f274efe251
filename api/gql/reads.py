"""The reads of the schema, each the controller call its REST route makes, with the same
checks of its arguments (the REST query schemas), so that bad input reads alike."""
from __future__ import annotations

from api.callers import current_caller
from api.decorators import admitted
from api.follows import FOLLOWING_QUERY, TIMELINE_QUERY
from api.gql.context import Context
from api.microposts import PAGE_QUERY as POSTS_QUERY
from api.paging import page_query, paging
from api.search import SEARCH_QUERY
from api.stats import DAILY_QUERY
from api.web import analyzer_protected
from controllers.follows import FollowController
from controllers.imports import ImportController
from controllers.microposts import MicropostController
from controllers.reports import ReportController
from controllers.search import SearchController
from controllers.stats import StatsController
from controllers.timeline import TimelineController
from controllers.users import UserController
from controllers.validation import check

PAGE_QUERY = page_query()


def pages(page: int | None, size: int | None, schema: dict = PAGE_QUERY,
          **more: object) -> dict:
    """The page arguments (and `more`), checked as REST checks its query string."""
    given = {'page': page, 'size': size, **more}
    return check(schema, {name: value for name, value in given.items() if value is not None},
                 'query')


def profile(context: Context, username: str) -> dict:
    return UserController(context.links).profile(username, current_caller())


def feed(context: Context, page: int | None, size: int | None, **cursor: str | None) -> dict:
    return MicropostController(context.links).read(pages(page, size, POSTS_QUERY, **cursor))


def collection(context: Context, username: str, page: int | None, size: int | None,
               **cursor: str | None) -> dict:
    return MicropostController(context.links).read(pages(page, size, POSTS_QUERY, **cursor),
                                                   username)


def post(context: Context, username: str, post_id: int) -> dict:
    return MicropostController(context.links).get(username, post_id)


def followers(context: Context, username: str, page: int, size: int | None) -> dict:
    return FollowController(context.links).followers(username, *paging(pages(page, size)))


def following(context: Context, username: str, page: int, size: int | None,
              named: str | None = None) -> dict:
    query = pages(page, size, FOLLOWING_QUERY, username=named)
    return FollowController(context.links).following(username, *paging(query),
                                                     query.get('username'))


def timeline(context: Context, username: str, page: int | None, size: int | None,
             **cursor: str | None) -> dict:
    caller = admitted('user')
    return TimelineController(context.links).read(
        caller, username, pages(page, size, TIMELINE_QUERY, **cursor))


def search(context: Context, text: str, username: str | None, page: int,
           size: int | None) -> dict:
    query = pages(page, size, SEARCH_QUERY, text=text, username=username)
    return SearchController(context.links).search(query['text'], query.get('username'),
                                                  *paging(query))


def daily_stats(first: str, last: str) -> dict:
    query = check(DAILY_QUERY, {'from': first, 'to': last}, 'query')
    return StatsController().daily(query['from'], query['to'])


def analyst() -> None:
    """Let in whom the Analyzer's REST routes let in."""
    admitted(role='analyst', api_key=True, enforced=analyzer_protected)


def imports() -> list[dict]:
    analyst()
    return ImportController().imports()


def citizens(import_id: int) -> list[dict]:
    analyst()
    return ImportController().citizens(import_id)


def birthdays(import_id: int) -> dict:
    analyst()
    return ReportController().birthdays(import_id)


def percentiles(import_id: int) -> list[dict]:
    analyst()
    return ReportController().age_percentiles(import_id)
