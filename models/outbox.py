"""The outbox: mention e-mails owed, each written in the transaction of the post that names its
recipient, and the state of its delivery (see `controllers/outbox.py`)."""
from __future__ import annotations

import peewee

from lib.utils.datekit import utcnow
from models.db import BaseModel
from models.microposts import Micropost
from models.users import User

PENDING = 'pending'      # owed; handed to Celery again by the sweep once `due`
SENDING = 'sending'      # claimed by one worker (`claim`) until `due`
SENT = 'sent'            # the end of its data went to the SMTP server: never sent again
DELIVERED = 'delivered'  # the SMTP server accepted it
FAILED = 'failed'        # refused for good, or out of attempts (`error` says why)


class OutboxEmail(BaseModel):
    key = peewee.CharField(max_length=100, unique=True)  # the idempotency key
    micropost = peewee.ForeignKeyField(Micropost, on_delete='CASCADE')
    recipient = peewee.ForeignKeyField(User, on_delete='CASCADE')
    state = peewee.CharField(max_length=10, default=PENDING)
    attempts = peewee.IntegerField(default=0)
    claim = peewee.CharField(max_length=32, null=True)
    due = peewee.DateTimeField()
    created = peewee.DateTimeField(default=utcnow)
    sent = peewee.DateTimeField(null=True)
    delivered = peewee.DateTimeField(null=True)
    error = peewee.CharField(max_length=500, null=True)
    request_id = peewee.CharField(max_length=128, null=True)  # of the request that owed it

    class Meta:
        indexes = ((('state', 'due'), False),       # the sweep: due rows by state
                   (('state', 'created'), False))   # the backlog: rows not sent, the oldest
