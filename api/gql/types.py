"""The GraphQL types of MicroPosts and the Analyzer, built from the dicts the controllers answer;
a post's author and referenced user come through the request's user loader, in one batch."""
from __future__ import annotations

import re
from typing import Any

import strawberry
from graphql_sync_dataloaders import SyncDataLoader
from strawberry.types import Info

from api.gql import reads
from api.gql.context import Context
from controllers.users import UserController
from lib.utils.urlkit import Links

POST_ID = re.compile(r'-?[0-9]{1,19}')


def post_id(value: strawberry.ID) -> int:
    """A post id as the controllers take it; what is no number names no post (-1)."""
    return int(value) if POST_ID.fullmatch(str(value)) else -1


def loaded_user(info: Info[Context, Any], username: str | None) -> Any:
    return None if username is None else info.context.users.load(username.lower())


@strawberry.type
class User:
    username: str
    href: str
    created: str
    display_name: str | None = strawberry.field(
        description='The name the user shows beside their username; null if none.')
    bio: str | None = strawberry.field(description='What the user says about themself.')
    avatar: str = strawberry.field(
        description="URL of the user's picture, 256 px square, or of the drawn default.")
    avatar_small: str = strawberry.field(description='The same, 64 px.')

    @strawberry.field(description="The user's posts, newest first.")
    def posts(self, info: Info[Context, Any], page: int = 1, size: int | None = None
              ) -> PostPage:
        return post_page(reads.collection(info.context, self.username, page, size))

    @strawberry.field(description='The users who follow this user.')
    def followers(self, info: Info[Context, Any], page: int = 1, size: int | None = None
                  ) -> UserPage:
        return user_page(reads.followers(info.context, self.username, page, size))

    @strawberry.field(description='The users this user follows.')
    def following(self, info: Info[Context, Any], page: int = 1, size: int | None = None
                  ) -> UserPage:
        return user_page(reads.following(info.context, self.username, page, size))


@strawberry.type(description='A user as one profile shows it: with the counts that lists of '
                              'users leave out.')
class Profile(User):
    followers_count: int
    following_count: int
    posts_count: int


@strawberry.type
class Post:
    id: strawberry.ID
    href: str
    username: str
    text: str
    timestamp: str
    referenced_username: str | None
    edited: str | None = strawberry.field(
        description='When the text or addressee was last changed (ISO 8601 UTC); null if never.')

    @strawberry.field(description='Who wrote the post.')
    def author(self, info: Info[Context, Any]) -> User | None:
        return loaded_user(info, self.username)

    @strawberry.field(description='The user the post names, if any.')
    def referenced(self, info: Info[Context, Any]) -> User | None:
        return loaded_user(info, self.referenced_username)


@strawberry.type
class PostPage:
    result: list[Post]
    more: bool
    older: strawberry.ID | None = strawberry.field(
        default=None, description='Paging by post id: `before` this id for older posts.')
    newer: strawberry.ID | None = strawberry.field(
        default=None, description='Paging by post id: `after` this id for newer posts.')


@strawberry.type
class UserPage:
    result: list[User]
    more: bool


@strawberry.type
class Referenced:
    username: str
    references: int


@strawberry.type
class DayStats:
    day: str
    new_users: int
    new_posts: int
    active_authors: int
    new_follows: int
    top_referenced: list[Referenced]
    computed: str


@strawberry.type
class DailyStats:
    first: str = strawberry.field(name='from')
    last: str = strawberry.field(name='to')
    result: list[DayStats]


@strawberry.type
class Import:
    import_id: int
    citizens: int
    created: str


@strawberry.type
class Citizen:
    citizen_id: int
    town: str
    street: str
    building: str
    apartment: int
    name: str
    birth_date: str
    gender: str
    relatives: list[int]


@strawberry.type
class Presents:
    citizen_id: int
    presents: int


@strawberry.type
class BirthdayMonth:
    month: int
    presents: list[Presents]


@strawberry.type
class TownAges:
    town: str
    p50: float
    p75: float
    p99: float


def user_of(found: dict) -> User:
    return User(**shown(found))


def shown(found: dict) -> dict:
    """The fields of a user dict that every `User` has."""
    return {name: found[name] for name in ('username', 'href', 'created', 'display_name', 'bio',
                                           'avatar', 'avatar_small')}


def profile_of(found: dict) -> Profile:
    return Profile(**shown(found), followers_count=found['followers_count'],
                   following_count=found['following_count'], posts_count=found['posts_count'])


def post_of(found: dict) -> Post:
    return Post(id=strawberry.ID(str(found['id'])), href=found['href'],
                username=found['username'], text=found['text'], timestamp=found['timestamp'],
                edited=found['edited'], referenced_username=found['referenced'])


def post_page(found: dict) -> PostPage:
    def cursor(name: str) -> strawberry.ID | None:
        return None if found.get(name) is None else strawberry.ID(str(found[name]))
    return PostPage(result=[post_of(post) for post in found['result']], more=found['more'],
                    older=cursor('older'), newer=cursor('newer'))


def user_page(found: dict) -> UserPage:
    return UserPage(result=[user_of(user) for user in found['result']], more=found['more'])


def daily_stats(found: dict) -> DailyStats:
    days = [DayStats(**{**day, 'top_referenced': [Referenced(**top)
                                                  for top in day['top_referenced']]})
            for day in found['result']]
    return DailyStats(first=found['from'], last=found['to'], result=days)


def birthday_months(found: dict[str, list[dict]]) -> list[BirthdayMonth]:
    return [BirthdayMonth(month=int(month), presents=[Presents(**each) for each in buyers])
            for month, buyers in found.items()]


def users_loader(links: Links) -> SyncDataLoader:
    """A batch of users by lower-cased name for one request: one query per batch."""
    def load(names: list[str]) -> list[User | None]:
        found = UserController(links).profiles(names)
        return [None if found.get(name) is None else user_of(found[name]) for name in names]
    return SyncDataLoader(load)
