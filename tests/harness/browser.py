"""Browser tests' harness: Debian's Chromium driven by Playwright, and the app under gunicorn +
gevent on its own PostgreSQL database and Redis server.

Each screen a test reaches is checked for console errors (script errors, CSP refusals, failed
requests) and saved as a PNG under `var/screenshots/`.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.request import Request, urlopen

import pytest

from lib import bootstrap
from tests.harness.servers import (
    PYTHON,
    RedisServer,
    missing,
    start_gunicorn,
    start_worker,
    stop,
)
from tests.harness.smtp import SmtpServer

CHROMIUM = '/usr/bin/chromium'
# The app's screen is up and none of its API calls is under way (pages without the shell, such
# as /docs, are settled once loaded).
# A function rather than an expression: Playwright polls an expression with `eval`, which the
# page's CSP refuses once the first check fails.
SETTLED = ('() => !window.Zepto || (document.querySelector("main[aria-busy=false]") !== null '
           '&& window.Zepto.active === 0)')
CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                 '--disable-background-networking', '--disable-component-update',
                 '--disable-sync']
SCREENSHOTS = bootstrap.ROOT / 'var' / 'screenshots'
PHONE = {'width': 390, 'height': 844}
DESKTOP = {'width': 1280, 'height': 900}
PASSWORD = 'correct horse battery'
UNLABELLED_FIELDS = '''[...document.querySelectorAll('input, select, textarea')]
    .filter(field => !field.labels || !field.labels.length).map(field => field.outerHTML)'''


def launch(playwright):
    """Debian's Chromium, headless; never a downloaded browser."""
    if not Path(CHROMIUM).exists():
        missing('chromium (/usr/bin/chromium)')
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


