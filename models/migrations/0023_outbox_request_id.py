"""Each owed e-mail keeps the id of the request that owed it, for the task that sends it; the
backlog (rows not yet sent, and the oldest of them) is read through an index on state and age."""


def up(migrator, db):
    db.execute_sql('ALTER TABLE outbox_email ADD COLUMN request_id VARCHAR(128)')
    db.execute_sql('CREATE INDEX outbox_email_state_created ON outbox_email (state, created)')


def down(migrator, db):
    db.execute_sql('DROP INDEX outbox_email_state_created')
    db.execute_sql('ALTER TABLE outbox_email DROP COLUMN request_id')
