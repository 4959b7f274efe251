"""The rule books are the one source of every input limit: each string they let through fits
the column that stores it, and the limits they name are written nowhere else."""
import json
import pathlib
import re

import pytest

from controllers import citizen_rules, micropost_rules, profile_rules
from models import db

ROOT = pathlib.Path(__file__).resolve().parent.parent
STORED = {  # (table, column): the rule of what is stored there
    ('users', 'username'): micropost_rules.USERNAME,
    ('users', 'email'): micropost_rules.EMAIL_ADDRESS,
    ('account_ticket', 'email'): micropost_rules.EMAIL_ADDRESS,  # a new address, to confirm
    ('micropost', 'text'): micropost_rules.TEXT,
    ('users', 'display_name'): profile_rules.DISPLAY_NAME,
    ('users', 'bio'): profile_rules.BIO,
    **{('citizens', name): citizen_rules.FIELDS[name]
       for name in ('town', 'street', 'building', 'name', 'gender')},
}


def allowed_length(rule: dict) -> int:
    """The most characters a string rule lets through."""
    if 'enum' in rule:
        return max(len(value) for value in rule['enum'])
    return rule['maxLength']


def column_sizes() -> dict[tuple[str, str], int]:
    """(table, column): the most characters each sized text column of the database holds."""
    rows = db.database.execute_sql(
        "SELECT table_name, column_name, character_maximum_length FROM information_schema.columns"
        " WHERE table_schema = 'public' AND character_maximum_length IS NOT NULL")
    return {(table, column): size for table, column, size in rows}


def test_every_column_of_client_text_has_the_size_its_rule_allows(postgres_environ):
    sizes = column_sizes()
    assert {key: sizes.get(key) for key in STORED} == {
        key: allowed_length(rule) for key, rule in STORED.items()}


def test_every_citizen_text_column_has_a_rule(postgres_environ):
    sized = {column for table, column in column_sizes() if table == 'citizens'}
    assert sized and sized <= set(citizen_rules.FIELDS)


def python_sources():
    """Every module but installed code and the frozen migrations."""
    for folder in ('api', 'controllers', 'models', 'batch', 'lib'):
        yield from (path for path in (ROOT / folder).rglob('*.py')
                    if not {'vendor', 'migrations'} & set(path.parts))
    yield from ROOT.glob('*.py')


@pytest.mark.parametrize('literal', [
    r'\b255\b', re.escape('[A-Za-z0-9_]{3,30}'), re.escape('{3,30}'),
    r'(?:minLength|_MIN)\W+3\b'])
def test_a_limit_is_written_only_in_the_rule_book(literal):
    """Columns get their sizes from migrations (checked above); every other module reads
    the limit from the rule book."""
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
