"""The rule books are the one source of every input limit: each string they let through fits
the column that stores it, and the limits they name are written nowhere else."""
import json
import pathlib
import re

import peewee
import pytest

from controllers import citizen_rules, micropost_rules
from models.citizens import Citizen
from models.microposts import Micropost
from models.users import User

ROOT = pathlib.Path(__file__).resolve().parent.parent
STORED = [
    (micropost_rules.USERNAME, User.username),
    (micropost_rules.EMAIL_ADDRESS, User.email),
    (micropost_rules.TEXT, Micropost.text),
    *((citizen_rules.FIELDS[field.name], field) for field in Citizen._meta.sorted_fields
      if isinstance(field, peewee.CharField) and field.name in citizen_rules.FIELDS),
]


def allowed_length(rule: dict) -> int:
    """The most characters a string rule lets through."""
    if 'enum' in rule:
        return max(len(value) for value in rule['enum'])
    return rule['maxLength']


@pytest.mark.parametrize('rule, field', STORED, ids=[field.name for _, field in STORED])
def test_every_string_the_rules_allow_fits_its_column(rule, field):
    assert allowed_length(rule) <= field.max_length


def test_every_citizen_string_column_has_a_rule():
    columns = {field.name for field in Citizen._meta.sorted_fields
               if isinstance(field, peewee.CharField)}
    assert columns and columns <= set(citizen_rules.FIELDS)


def python_sources():
    for folder in ('api', 'controllers', 'batch', 'lib'):
        yield from (path for path in (ROOT / folder).rglob('*.py') if 'vendor' not in path.parts)
    yield from ROOT.glob('*.py')


@pytest.mark.parametrize('literal', [
    r'\b255\b', re.escape('[A-Za-z0-9_]{3,30}'), re.escape('{3,30}'),
    r'(?:minLength|_MIN)\W+3\b'])
def test_a_limit_is_written_only_in_the_rule_book(literal):
    """Models keep their column sizes (checked above); every other module reads the limit."""
    places = [str(path.relative_to(ROOT)) for path in python_sources()
              if re.search(literal, path.read_text(encoding='utf-8'))]
    assert places == ['controllers/micropost_rules.py'] or places == []


def test_the_page_shell_gives_the_browser_the_rule_books_limits(app):
    answer = app.get('/search')
    limits = json.loads(answer.html.body['data-limits'])
    assert limits['text_max'] == micropost_rules.TEXT_MAX
    assert limits['search_min'] == micropost_rules.SEARCH_MIN
    assert re.fullmatch(limits['username_characters'], 'a' * micropost_rules.USERNAME_MAX)
    assert f'At least {micropost_rules.SEARCH_MIN} characters.' in answer.text
