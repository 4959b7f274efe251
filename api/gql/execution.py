"""Synchronous execution that batches the loads of a request (graphql-sync-dataloaders), fitted
to graphql-core 3.2.14, whose `handle_field_error` also takes the field's path: the batching
context calls it without one, so the path is rebuilt from the error."""
from __future__ import annotations

from graphql import GraphQLError, GraphQLOutputType, is_non_null_type
from graphql.pyutils import Path
from graphql_sync_dataloaders import DeferredExecutionContext


class BatchedExecutionContext(DeferredExecutionContext):
    def handle_field_error(self, error: GraphQLError, return_type: GraphQLOutputType,
                           path: Path | None = None) -> None:
        if is_non_null_type(return_type):
            raise error
        if path is None:
            for key in error.path or ():
                path = Path(path, key, None)
        self.collected_errors.add(error, path)
