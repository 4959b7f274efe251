"""Users choose whether posts naming them send them an e-mail (on by default)."""


def up(migrator, db):
    db.execute_sql('ALTER TABLE users ADD COLUMN notify_mentions BOOLEAN NOT NULL DEFAULT TRUE')


def down(migrator, db):
    db.execute_sql('ALTER TABLE users DROP COLUMN notify_mentions')
