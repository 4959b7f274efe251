"""MicroPosts over gRPC: users, tokens, posts, follows, the timeline and search, each method
checking its input with the REST operation's schema and calling the same controller."""
from __future__ import annotations

from collections.abc import Iterator

import grpc
from google.protobuf.empty_pb2 import Empty
from google.protobuf.message import Message

from api.follows import FOLLOWING_QUERY, TIMELINE_QUERY
from api.microposts import PAGE_QUERY
from api.paging import paging
from api.rpc.calls import Call, abort, unary
from api.rpc.convert import fields_of, masked
from api.rpc.stubs import microposts_pb2 as pb
from api.rpc.stubs import microposts_pb2_grpc
from api.search import SEARCH_QUERY
from controllers import errors, outages
from controllers.boot import release_connection
from controllers.follows import FollowController
from controllers.micropost_rules import FOLLOW, LOG_IN, NEW_POST, NEW_USER, POST_CHANGES
from controllers.microposts import MicropostController
from controllers.search import SearchController
from controllers.streams import StreamController
from controllers.timeline import TimelineController
from controllers.tokens import TokenController
from controllers.users import UserController
from controllers.validation import check
from lib.utils.urlkit import Links


def page_query(request: Message, schema: dict = PAGE_QUERY, **renamed: str) -> dict:
    """The paging fields of `request` (and the others `schema` takes), checked as REST checks
    its query string; `renamed` maps a query parameter to its field."""
    values = fields_of(request)
    query = {name: values[field] for name, field in
             {'page': 'page', 'size': 'size', **renamed}.items() if field in values}
    return check(schema, query, 'query')


def posts_query(request: Message, schema: dict) -> dict:
    """The paging fields of a request for posts, by number or by post id (see
    `controllers.cursors`), checked as REST checks its query string."""
    values = fields_of(request)
    query = {name: values[name] for name in ('page', 'size') if name in values}
    if values.get('order'):
        query['order'] = pb.Order.Name(values['order']).lower()
    for name in ('before', 'after'):
        if name in values:
            query[name] = str(values[name])
    return check(schema, query, 'query')


def page(found: dict, query: dict) -> dict:
    """A controller's `{"result", "more"}` with the numbers of the neighbouring pages, or for
    a page by post id, the ids to page on with."""
    if 'order' in found:
        return {'result': found['result'], 'older': found['older'] or 0,
                'newer': found['newer'] or 0}
    number, _size = paging(query)
    return {'result': found['result'], 'next_page': number + 1 if found['more'] else 0,
            'previous_page': number - 1}


class MicroPosts(microposts_pb2_grpc.MicroPostsServicer):
    """The MicroPosts service; `links` make the same hrefs as the REST answers."""

    def __init__(self, links: Links):
        self.links = links

    @unary(pb.User)
    def SignUp(self, request: pb.SignUpRequest, call: Call) -> dict:
        body = check(NEW_USER, fields_of(request))
        return UserController(self.links).register(body['username'], body['email'],
                                                   body['password'], call.client())

    @unary(pb.User)
    def GetUser(self, request: pb.UserRef, call: Call) -> dict:
        return UserController(self.links).profile(request.username, call.viewer())

    @unary(pb.Token)
    def LogIn(self, request: pb.LogInRequest, call: Call) -> dict:
        body = check(LOG_IN, fields_of(request))
        return TokenController().issue(body['username'], body['password'], call.client())

    @unary(Empty)
    def LogOut(self, request: Empty, call: Call) -> dict:
        call.user()
        TokenController().revoke(call.token())
        return {}

    @unary(pb.MicropostPage)
    def ListFeed(self, request: pb.PageRequest, call: Call) -> dict:
        query = posts_query(request, PAGE_QUERY)
        return page(MicropostController(self.links).read(query), query)

    @unary(pb.MicropostPage)
    def ListCollection(self, request: pb.CollectionRequest, call: Call) -> dict:
        query = posts_query(request, PAGE_QUERY)
        return page(MicropostController(self.links).read(query, request.username), query)

    @unary(pb.Micropost)
    def GetPost(self, request: pb.PostRef, call: Call) -> dict:
        return MicropostController(self.links).get(request.username, request.id)

    @unary(pb.Micropost)
    def CreatePost(self, request: pb.PostFields, call: Call) -> dict:
        author = call.user()
        body = check(NEW_POST, fields_of(request))
        return MicropostController(self.links).create(author, body['text'],
                                                      body.get('referenced'))

    @unary(pb.Micropost)
    def EditPost(self, request: pb.EditPostRequest, call: Call) -> dict:
        author = call.user()
        changes = check(POST_CHANGES, masked(request.post, request.update_mask))
        return MicropostController(self.links).edit(author, request.id, changes)

    @unary(Empty)
    def DeletePost(self, request: pb.PostId, call: Call) -> dict:
        MicropostController(self.links).delete(call.user(), request.id)
        return {}

    @unary(pb.FollowReply)
    def Follow(self, request: pb.FollowRequest, call: Call) -> dict:
        follower = call.user()
        body = check(FOLLOW, fields_of(request))
        followed, created = FollowController(self.links).follow(follower, body['username'])
        return {'user': followed, 'created': created}

    @unary(Empty)
    def Unfollow(self, request: pb.UserRef, call: Call) -> dict:
        FollowController(self.links).unfollow(call.user(), request.username)
        return {}

    @unary(pb.UserPage)
    def ListFollowing(self, request: pb.FollowingRequest, call: Call) -> dict:
        query = page_query(request, FOLLOWING_QUERY, username='named')
        found = FollowController(self.links).following(request.username, *paging(query),
                                                       query.get('username'))
        return page(found, query)

    @unary(pb.UserPage)
    def ListFollowers(self, request: pb.CollectionRequest, call: Call) -> dict:
        query = page_query(request)
        return page(FollowController(self.links).followers(request.username, *paging(query)),
                    query)

    @unary(pb.MicropostPage)
    def Timeline(self, request: pb.PageRequest, call: Call) -> dict:
        caller = call.user()
        query = posts_query(request, TIMELINE_QUERY)
        return page(TimelineController(self.links).read(caller, caller['username'], query),
                    query)

    def StreamTimeline(self, request: pb.StreamRequest,
                       context: grpc.ServicerContext) -> Iterator[pb.FeedEvent]:
        """The caller's live timeline (see `controllers.streams`) until the client cancels or
        the deadline passes: either closes the stream, which wakes its thread at once."""
        try:
            caller = Call(context).user()
            stream = StreamController().timeline(
                caller, caller['username'],
                request.last_event_id if request.HasField('last_event_id') else None)
        except errors.DomainError as exc:
            abort(context, exc)
        except Exception as exc:
            failure = outages.unavailable(exc)  # the database down: UNAVAILABLE
            if failure is None:
                raise
            abort(context, failure)
        finally:
            release_connection()
        context.add_callback(stream.close)
        try:
            for item in stream:
                if not context.is_active():
                    return
                if 'data' in item:
                    data = item['data']
                    yield pb.FeedEvent(event_id=item.get('id') or '', type=data['type'],
                                       id=int(data.get('id', 0)),
                                       username=data.get('username', ''),
                                       followed=data.get('followed', ''))
        finally:
            stream.close()

    @unary(pb.MicropostPage)
    def Search(self, request: pb.SearchRequest, call: Call) -> dict:
        query = page_query(request, SEARCH_QUERY, text='text', username='username')
        found = SearchController(self.links).search(query['text'], query.get('username'),
                                                    *paging(query))
        return page(found, query)