class WebServer:
    """gunicorn with gevent workers serving `app:application` on a fresh PostgreSQL database
    and a Redis server of its own, with a Celery worker of its own (posts reach the home feeds
    and their event streams through it, e-mails the SMTP server `smtp`)."""

    def __init__(self, postgres, directory: Path):
        self.directory = directory
        self.redis = RedisServer(directory)
        self.smtp = SmtpServer().start()
        var = directory / 'var'
        var.mkdir(exist_ok=True)
        self.environ = {'WARBLE_ROLE': 'test',
                        'WARBLE_DATABASE_URL': postgres.create_database('warble_browser'),
                        'WARBLE_REDIS_URL': self.redis.url, 'WARBLE_PATHS_VAR': str(var),
                        **self.smtp.environ()}
        self.manage('migrate')
        self.process, self.url = start_gunicorn(self.environ, directory / 'gunicorn.log')
        self.worker = start_worker(self.environ, directory / 'worker.log')

    def manage(self, *args: str) -> str:
        """Run a `manage.py` command against this server's database; its output."""
        done = subprocess.run([PYTHON, 'manage.py', *args], cwd=bootstrap.ROOT,
                              env=bootstrap.child_environ(**self.environ), capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def sql(self, statement: str, *params) -> None:
        """Run one SQL statement on this server's database."""
        import psycopg
        with psycopg.connect(self.environ['WARBLE_DATABASE_URL']) as connection:
            connection.execute(statement, params)

    def call(self, method: str, path: str, body: dict | None = None,
             token: str | None = None) -> dict | None:
        """One JSON API request (with a bearer token when given); the answer's JSON."""
        headers = {'Content-Type': 'application/json'}
        if token:
            headers['Authorization'] = f'Bearer {token}'
        data = None if body is None else json.dumps(body).encode()
        with urlopen(Request(self.url + path, data, headers, method=method)) as answer:
            return json.loads(answer.read() or 'null')

    def user(self, username: str) -> str:
        """A user made through the API; their bearer token."""
        self.call('POST', '/api/v1/users', {'username': username, 'password': PASSWORD,
                                            'email': f'{username}@example.com'})
        return self.call('POST', '/api/v1/token', {'grant_type': 'password',
                                                   'username': username,
                                                   'password': PASSWORD})['access_token']

    def stop(self) -> None:
        stop(self.worker)
        stop(self.process)
        self.redis.stop()
        self.smtp.stop()


class Screens:
    """One browser tab: go to screens, wait until they are drawn, check the console, take
    screenshots. Failed requests a test provokes on purpose are named with `expect_refusal`."""

    def __init__(self, page, base_url: str, prefix: str):
        self.page = page
        self.base_url = base_url
        self.prefix = prefix
        self.problems: list[str] = []
        self.refusals: list[tuple[int, str]] = []
        page.on('console', self._console)
        page.on('pageerror', lambda error: self.problems.append(f'page error: {error}'))

    def _console(self, message) -> None:
        if message.type != 'error':
            return
        text, url = message.text, message.location.get('url', '')
        status = re.search(r'status of (\d{3})', text)
        if status and (int(status.group(1)), url) in self._expected(url):
            return
        self.problems.append(f'console error: {text} ({url})')

    def _expected(self, url: str) -> set[tuple[int, str]]:
        return {(status, url) for status, pattern in self.refusals if re.search(pattern, url)}

    def expect_refusal(self, status: int, url_pattern: str) -> None:
        """A request to a URL matching `url_pattern` will be answered `status`, on purpose."""
        self.refusals.append((status, url_pattern))

    def visit(self, path: str, screen: str) -> None:
        self.page.goto(self.base_url + path)
        self.wait_for(screen)

    def wait_for(self, screen: str) -> None:
        """Wait until `screen` is drawn with its data loaded."""
        from playwright.sync_api import TimeoutError as Timeout
        try:
            self.page.wait_for_selector(f'main[data-screen="{screen}"][aria-busy="false"]')
        except Timeout:
            drawn = self.page.locator('main').get_attribute('data-screen')
            raise AssertionError(f'screen {screen!r} not drawn (showing {drawn!r}) at '
                                 f'{self.page.url}; console: {self.problems}') from None

    def shot(self, name: str, full_page: bool = True) -> Path:
        """Check the console so far and that every field has a label; save the screen as
        `var/screenshots/<prefix>-<name>.png`."""
        self.settle()
        self.assert_clean()
        unlabelled = self.page.evaluate(UNLABELLED_FIELDS)
        assert unlabelled == [], f'fields without a label on {self.page.url}: {unlabelled}'
        path = SCREENSHOTS / f'{self.prefix}-{name}.png'
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def settle(self) -> None:
        """Until the screen is up and no API call is under way (an open event stream, which
        never ends, is not waited for, as `networkidle` would)."""
        self.page.wait_for_load_state('load')
        self.page.wait_for_function(SETTLED)

    def assert_clean(self) -> None:
        problems, self.problems = self.problems, []
        assert not problems, '\n'.join(problems)


def fresh_screenshots() -> None:
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)


def texts(locator) -> list[str]:
    """The visible text of each element a locator finds, stripped."""
    return [text.strip() for text in locator.all_inner_texts()]


@pytest.fixture(scope='session')
def browser():
    """One headless Chromium for the whole test session."""
    from playwright.sync_api import sync_playwright
    fresh_screenshots()
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope='session')
def web_server(postgres_server, tmp_path_factory):
    server = WebServer(postgres_server, tmp_path_factory.mktemp('web'))
    yield server
    server.stop()


@pytest.fixture
def people(browser, web_server, request):
    """`people(name)`: a browser of its own (its own cookies) at desktop size, for one person;
    screenshots are named after the test and the person."""
    contexts = []

    def person(name: str = '') -> Screens:
        context = browser.new_context(viewport=DESKTOP, reduced_motion='reduce',
                                      locale='en-GB', timezone_id='UTC')
        context.set_default_timeout(10_000)
        contexts.append(context)
        prefix = '-'.join(filter(None, (request.node.name.removeprefix('test_'), name)))
        return Screens(context.new_page(), web_server.url, prefix)

    yield person
    for context in contexts:
        context.close()


@pytest.fixture
def screens(people) -> Screens:
    """One fresh browser (no cookies) at desktop size."""
    return people()
