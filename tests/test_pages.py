"""The page shell and its assets: screen URLs, the security policy, versioned static files."""
import re
from html.parser import HTMLParser

import pytest

import api
from api.assets import AssetVersion
from lib import config

SCREEN_PATHS = ('/', '/signup', '/login', '/timeline', '/search?text=abc', '/stats',
                '/users/alice', '/users/alice/followers', '/users/alice/following',
                '/users/alice/posts/12', '/notifications', '/export', '/analyzer',
                '/analyzer/imports/3', '/analyzer/imports/3/citizens/7')
VERSIONED = re.compile(r'^/static/[0-9a-f]{12}/')


class Tags(HTMLParser):
    """Every start tag of a page with its attributes, and the text inside <script> elements."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.script_text = ''
        self._in_script = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == 'script'

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.script_text += data.strip()

    def assets(self) -> list[str]:
        return [attrs.get('src') or attrs['href'] for tag, attrs in self.tags
                if tag in ('script', 'link') and (attrs.get('src') or attrs.get('href'))]


@pytest.mark.parametrize('path', SCREEN_PATHS)
def test_every_screen_url_answers_the_page_shell(app, path):
    answer = app.get(path)
    assert answer.content_type == 'text/html'
    assert '<title>Warble</title>' in answer.text and '<main id="main"' in answer.text
    assert answer.headers['Cache-Control'] == 'no-cache'


@pytest.mark.parametrize('path', ('/nowhere', '/users/alice/likes', '/analyzer/imports/x',
                                  '/users/alice/posts/one'))
def test_a_path_that_is_no_screen_is_404(app, path):
    answer = app.get(path, status=404)
    assert answer.content_type == 'text/plain'
    assert f'Nothing at {path}.' in answer.text


def test_pages_forbid_inline_scripts_eval_and_framing(app):
    policy = dict(part.strip().split(' ', 1)
                  for part in app.get('/').headers['Content-Security-Policy'].split(';'))
    assert policy['script-src'] == "'self'" and policy['style-src'] == "'self'"
    assert policy['default-src'] == "'self'" and policy['object-src'] == "'none'"
    assert policy['frame-ancestors'] == "'none'"


def test_json_answers_carry_the_same_security_headers(app):
    answer = app.get('/imports')
    assert answer.headers['X-Content-Type-Options'] == 'nosniff'
    assert "script-src 'self'" in answer.headers['Content-Security-Policy']


@pytest.mark.parametrize('path', ('/', '/docs'))
def test_pages_hold_no_inline_script_handler_or_style(app, path):
    page = Tags(app.get(path).text)
    assert page.script_text == ''
    scripts = [attrs for tag, attrs in page.tags if tag == 'script']
    assert scripts and all(attrs.get('src') for attrs in scripts)
    for tag, attrs in page.tags:
        assert not [name for name in attrs if name.startswith('on') or name == 'style'], tag


@pytest.mark.parametrize('path', ('/', '/docs'))
def test_assets_are_linked_under_the_content_version_and_cached_for_a_year(app, path):
    assets = Tags(app.get(path).text).assets()
    assert len(assets) >= 2
    for url in assets:
        assert VERSIONED.match(url), url
        answer = app.get(url)
        assert answer.headers['Cache-Control'] == 'public, max-age=31536000, immutable'
        assert len(answer.body) > 100


def test_module_scripts_are_served_as_javascript(app):
    script = next(url for url in Tags(app.get('/').text).assets() if url.endswith('/js/app.js'))
    answer = app.get(script)
    assert 'javascript' in answer.content_type
    assert "from './router.js'" in answer.text


def test_an_asset_of_another_version_is_404(app):
    answer = app.get('/static/000000000000/css/app.css', status=404)
    assert 'Cache-Control' not in answer.headers


def test_an_unversioned_static_file_is_revalidated(app):
    answer = app.get('/static/css/app.css')
    assert answer.headers['Cache-Control'] == 'no-cache'
    assert '.brand' in answer.text
    again = app.get('/static/css/app.css', headers={'If-None-Match': answer.headers['ETag']},
                    status=304)
    assert again.body == b''


def test_the_version_changes_with_a_file_and_only_then(tmp_path):
    (tmp_path / 'js').mkdir()
    (tmp_path / 'js' / 'app.js').write_text('one')
    version = AssetVersion(tmp_path)
    first = version.current()
    assert re.fullmatch('[0-9a-f]{12}', first)
    assert version.current() == first
    (tmp_path / 'js' / 'app.js').write_text('two')
    assert version.current() != first
    (tmp_path / 'js' / 'app.js').write_text('one')
    assert version.current() == first


def test_the_app_name_is_escaped_in_the_page(environ, settings):
    import webtest
    named = config.load({**environ, 'WARBLE_APP_NAME': '<script>alert(1)</script>'})
    answer = webtest.TestApp(api.create_wsgi(named)).get('/')
    assert '<script>alert(1)</script>' not in answer.text
    assert '&lt;script&gt;alert(1)&lt;/script&gt;' in answer.text
