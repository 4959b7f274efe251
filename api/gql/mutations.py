"""The mutations: each the controller call of its REST write, behind the same `auth` rule and
the same body schema, so that refusals and bad input read alike on both edges."""
from __future__ import annotations

from typing import Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from api.decorators import admitted
from api.gql.context import Context
from api.gql.types import Citizen, Post, User, post_id, post_of, user_of
from api.web import analyzer_protected, client_address, refuse_cross_site
from controllers.citizen_rules import CHANGES, IMPORT
from controllers.follows import FollowController
from controllers.imports import ImportController
from controllers.micropost_rules import FOLLOW, NEW_POST, NEW_USER, POST_CHANGES
from controllers.microposts import MicropostController
from controllers.users import UserController
from controllers.validation import check

Ctx = Info[Context, Any]


def given(**values: object) -> dict:
    """The arguments given, as a REST body would carry them (unset ones left out)."""
    return {name: value for name, value in values.items() if value is not strawberry.UNSET}


@strawberry.type
class Mutation:
    @strawberry.mutation(description='Sign up.')
    def sign_up(self, info: Ctx, username: str, email: str, password: str) -> User:
        refuse_cross_site()
        body = check(NEW_USER, given(username=username, email=email, password=password))
        return user_of(UserController(info.context.links).register(
            body['username'], body['email'], body['password'], client_address()))

    @strawberry.mutation(description='Write a post as `username`.')
    def create_post(self, info: Ctx, username: str, text: str,
                    referenced: str | None = strawberry.UNSET) -> Post:
        caller = admitted('owner', username)
        body = check(NEW_POST, given(text=text, referenced=referenced))
        return post_of(MicropostController(info.context.links).create(
            caller, body['text'], body.get('referenced')))

    @strawberry.mutation(description='Change the text or the reference of a post.')
    def edit_post(self, info: Ctx, username: str, id: strawberry.ID,  # noqa: A002
                  text: str | None = strawberry.UNSET,
                  referenced: str | None = strawberry.UNSET) -> Post:
        caller = admitted('owner', username)
        body = check(POST_CHANGES, given(text=text, referenced=referenced))
        return post_of(MicropostController(info.context.links).edit(caller, post_id(id), body))

    @strawberry.mutation(description='Delete a post; true once done.')
    def delete_post(self, info: Ctx, username: str, id: strawberry.ID) -> bool:  # noqa: A002
        caller = admitted('owner', username)
        MicropostController(info.context.links).delete(caller, post_id(id))
        return True

    @strawberry.mutation(description='`username` follows `other`; the user followed.')
    def follow(self, info: Ctx, username: str, other: str) -> User:
        caller = admitted('owner', username)
        body = check(FOLLOW, {'username': other})
        followed, _created = FollowController(info.context.links).follow(caller,
                                                                         body['username'])
        return user_of(followed)

    @strawberry.mutation(description='`username` stops following `other`; true once done.')
    def unfollow(self, info: Ctx, username: str, other: str) -> bool:
        caller = admitted('owner', username)
        FollowController(info.context.links).unfollow(caller, other)
        return True

    @strawberry.mutation(description='Analyzer: store an import of citizens; its import_id.')
    def create_import(self, citizens: JSON) -> int:
        admitted(role='analyst', api_key=True, enforced=analyzer_protected)
        body = check(IMPORT, {'citizens': citizens})
        return ImportController().create(body['citizens'])['import_id']

    @strawberry.mutation(description='Analyzer: change fields of one citizen.')
    def patch_citizen(self, import_id: int, citizen_id: int, changes: JSON) -> Citizen:
        admitted(role='analyst', api_key=True, enforced=analyzer_protected)
        body = check(CHANGES, changes)
        return Citizen(**ImportController().patch(import_id, citizen_id, body))
