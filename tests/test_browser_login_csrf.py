"""Login CSRF in Chromium: a page on another site posts an `enctype="text/plain"` form that
spells the attacker's credentials as JSON to the login route; the browser must not end up
logged in as the attacker."""
import html
import json

EVIL = 'http://evil.test/'
ATTACKER_PASSWORD = 'attacker=password'  # the "=" the form puts between name and value


def attack_page(action: str, username: str) -> str:
    """A form whose one field, named with the start of a JSON object and valued with its end,
    makes the body `{"username": ..., "password": "attacker=password"}`."""
    name, value = json.dumps({'username': username, 'password': ATTACKER_PASSWORD}).split('=')
    return (f'<!doctype html><form method="post" enctype="text/plain" action="{action}">'
            f'<input type="hidden" name="{html.escape(name)}" value="{html.escape(value)}">'
            f'<button>Win a prize</button></form>')


def test_a_cross_site_text_plain_form_does_not_log_the_browser_in(screens, web_server):
    web_server.call('POST', '/api/v1/users', {'username': 'mallory_csrf', 'password':
                                              ATTACKER_PASSWORD, 'email': 'm@example.com'})
    page = screens.page
    page.route(EVIL, lambda route: route.fulfill(
        status=200, content_type='text/html',
        body=attack_page(f'{web_server.url}/api/v1/session', 'mallory_csrf')))
    page.goto(EVIL)
    with page.expect_navigation() as navigation:
        page.click('button')
    answer = navigation.value
    assert answer.status in (403, 415), answer.status
    assert not [cookie for cookie in page.context.cookies(web_server.url)
                if cookie['name'] == 'warble_session']
    page.goto(f'{web_server.url}/api/v1/session')
    assert json.loads(page.inner_text('body')) == {'username': None, 'csrf_token': None}

