"""The queries: what the REST GET routes of MicroPosts and the Analyzer answer."""
from __future__ import annotations

import enum
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from api.gql import reads
from api.gql.context import Context
from api.gql.types import (
    BirthdayMonth,
    Citizen,
    DailyStats,
    Import,
    Post,
    PostPage,
    Profile,
    TownAges,
    UserPage,
    birthday_months,
    daily_stats,
    post_id,
    post_of,
    post_page,
    profile_of,
    user_page,
)

Ctx = Info[Context, Any]


@strawberry.enum(description='Which posts come first.')
class Order(enum.Enum):
    OLDEST = 'oldest'
    NEWEST = 'newest'


def cursor(order: Order | None, before: strawberry.ID | None,
           after: strawberry.ID | None) -> dict:
    """The arguments of paging by post id, as the REST query string gives them."""
    return {'order': order and order.value, 'before': before, 'after': after}


@strawberry.type
class Query:
    @strawberry.field(description='A user, with the counts of their profile.')
    def user(self, info: Ctx, username: str) -> Profile:
        return profile_of(reads.profile(info.context, username))

    @strawberry.field(description="A user's posts: newest first by page number, or by post id "
                                  '(`before`, `after`) in either `order`.')
    def posts(self, info: Ctx, username: str, page: int | None = None, size: int | None = None,
              order: Order | None = None, before: strawberry.ID | None = None,
              after: strawberry.ID | None = None) -> PostPage:
        return post_page(reads.collection(info.context, username, page, size,
                                          **cursor(order, before, after)))

    @strawberry.field(description='One post of a user.')
    def post(self, info: Ctx, username: str, id: strawberry.ID) -> Post:  # noqa: A002
        return post_of(reads.post(info.context, username, post_id(id)))

    @strawberry.field(description='The public feed: every post, newest first by page number, '
                                  'or by post id (`before`, `after`) in either `order`.')
    def feed(self, info: Ctx, page: int | None = None, size: int | None = None,
             order: Order | None = None, before: strawberry.ID | None = None,
             after: strawberry.ID | None = None) -> PostPage:
        return post_page(reads.feed(info.context, page, size, **cursor(order, before, after)))

    @strawberry.field(description='By page number, the posts of the users a user follows, '
                                  'oldest first; by post id (`before`, `after`, `order: NEWEST`), '
                                  'their home feed, which adds their own posts (authenticated).')
    def timeline(self, info: Ctx, username: str, page: int | None = None,
                 size: int | None = None, order: Order | None = None,
                 before: strawberry.ID | None = None, after: strawberry.ID | None = None
                 ) -> PostPage:
        return post_page(reads.timeline(info.context, username, page, size,
                                        **cursor(order, before, after)))

    @strawberry.field(description='The users who follow a user.')
    def followers(self, info: Ctx, username: str, page: int = 1, size: int | None = None
                  ) -> UserPage:
        return user_page(reads.followers(info.context, username, page, size))

    @strawberry.field(description='The users a user follows; with `named`, only that user.')
    def following(self, info: Ctx, username: str, page: int = 1, size: int | None = None,
                  named: str | None = None) -> UserPage:
        return user_page(reads.following(info.context, username, page, size, named))

    @strawberry.field(description='Posts whose text contains a string, newest first.')
    def search(self, info: Ctx, text: str, username: str | None = None, page: int = 1,
               size: int | None = None) -> PostPage:
        return post_page(reads.search(info.context, text, username, page, size))

    @strawberry.field(description='Statistics of each UTC day from `from` to `to`.')
    def daily_stats(self, first: Annotated[str, strawberry.argument(name='from')],
                    last: Annotated[str, strawberry.argument(name='to')]) -> DailyStats:
        return daily_stats(reads.daily_stats(first, last))

    @strawberry.field(description='Analyzer: the imports, newest first.')
    def imports(self) -> list[Import]:
        return [Import(**each) for each in reads.imports()]

    @strawberry.field(description='Analyzer: every citizen of an import.')
    def citizens(self, import_id: int) -> list[Citizen]:
        return [Citizen(**each) for each in reads.citizens(import_id)]

    @strawberry.field(description='Analyzer: per month, who buys presents and how many.')
    def birthdays(self, import_id: int) -> list[BirthdayMonth]:
        return birthday_months(reads.birthdays(import_id))

    @strawberry.field(description='Analyzer: age percentiles (50, 75, 99) per town.')
    def percentiles(self, import_id: int) -> list[TownAges]:
        return [TownAges(**each) for each in reads.percentiles(import_id)]
