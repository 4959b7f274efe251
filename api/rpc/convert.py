"""Messages to the plain dicts the rules check and the controllers take, and back.

A field is in the dict when it was set (`optional` fields, messages) or, for fields without
presence, always: so an unset `optional` field is absent, as in a JSON body without it, and the
rule book judges it the same way. Repeated fields are always lists."""
from __future__ import annotations

from typing import Any, TypeVar

from google.protobuf import json_format
from google.protobuf.field_mask_pb2 import FieldMask
from google.protobuf.message import Message

M = TypeVar('M', bound=Message)


def fields_of(message: Message) -> dict[str, Any]:
    """The fields of `message` as a dict, ints staying ints (unlike the JSON mapping's int64)."""
    values = {}
    for field in message.DESCRIPTOR.fields:
        value = getattr(message, field.name)
        if field.is_repeated:
            values[field.name] = [plain(item) for item in value]
        elif not field.has_presence or message.HasField(field.name):
            values[field.name] = plain(value)
    return values


def plain(value: Any) -> Any:
    return fields_of(value) if isinstance(value, Message) else value


def masked(message: Message, mask: FieldMask) -> dict[str, Any]:
    """The fields of `message` that `mask` names: those left unset as None (a null in JSON), a
    path naming no field as given, for the rules to refuse."""
    values = fields_of(message)
    return {path: values.get(path) for path in mask.paths}


def to_message(values: dict, kind: type[M]) -> M:
    """A controller's dict as a message of `kind`; keys it has no field for are left out."""
    return json_format.ParseDict(values, kind(), ignore_unknown_fields=True)
