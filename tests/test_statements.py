"""Prepared statements: the SQL of a query is built once per kind of database, and each run only
fills in its slots, converted as the field they meet would convert them."""
import datetime as dt

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
    insert = Statement(lambda: Micropost.insert(user=Slot('user'), text=Slot('text'),
                                                referenced=None, created=Slot('created')))
    moments = [dt.datetime(2026, 1, day, 12) for day in (1, 2, 3)]
    ids = [insert.insert(user=author.id, text=f'day {moment.day}', created=moment)
           for moment in moments]
    assert ids == sorted(ids) and len(set(ids)) == 3
    since = Statement(lambda: Micropost.select(Micropost.id, Micropost.created)
                      .where(Micropost.created >= Slot('since')).order_by(Micropost.id))
    assert [(row.id, row.created) for row in since.rows(since=moments[1])] == \
        list(zip(ids[1:], moments[1:], strict=True))
