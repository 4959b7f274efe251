"""One gRPC call: who makes it (a bearer token in the `authorization` metadata, or an API key in
`x-api-key`), from where, and the one place that turns domain errors into status codes.

Errors carry the REST error body, `{"code", "message", "fields"}`, as JSON in the trailing
metadata `warble-error` (grpcio-status, for rich `google.rpc` details, is not part of the
runtime): an INVALID_ARGUMENT lists its field violations there with the rule book's messages.
"""
from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable

import grpc
from google.protobuf.message import Message

from api.decorators import require_role
from api.rpc.convert import to_message
from controllers import errors, outages
from controllers.access import ApiKeyController
from controllers.boot import release_connection
from controllers.tokens import TokenController

log = logging.getLogger('warble.rpc')

ERROR_METADATA = 'warble-error'
API_KEY_METADATA = 'x-api-key'
STATUS_OF = {
    errors.Invalid: grpc.StatusCode.INVALID_ARGUMENT,
    errors.Unauthorized: grpc.StatusCode.UNAUTHENTICATED,
    errors.Forbidden: grpc.StatusCode.PERMISSION_DENIED,
    errors.NotFound: grpc.StatusCode.NOT_FOUND,
    errors.Conflict: grpc.StatusCode.ALREADY_EXISTS,
    errors.TooManyRequests: grpc.StatusCode.RESOURCE_EXHAUSTED,
    errors.Unavailable: grpc.StatusCode.UNAVAILABLE,
}


class DeadlinePassed(Exception):
    """The call's deadline passed, or its client cancelled it, while it was served."""


class Call:
    """What a servicer reads of the call it serves."""

    def __init__(self, context: grpc.ServicerContext):
        self.context = context
        self.metadata = {key: value for key, value in context.invocation_metadata()
                         if isinstance(value, str)}

    def token(self) -> str | None:
        """The token of `authorization: Bearer <token>`, else None."""
        scheme, _, token = self.metadata.get('authorization', '').partition(' ')
        return (token.strip() or None) if scheme.lower() == 'bearer' else None

    def viewer(self) -> dict | None:
        """The user a valid token names, else None (an anonymous reader)."""
        token = self.token()
        return TokenController().resolve(token) if token else None

    def user(self) -> dict:
        """The user the call authenticates as; Unauthorized without a valid token."""
        caller = self.viewer()
        if caller is None:
            raise errors.Unauthorized('This needs a valid bearer token (metadata '
                                      '"authorization: Bearer <token>").')
        return caller

    def analyst(self, protected: bool) -> dict | None:
        """Who may use the Analyzer, when it is `protected`: a program with an API key (and no
        token), or a user with the analyst role; None when it is not protected."""
        if not protected:
            return None
        key = self.metadata.get(API_KEY_METADATA)
        if key and 'authorization' not in self.metadata:
            program = ApiKeyController().resolve(key)
            if program is not None:
                return program
        caller = self.user()
        require_role(caller, 'analyst')
        return caller

    def still_wanted(self, _done: int = 0) -> None:
        """DeadlinePassed once the deadline passed or the client cancelled: long work told of
        its progress (an import, chunk by chunk) stops there, and its transaction rolls back."""
        if not self.context.is_active():
            raise DeadlinePassed

    def client(self) -> str:
        """The peer's address, without its port (`ipv4:1.2.3.4:5` → `1.2.3.4`)."""
        kind, _, rest = self.context.peer().partition(':')
        if kind in ('ipv4', 'ipv6'):
            return rest.rpartition(':')[0].strip('[]')
        return rest or kind


def unary(kind: type[Message]) -> Callable:
    """Serve a unary method: the method gets the request and its `Call` and answers a dict,
    sent as a message of `kind`. A call whose deadline passed is not started (nor continued,
    where the method asks `still_wanted`); every call gives its database connection back."""
    def decorate(method: Callable) -> Callable:
        @functools.wraps(method)
        def serve(self, request: Message, context: grpc.ServicerContext) -> Message:
            remaining = context.time_remaining()
            if not context.is_active() or (remaining is not None and remaining <= 0):
                context.abort(grpc.StatusCode.DEADLINE_EXCEEDED, 'The deadline passed.')
            failure = None
            try:
                answer = method(self, request, Call(context))
                return answer if isinstance(answer, Message) else to_message(answer, kind)
            except DeadlinePassed:
                context.abort(grpc.StatusCode.DEADLINE_EXCEEDED, 'The deadline passed.')
            except errors.DomainError as exc:
                failure = exc
            except Exception as exc:
                failure = outages.unavailable(exc)
                if failure is None:
                    log.exception('unhandled error in %s', method.__name__)
            finally:
                release_connection()
            abort(context, failure)
        return serve
    return decorate


def abort(context: grpc.ServicerContext, failure: errors.DomainError | None) -> None:
    """End the call with the status of `failure` (INTERNAL for None) and its body."""
    if failure is None:
        context.abort(grpc.StatusCode.INTERNAL, 'Internal server error.')
    status = next(code for kind, code in STATUS_OF.items() if isinstance(failure, kind))
    body = {'code': failure.code, 'message': failure.message, 'fields': failure.fields}
    if getattr(failure, 'more', 0):
        body['more'] = failure.more
    trailers = [(ERROR_METADATA, json.dumps(body))]
    if hasattr(failure, 'retry_after'):
        trailers.append(('retry-after', str(failure.retry_after)))
    context.set_trailing_metadata(trailers)
    context.abort(status, failure.message)
