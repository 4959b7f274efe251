"""The front end's finish in Chromium, at desktop and phone width: the phone menu, the header
while the session is not known yet, messages that go when they no longer apply, the styled page
of an unknown URL, and the way back from /docs."""
import json

import pytest

from tests.harness.browser import DESKTOP, PASSWORD, PHONE, SCREENSHOTS, Screens, texts
from tests.harness.citizens import make_import

SIZES = {'desktop': DESKTOP, 'phone': PHONE}


@pytest.fixture(params=list(SIZES))
def size(request) -> str:
    return request.param


def sized(people, size: str, name: str = '') -> Screens:
    screens = people(name)
    screens.page.set_viewport_size(SIZES[size])
    return screens


def log_in(screens: Screens, username: str) -> None:
    screens.visit('/login', 'login')
    screens.page.get_by_label('Username').fill(username)
    screens.page.get_by_label('Password').fill(PASSWORD)
    screens.page.get_by_role('button', name='Log in').click()
    screens.wait_for('feed')


def test_the_menu_folds_under_a_button_on_a_phone_only(people, size):
    screens = sized(people, size)
    screens.visit('/', 'feed')
    page = screens.page
    button = page.get_by_role('button', name='Menu')
    nav = page.locator('nav#main-nav')
    header = page.locator('header.top').bounding_box()
    if size == 'desktop':
        assert not button.is_visible() and nav.is_visible()
        assert header['height'] < 70
        screens.shot('header')
        return
    assert button.get_attribute('aria-controls') == nav.get_attribute('id') == 'main-nav'
    assert button.get_attribute('aria-expanded') == 'false'
    assert not nav.is_visible()
    assert header['height'] < 70, 'one row of header'
    screens.shot('closed', full_page=False)

    button.click()
    assert button.get_attribute('aria-expanded') == 'true'
    assert nav.is_visible()
    assert texts(nav.get_by_role('link')) == ['Feed', 'Search', 'Statistics', 'Analyzer',
                                              'Log in', 'Sign up']
    screens.shot('open', full_page=False)
    nav.get_by_role('link', name='Statistics').click()
    screens.wait_for('stats')
    assert button.get_attribute('aria-expanded') == 'false' and not nav.is_visible()

    button.click()
    page.keyboard.press('Escape')
    assert button.get_attribute('aria-expanded') == 'false'
    assert page.evaluate('document.activeElement.textContent') == 'Menu'


def test_no_signed_in_or_out_controls_until_the_session_is_known(people, web_server, size):
    name = f'pia_{size}'
    web_server.user(name)
    screens = sized(people, size)
    page = screens.page
    held = []
    page.route('**/api/v1/session', lambda route: held.append(route))
    page.goto(screens.base_url + '/')
    page.wait_for_function('() => document.querySelector("header[data-session]") !== null')
    if size == 'phone':
        page.get_by_role('button', name='Menu').click()
    page.locator('.session-pending').wait_for()
    for link in ('Log in', 'Sign up', 'Timeline'):
        assert not page.get_by_role('link', name=link, exact=True).is_visible()
    assert not page.get_by_role('button', name='Log out').is_visible()
    assert page.locator('main').inner_text().strip() == 'Loading…'
    screens.assert_clean()  # `shot` would wait for the screen, which waits for the session
    page.screenshot(path=str(SCREENSHOTS / f'{screens.prefix}-loading.png'))
    while not held:
        page.wait_for_timeout(50)
    held[0].continue_()
    page.unroute('**/api/v1/session')
    screens.wait_for('feed')
    assert not page.locator('.session-pending').is_visible()
    if size == 'phone' and page.get_by_role('button', name='Menu').get_attribute(
            'aria-expanded') == 'false':
        page.get_by_role('button', name='Menu').click()
    assert page.get_by_role('link', name='Log in', exact=True).is_visible()
    assert not page.get_by_role('button', name='Log out').is_visible()
    screens.shot('logged-out', full_page=False)

    log_in(screens, name)
    assert page.locator('.notices-link').is_visible(), 'the bell shows without the menu'
    assert page.locator('header.top').bounding_box()['height'] < 70, 'one row of header'
    if size == 'phone':
        page.get_by_role('button', name='Menu').click()
    assert page.get_by_role('button', name='Log out').is_visible()
    assert page.get_by_role('link', name='Timeline').is_visible()
    assert not page.get_by_role('link', name='Log in', exact=True).is_visible()
    screens.shot('logged-in', full_page=False)


