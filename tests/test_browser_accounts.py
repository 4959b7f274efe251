"""The account screens in Chromium at desktop and phone width: settings (e-mail address,
password, sessions, deletion), and the password reset from the login screen through a real
e-mail, sent by the outbox's Celery worker to the harness's SMTP server."""
import re
import time
from urllib.error import HTTPError
from urllib.parse import quote

import pytest

from tests.harness.browser import PASSWORD, PHONE, Screens, texts

NEW_PASSWORD = 'violet lantern orbit'
LINK = re.compile(r'https?://[^/\s]+(/[a-z-]+#token=[A-Za-z0-9_-]+)')


def log_in(screens: Screens, username: str, password: str = PASSWORD, next_path: str = '/',
           screen: str = 'feed') -> None:
    screens.visit(f'/login?next={quote(next_path, safe="")}', 'login')
    screens.page.get_by_label('Username').fill(username)
    screens.page.get_by_label('Password').fill(password)
    screens.page.get_by_role('button', name='Log in').click()
    screens.wait_for(screen)


def mailed_link(web_server, recipient: str) -> str:
    """The path and fragment of the link in the newest e-mail to `recipient`."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for received in reversed(web_server.smtp.messages):
            if recipient in received.recipients:
                text = received.message.get_body(('plain',)).get_content()
                return LINK.search(text).group(1)
        time.sleep(0.05)
    raise AssertionError(f'no e-mail to {recipient}')


def refused(web_server, path: str, token: str) -> int:
    try:
        web_server.call('GET', path, token=token)
    except HTTPError as error:
        return error.code
    return 200


def fits_the_width(screens: Screens) -> bool:
    return screens.page.evaluate('document.documentElement.scrollWidth') <= PHONE['width']


def test_settings_change_the_address_password_and_sessions_then_delete(people, web_server):
    api_token = web_server.user('sam_w')
    web_server.user('taken_w')
    sam = people('sam')
    page = sam.page
    log_in(sam, 'sam_w')
    page.get_by_role('link', name='Settings').click()
    sam.wait_for('settings')
    assert page.locator('.current-email').inner_text() == 'sam_w@example.com'
    assert page.locator('.session').count() == 2
    assert texts(page.locator('.session .badge:visible')) == ['This browser']
    sam.shot('desktop')

    sam.expect_refusal(400, '/password$')
    page.get_by_label('Current password').fill('not my password')
    page.get_by_label('New password').fill(NEW_PASSWORD)
    page.get_by_role('button', name='Change password').click()
    page.wait_for_selector('text=Not your current password')

    sam.expect_refusal(409, '/email$')
    page.get_by_label('New e-mail address').fill('taken_w@example.com')
    page.get_by_label('Your password', exact=True).fill(PASSWORD)
    page.get_by_role('button', name='Send a confirmation link').click()
    page.wait_for_selector('text=Used by another account')
    sam.shot('refusals')

    page.get_by_label('New e-mail address').fill('sam.new@example.org')
    page.get_by_role('button', name='Send a confirmation link').click()
    page.wait_for_selector('.pending-email:visible')
    assert 'sam.new@example.org' in page.locator('.pending-email').inner_text()
    link = mailed_link(web_server, 'sam.new@example.org')
    assert link.startswith('/confirm-email#token=')

    page.set_viewport_size(PHONE)
    sam.visit('/settings', 'settings')
    assert fits_the_width(sam)
    sam.shot('phone')
    page.goto(web_server.url + link)
    sam.wait_for('confirm-email')
    assert page.locator('.notice.success').inner_text() == \
        'sam.new@example.org is now the e-mail address of sam_w.'
    assert '#' not in page.url  # the token left the address bar
    sam.shot('confirmed-phone')

    page.set_viewport_size({'width': 1280, 'height': 900})
    sam.visit('/settings', 'settings')
    assert page.locator('.current-email').inner_text() == 'sam.new@example.org'
    page.get_by_label('Current password').fill(PASSWORD)
    page.get_by_label('New password').fill(NEW_PASSWORD)
    page.get_by_role('button', name='Change password').click()
    page.wait_for_selector('text=Password changed. 1 other session was logged out.')
    assert refused(web_server, '/api/v1/users/sam_w/account', api_token) == 401
    assert page.locator('.session').count() == 1

    other = web_server.call('POST', '/api/v1/token', {
        'grant_type': 'password', 'username': 'sam_w', 'password': NEW_PASSWORD})
    sam.visit('/settings', 'settings')
    page.locator('.session:not(.current) .revoke').click()
    page.wait_for_function('() => document.querySelectorAll(".session").length === 1')
    assert refused(web_server, '/api/v1/users/sam_w/account', other['access_token']) == 401

    sam.expect_refusal(400, '/users/sam_w$')
    page.get_by_label('Your password, to confirm').fill(PASSWORD)
    page.get_by_role('button', name='Delete my account').click()
    page.wait_for_selector('text=Not your current password')
    page.get_by_label('Your password, to confirm').fill(NEW_PASSWORD)
    page.get_by_role('button', name='Delete my account').click()
    page.wait_for_selector('text=The account sam_w is deleted, with its posts. Goodbye!')
    assert page.get_by_role('link', name='Log in').is_visible()
    sam.shot('deleted')
    sam.expect_refusal(404, '/api/v1/users/sam_w$')
    sam.visit('/users/sam_w', 'missing')


@pytest.mark.parametrize('viewport', ['desktop', 'phone'])
def test_a_forgotten_password_is_reset_through_the_mailed_link(people, web_server, viewport):
    username = f'rita_{viewport}'
    web_server.user(username)
    rita = people(viewport)
    page = rita.page
    if viewport == 'phone':
        page.set_viewport_size(PHONE)
    rita.visit('/login', 'login')
    page.get_by_role('link', name='Forgot password?').click()
    rita.wait_for('forgot')
    page.get_by_label('E-mail').fill(f'{username}@example.com')
    page.get_by_role('button', name='Send the link').click()
    page.wait_for_selector('.notice.success:visible')
    assert page.locator('.notice.success').inner_text().startswith('If an account uses this')
    rita.shot('asked')

    link = mailed_link(web_server, f'{username}@example.com')
    assert link.startswith('/reset-password#token=')
    page.goto(web_server.url + link)
    rita.wait_for('reset')
    rita.expect_refusal(400, '/password-resets/completion$')
    page.get_by_label('New password').fill('password1')
    page.get_by_role('button', name='Set the password').click()
    page.wait_for_selector('.field-error:has-text("Too easy to guess")')
    rita.shot('too-easy')
    page.get_by_label('New password').fill(NEW_PASSWORD)
    page.get_by_role('button', name='Set the password').click()
    page.wait_for_selector('.notice.success:visible')
    assert fits_the_width(rita) or viewport == 'desktop'
    rita.shot('done')
    page.get_by_role('link', name='Log in').last.click()
    rita.wait_for('login')
    page.get_by_label('Username').fill(username)
    page.get_by_label('Password').fill(NEW_PASSWORD)
    page.get_by_role('button', name='Log in').click()
    rita.wait_for('feed')

    page.goto(web_server.url + link)  # the link again: it worked once
    rita.wait_for('reset')
    page.get_by_label('New password').fill('another fine passphrase')
    page.get_by_role('button', name='Set the password').click()
    page.wait_for_selector('text=This link was used already')
    assert page.get_by_role('link', name='Ask for a new link').is_visible()
    rita.shot('used')
