"""The schema with its protections from the `graphql` settings (depth, tokens, aliases,
introspection), and GraphQL errors in the shape of the REST errors: `extensions.code` and
`extensions.fields` carry what REST's `error.code` and `error.fields` carry.

Parsing and validating a query cost several times its execution, and clients send the same few
queries again and again: short queries are parsed and validated once per process (LRU), long
ones each time, so that no client can fill the caches with large documents."""
from __future__ import annotations

import contextlib
import functools
import logging
import re

import bottle
import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)
from strawberry.extensions.max_aliases import create_validator as aliases_rule
from strawberry.extensions.query_depth_limiter import create_validator as depth_rule
from strawberry.types.graphql import OperationType

from api.callers import WRITES
from api.gql.execution import BatchedExecutionContext
from api.gql.mutations import Mutation
from api.gql.queries import Query
from controllers import errors, outages

log = logging.getLogger('warble.api')

# What the protections and the parser say, and the code each refusal carries.
CODE_OF_MESSAGE = (
    (re.compile(r'exceeds maximum operation depth'), 'too_deep'),
    (re.compile(r'more than \d+ tokens'), 'too_many_tokens'),
    (re.compile(r'aliases found'), 'too_many_aliases'),
    (re.compile(r'introspection has been disabled', re.IGNORECASE), 'introspection_disabled'),
)


class WarbleSchema(strawberry.Schema):
    """Logs only the errors no rule raised on purpose: a refusal is an answer, not a fault."""

    def process_errors(self, errors_: list[GraphQLError], execution_context=None) -> None:
        for error in errors_:
            if unexpected(error.original_error):
                log.error('unhandled error in GraphQL %s', error.path,
                          exc_info=error.original_error)


CACHED_QUERY_CHARS = 2048  # longer queries are parsed and validated each time
CACHED_QUERIES = 256


def short(query: str | None) -> bool:
    return query is not None and len(query) <= CACHED_QUERY_CHARS


class ShortQueriesParsedOnce(ParserCache):
    """Parse a short query once; a query that does not parse is left to Strawberry, which
    answers its syntax error."""

    def __init__(self) -> None:
        super().__init__(maxsize=CACHED_QUERIES)

    def on_parse(self):
        context = self.execution_context
        if short(context.query):
            with contextlib.suppress(GraphQLError):
                context.graphql_document = self.cached_parse_document(context.query,
                                                                      **context.parse_options)
        yield


class ShortQueriesValidatedOnce(ValidationCache):
    """Validate a short query once per set of rules (the rule classes are made once per
    schema, so the key repeats)."""

    def __init__(self) -> None:
        super().__init__(maxsize=CACHED_QUERIES)

    def on_validate(self):
        if short(self.execution_context.query):
            yield from super().on_validate()
        else:
            yield


class WritesOnlyInMutations(SchemaExtension):
    """A query reads, whatever the HTTP method: only a mutation asks a session cookie for its
    CSRF token (a cross-site page can neither send this JSON body nor read the answer)."""

    def on_execute(self):
        bottle.request.environ[WRITES] = \
            self.execution_context.operation_type is not OperationType.QUERY
        yield


def unexpected(exc: BaseException | None) -> bool:
    return (exc is not None and not isinstance(exc, errors.DomainError)
            and outages.unavailable(exc) is None)


@functools.lru_cache(maxsize=4)
def build(max_depth: int, max_tokens: int, max_aliases: int,
          introspection: bool) -> WarbleSchema:
    """The schema under these limits (one per set of limits, made once per process)."""
    rules = [depth_rule(max_depth, should_ignore=None), aliases_rule(max_aliases)]
    extensions = [lambda: AddValidationRules(rules),
                  lambda: MaxTokensLimiter(max_token_count=max_tokens),
                  ShortQueriesParsedOnce, ShortQueriesValidatedOnce, WritesOnlyInMutations]
    if not introspection:
        extensions.append(DisableIntrospection)
    return WarbleSchema(query=Query, mutation=Mutation, extensions=extensions,
                        execution_context_class=BatchedExecutionContext)


def sdl() -> str:
    """The schema in the GraphQL schema language, as published."""
    return build(1, 1, 1, True).as_str() + '\n'


def formatted(error: GraphQLError) -> dict:
    """A GraphQL error with the REST error's code, message and fields in `extensions`."""
    exc = error.original_error
    if isinstance(exc, errors.DomainError) or exc is None:
        found = exc
    else:
        found = outages.unavailable(exc)
    answer = error.formatted
    if found is not None:
        answer['message'] = found.message
        answer['extensions'] = {'code': found.code, 'fields': found.fields}
        if getattr(found, 'more', 0):
            answer['extensions']['more'] = found.more
        if getattr(found, 'retry_after', None) is not None:  # REST's Retry-After header
            answer['extensions']['retry_after'] = found.retry_after
    elif exc is not None:
        answer['message'] = 'Internal server error.'
        answer['extensions'] = {'code': 'internal_error', 'fields': {}}
    else:
        code = next((code for pattern, code in CODE_OF_MESSAGE
                     if pattern.search(error.message)), 'invalid')
        answer['extensions'] = {'code': code, 'fields': {}}
    return answer
