"""Home feeds in Redis are filled from the database: a post not yet fanned out to its
followers' feeds, and a follow whose posts are not yet in the follower's feed, say so themselves,
written in the transaction that makes them, so that nothing is lost when Redis or a worker is
not there. Rows already written are done: feeds not built yet are built from the database."""


def up(migrator, db):
    db.execute_sql('ALTER TABLE micropost ADD COLUMN fanned_out BOOLEAN NOT NULL DEFAULT TRUE')
    db.execute_sql('ALTER TABLE follow ADD COLUMN fed BOOLEAN NOT NULL DEFAULT TRUE')
    db.execute_sql('CREATE INDEX micropost_to_fan_out ON micropost (id) WHERE NOT fanned_out')
    db.execute_sql('CREATE INDEX follow_to_feed ON follow (id) WHERE NOT fed')


def down(migrator, db):
    db.execute_sql('DROP INDEX follow_to_feed')
    db.execute_sql('DROP INDEX micropost_to_fan_out')
    db.execute_sql('ALTER TABLE follow DROP COLUMN fed')  # SQLite 3.35+ can
    db.execute_sql('ALTER TABLE micropost DROP COLUMN fanned_out')
