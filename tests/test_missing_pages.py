"""Unknown URLs: browsers get the app's page (its screen says "Not found" with a way back) with
the 404 kept; JSON paths and JSON clients keep the JSON error; others the short text."""
import pytest

BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'


@pytest.mark.parametrize('path', ('/nowhere', '/users/alice/likes', '/analyzer/nothing',
                                  '/analyzer/imports/3/extra'))
def test_a_browser_gets_the_page_shell_with_404(app, path):
    answer = app.get(path, headers={'Accept': BROWSER}, status=404)
    assert answer.content_type == 'text/html'
    assert '<main id="main"' in answer.text and 'app.js' in answer.text
    assert answer.headers['Cache-Control'] == 'no-cache'
    assert "script-src 'self'" in answer.headers['Content-Security-Policy']


@pytest.mark.parametrize('path', ('/api/v1/nowhere', '/imports/3/nowhere', '/openapi.json/x'))
def test_json_paths_keep_the_json_error_even_for_a_browser(app, path):
    answer = app.get(path, headers={'Accept': BROWSER}, status=404)
    assert answer.content_type == 'application/json'
    assert answer.json['error'] == {'code': 'not_found', 'message': f'Nothing at {path}.',
                                    'fields': {}}


def test_a_json_client_gets_the_json_error_anywhere(app):
    answer = app.get('/nowhere', headers={'Accept': 'application/json'}, status=404)
    assert answer.json['error']['code'] == 'not_found'


def test_a_client_asking_for_neither_gets_the_short_text(app):
    answer = app.get('/nowhere', headers={'Accept': '*/*'}, status=404)
    assert answer.content_type == 'text/plain'
    assert 'Nothing at /nowhere.' in answer.text


def test_a_missing_asset_is_not_answered_with_a_page(app):
    answer = app.get('/static/nothing.css', headers={'Accept': 'text/css,*/*;q=0.1'},
                     status=404)
    assert answer.content_type != 'text/html'


def test_the_docs_page_links_back_to_the_app(app):
    page = app.get('/docs').text
    assert '<a href="/">Back to the app</a>' in page