def test_messages_go_when_they_no_longer_apply(people, web_server, size):
    name = f'mo_{size}'
    web_server.user(name)
    screens = sized(people, size)
    page = screens.page
    log_in(screens, name)
    screens.visit(f'/users/{name}', 'user')

    page.get_by_label('What is on your mind?').fill('first post')
    page.get_by_role('button', name='Post', exact=True).click()
    status = page.locator('.compose .status')
    page.wait_for_selector('.compose .status:text("Posted.")')
    screens.shot('posted')
    page.get_by_label('What is on your mind?').press_sequentially('next')
    assert status.inner_text() == ''

    page.get_by_label('What is on your mind?').fill(' ')
    page.get_by_role('button', name='Post', exact=True).click()
    assert texts(page.locator('.compose .field-error:visible')) == ['Write something first.']
    page.get_by_label('What is on your mind?').press_sequentially('x')
    assert page.locator('.compose .field-error:visible').count() == 0

    post = page.locator('.posts .post').first
    post.get_by_role('button', name='Edit').click()
    post.get_by_label('Text').fill('')
    post.get_by_role('button', name='Save').click()
    assert texts(post.locator('.field-error:visible')) == ['Write something first.']
    screens.shot('edit-error')
    post.get_by_label('Text').fill('first post, edited')
    assert post.locator('.field-error:visible').count() == 0
    post.get_by_role('button', name='Save').click()
    page.wait_for_selector('.posts .post-text:text("first post, edited")')
    assert post.locator('.field-error:visible').count() == 0
    screens.shot('edit-saved')

    screens.visit('/search', 'search')
    page.get_by_label('Text').fill('ab')
    page.get_by_role('button', name='Search').click()
    error = page.locator('.search-form .field-error')
    assert error.inner_text() == 'Search for at least 3 characters.'
    page.get_by_label('Text').press_sequentially('c')
    assert not error.is_visible()

    if size == 'phone':
        page.get_by_role('button', name='Menu').click()
    page.get_by_role('button', name='Log out').click()
    screens.wait_for('feed')
    screens.visit('/login', 'login')
    screens.expect_refusal(400, '/api/v1/session$')
    page.get_by_label('Username').fill(name)
    page.get_by_label('Password').fill('not the password')
    page.get_by_role('button', name='Log in').click()
    error = page.locator('.narrow .field-error')
    error.wait_for()
    page.get_by_label('Password').press_sequentially('x')
    assert not error.is_visible()


def test_the_saved_message_of_a_citizen_goes_with_the_next_edit(people, web_server, tmp_path,
                                                                   size):
    path = tmp_path / 'import.json'
    path.write_text(json.dumps(make_import(citizens=3, relations=0, seed=8)))
    import_id = web_server.manage('import-citizens', str(path)).strip()
    screens = sized(people, size)
    screens.visit(f'/analyzer/imports/{import_id}/citizens/1', 'citizen')
    page = screens.page
    page.get_by_label('Name').fill('Новое Имя')
    page.get_by_role('button', name='Save changes').click()
    status = page.locator('.citizen .status')
    page.wait_for_selector('.citizen .status:text("Saved.")')
    page.get_by_label('Town').press_sequentially('а')
    assert status.inner_text() == ''
    screens.expect_refusal(400, rf'/imports/{import_id}/citizens/1$')
    page.get_by_label('Birth date').fill('31.02.2000')
    page.get_by_role('button', name='Save changes').click()
    error = page.locator('#citizen-birth-date ~ .field-error')
    error.wait_for()
    page.get_by_label('Birth date').fill('01.02.2000')
    assert not error.is_visible()
    screens.shot('citizen')


@pytest.mark.parametrize(('path', 'back', 'target'), [
    ('/nowhere/at/all', 'Back to the latest posts', 'feed'),
    ('/analyzer/nothing', 'Back to the Analyzer', 'imports'),
    ('/analyzer/imports/999999', 'Back to the Analyzer', 'imports'),
], ids=['posts', 'analyzer', 'import'])
def test_an_unknown_url_shows_the_styled_page_with_a_way_back(people, size, path, back, target):
    screens = sized(people, size)
    screens.expect_refusal(404, path.replace('/', r'/') + '$')
    screens.expect_refusal(404, r'/imports/999999/')
    screens.visit(path, 'missing')
    page = screens.page
    assert page.locator('h1').inner_text() == 'Not found'
    if 'imports' not in path:
        assert page.locator('main .notice').inner_text() == f'There is no page at {path}.'
    assert page.locator('header.top .brand').is_visible()
    screens.shot(path.strip('/').replace('/', '-'))
    page.locator('main').get_by_role('link', name=back).click()
    screens.wait_for(target)


def test_the_docs_lead_back_to_the_app(people, size):
    screens = sized(people, size)
    screens.page.goto(screens.base_url + '/docs')
    screens.page.wait_for_selector('.swagger-ui .opblock')
    screens.shot('docs', full_page=False)
    screens.page.get_by_role('link', name='Back to the app').click()
    screens.wait_for('feed')
