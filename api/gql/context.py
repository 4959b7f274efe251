"""What one GraphQL request shares among its resolvers: the links it shows and its batch of
users by name, so that the authors and referenced users of a page cost one query."""
from __future__ import annotations

from dataclasses import dataclass

from graphql_sync_dataloaders import SyncDataLoader

from lib.utils.urlkit import Links


@dataclass(frozen=True)
class Context:
    links: Links
    users: SyncDataLoader  # lower-cased username -> User or None, batched per request
