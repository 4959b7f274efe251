"""Usernames that look alike (`paypal_x`, `paypaI_x`) share one key, which one user at most
holds. A user whose name already looked like an older user's keeps it, without the key."""
from lib.utils.confusables import username_key


def up(migrator, db):
    db.execute_sql('ALTER TABLE users ADD COLUMN username_key VARCHAR(90)')
    taken = set()
    for user_id, username in db.execute_sql('SELECT id, username FROM users ORDER BY id'):
        key = username_key(username)
        if key not in taken:
            taken.add(key)
            db.execute_sql(f'UPDATE users SET username_key = {db.param} WHERE id = {db.param}',
                           (key, user_id))
    db.execute_sql('CREATE UNIQUE INDEX users_username_key ON users (username_key)')


def down(migrator, db):
    db.execute_sql('DROP INDEX users_username_key')
    db.execute_sql('ALTER TABLE users DROP COLUMN username_key')
