"""Prepared statements: the SQL of a query is built once per kind of database, and each run only
fills in its slots, converted as the field they meet would convert them."""
import datetime as dt

import pytest

from models.ids import next_id
from models.microposts import Micropost
from models.statements import Slot, Statement
from models.users import User


def test_a_statement_is_built_once_and_runs_with_new_values(settings):
    for name in ('alice', 'bob'):
        User.create(username=name, username_key=name, email=f'{name}@example.com',
                    password_hash='x')
    built = []

    def build():
        built.append(1)
        return User.select(User.username).where(User.username == Slot('name')).tuples()
    named = Statement(build)
    assert [named.first(name=name) for name in ('alice', 'bob', 'carol')] == \
        [('alice',), ('bob',), None]
    assert len(built) == 1


def test_slots_are_converted_like_the_field_and_inserts_give_their_key(settings):
    author = User.create(username='alice', username_key='alice', email='a@example.com',
                         password_hash='x')
    insert = Statement(lambda: Micropost.insert(id=Slot('id'), user=Slot('user'),
                                                text=Slot('text'), referenced=None,
                                                created=Slot('created')))
    moments = [dt.datetime(2026, 1, day, 12) for day in (1, 2, 3)]
    ids = [insert.insert(id=next_id(), user=author.id, text=f'day {moment.day}',
                         created=moment) for moment in moments]
    assert ids == sorted(ids) and len(set(ids)) == 3
    since = Statement(lambda: Micropost.select(Micropost.id, Micropost.created)
                      .where(Micropost.created >= Slot('since')).order_by(Micropost.id))
    assert [(row.id, row.created) for row in since.rows(since=moments[1])] == \
        list(zip(ids[1:], moments[1:], strict=True))


def test_rows_as_dicts_read_the_same_on_every_run_as_peewee_reads_them(settings):
    author = User.create(username='alice', username_key='alice', email='a@example.com',
                         password_hash='x')
    for day in (1, 2, 3):
        Micropost.create(user=author, text=f'day {day}', created=dt.datetime(2026, 1, day, 12))
    listing = Statement(lambda: Micropost.listing().where(Micropost.id >= Slot('least'))
                        .order_by(Micropost.id))
    peewee_reads = list(Micropost.listing().order_by(Micropost.id))
    runs = [list(listing.rows(least=0)) for _ in range(3)]
    assert runs == [peewee_reads] * 3
    assert isinstance(runs[-1][0]['created'], dt.datetime)
    assert list(listing.rows(least=2 ** 63 - 1)) == []


def test_an_insert_leaving_a_column_to_a_default_function_is_refused(settings):
    """Built once, its SQL would carry the first id made: every later run would repeat it."""
    insert = Statement(lambda: Micropost.insert(user=Slot('user'), text=Slot('text'),
                                                created=Slot('created')))
    with pytest.raises(ValueError, match='give id a Slot'):
        insert.insert(user=1, text='x', created=dt.datetime(2026, 1, 1))
