"""Accounts people manage themselves.

- `account_ticket`: a password reset or an e-mail change waiting for its link to be followed;
  only the SHA-256 digest of the link's token is kept (null until the e-mail is sent).
- `outbox_email` also carries the e-mails of those tickets: `ticket_id`, and `micropost_id`
  becomes optional (a mention e-mail names a post, an account e-mail a ticket). SQLite cannot
  drop a NOT NULL, so there the table is rebuilt with its rows.
- `token`: the kind (`session` for a browser cookie, `token` for a bearer token), the client
  that asked for it (user agent and address) and when it was last used.
- `users`: an index on the lower-cased e-mail, which password resets look up.
"""
import datetime

import peewee


class User(peewee.Model):
    class Meta:
        table_name = 'users'


class AccountTicket(peewee.Model):
    user = peewee.ForeignKeyField(User, on_delete='CASCADE')
    purpose = peewee.CharField(max_length=10)
    digest = peewee.CharField(max_length=64, null=True, unique=True)
    email = peewee.CharField(max_length=254, null=True)
    created = peewee.DateTimeField(default=datetime.datetime.utcnow)
    expires = peewee.DateTimeField(index=True)

    class Meta:
        table_name = 'account_ticket'


OUTBOX_COLUMNS = ('id, key, micropost_id, recipient_id, state, attempts, claim, due, created, '
                  'sent, delivered, error, request_id')
OUTBOX_INDEXES = (
    'CREATE UNIQUE INDEX "outboxemail_key" ON "outbox_email" ("key")',
    'CREATE INDEX "outboxemail_micropost_id" ON "outbox_email" ("micropost_id")',
    'CREATE INDEX "outboxemail_recipient_id" ON "outbox_email" ("recipient_id")',
    'CREATE INDEX "outboxemail_state_due" ON "outbox_email" ("state", "due")',
    'CREATE INDEX outbox_email_state_created ON outbox_email (state, created)',
)
OUTBOX_TABLE = (
    'CREATE TABLE "{name}" ("id" INTEGER NOT NULL PRIMARY KEY, "key" VARCHAR(100) NOT NULL, '
    '"micropost_id" INTEGER{micropost}, "recipient_id" INTEGER NOT NULL, '
    '"state" VARCHAR(10) NOT NULL, "attempts" INTEGER NOT NULL, "claim" VARCHAR(32), '
    '"due" DATETIME NOT NULL, "created" DATETIME NOT NULL, "sent" DATETIME, '
    '"delivered" DATETIME, "error" VARCHAR(500), request_id VARCHAR(128),{ticket} '
    'FOREIGN KEY ("micropost_id") REFERENCES "micropost" ("id") ON DELETE CASCADE, '
    'FOREIGN KEY ("recipient_id") REFERENCES "users" ("id") ON DELETE CASCADE{ticket_key})')
TICKET_COLUMN = ' "ticket_id" INTEGER,'
TICKET_KEY = (', FOREIGN KEY ("ticket_id") REFERENCES "account_ticket" ("id") '
              'ON DELETE CASCADE')
TOKEN_COLUMNS = (('kind', "VARCHAR(10) NOT NULL DEFAULT 'token'"), ('user_agent', 'VARCHAR(200)'),
                 ('address', 'VARCHAR(64)'))


def is_postgres(db) -> bool:
    return isinstance(db, peewee.PostgresqlDatabase)


def rebuild_outbox(db, with_ticket: bool) -> None:
    """SQLite: the outbox table again, with its rows, as this migration wants it or not."""
    columns = OUTBOX_COLUMNS  # the columns both have (down drops tickets' rows first)
    db.execute_sql(OUTBOX_TABLE.format(
        name='outbox_email_new', micropost='' if with_ticket else ' NOT NULL',
        ticket=TICKET_COLUMN if with_ticket else '',
        ticket_key=TICKET_KEY if with_ticket else ''))
    db.execute_sql(f'INSERT INTO outbox_email_new ({columns}) '
                   f'SELECT {columns} FROM outbox_email')
    db.execute_sql('DROP TABLE outbox_email')
    db.execute_sql('ALTER TABLE outbox_email_new RENAME TO outbox_email')
    for statement in OUTBOX_INDEXES:
        db.execute_sql(statement)


def up(migrator, db):
    with AccountTicket.bind_ctx(db):
        db.create_tables([AccountTicket])
    time = 'TIMESTAMP' if is_postgres(db) else 'DATETIME'
    if is_postgres(db):
        db.execute_sql('ALTER TABLE outbox_email ALTER COLUMN micropost_id DROP NOT NULL')
        db.execute_sql('ALTER TABLE outbox_email ADD COLUMN ticket_id INTEGER '
                       'REFERENCES account_ticket (id) ON DELETE CASCADE')
    else:
        rebuild_outbox(db, with_ticket=True)
    db.execute_sql('CREATE INDEX outbox_email_ticket_id ON outbox_email (ticket_id)')
    for column, kind in TOKEN_COLUMNS:
        db.execute_sql(f'ALTER TABLE token ADD COLUMN {column} {kind}')
    db.execute_sql(f'ALTER TABLE token ADD COLUMN last_used {time}')
    db.execute_sql('CREATE INDEX users_email_lower ON users (LOWER(email))')


def down(migrator, db):
    db.execute_sql('DROP INDEX users_email_lower')
    for column in ('last_used', *(column for column, _ in reversed(TOKEN_COLUMNS))):
        db.execute_sql(f'ALTER TABLE token DROP COLUMN {column}')
    db.execute_sql('DELETE FROM outbox_email WHERE micropost_id IS NULL')
    db.execute_sql('DROP INDEX outbox_email_ticket_id')
    if is_postgres(db):
        db.execute_sql('ALTER TABLE outbox_email DROP COLUMN ticket_id')
        db.execute_sql('ALTER TABLE outbox_email ALTER COLUMN micropost_id SET NOT NULL')
    else:
        rebuild_outbox(db, with_ticket=False)
    with AccountTicket.bind_ctx(db):
        db.drop_tables([AccountTicket])
