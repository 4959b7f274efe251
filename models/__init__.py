"""Storage: Peewee models bound through `db.py`, and Redis stores reached through `redisdb.py`."""
