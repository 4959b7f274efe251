"""Profiles in Chromium at desktop and phone width: a user writes their display name and bio,
uploads a picture (refused ones say why), sees it on their page and beside their posts; another
finds them by name on the search screen and follows them; the picture is removed again."""
import io

from PIL import Image

from tests.harness.browser import PHONE, Screens, texts
from tests.test_browser_microposts import compose, log_in

IMAGES_SHOWN = '''[...document.querySelectorAll('img.avatar-img')]
    .filter(image => image.offsetParent !== null)
    .map(image => [image.complete && image.naturalWidth > 0, image.getAttribute('src')])'''


def photo() -> bytes:
    """A landscape JPEG: a blue sky over green grass, with a small sun."""
    image = Image.new('RGB', (640, 400), (90, 150, 220))
    image.paste((60, 140, 70), (0, 260, 640, 400))
    image.paste((250, 200, 60), (300, 60, 360, 120))
    out = io.BytesIO()
    image.save(out, 'JPEG', quality=90)
    return out.getvalue()


def pictures_load(screens: Screens) -> list[str]:
    """The sources of the avatars on screen; each must have loaded."""
    screens.page.wait_for_function('''() => [...document.querySelectorAll('img.avatar-img')]
        .every(image => image.complete)''')
    shown = screens.page.evaluate(IMAGES_SHOWN)
    assert shown and all(loaded for loaded, _ in shown), shown
    return [source for _, source in shown]


def test_a_profile_is_written_shown_found_and_its_picture_changed(people, web_server):
    web_server.user('ann_p')
    web_server.user('ben_p')
    ann, ben = people('ann'), people('ben')
    log_in(ann, 'ann_p', '/users/ann_p', 'user')
    page = ann.page
    assert page.locator('h1').inner_text() == 'ann_p'
    assert pictures_load(ann)[0].endswith('/avatar/default.svg')
    assert not page.locator('#profile-edit').is_visible()
    page.get_by_role('button', name='Edit profile').click()
    page.get_by_label('Display name').fill('x' * 51)
    assert page.locator('#profile-name-count').inner_text() == '1 characters too many'
    page.get_by_role('button', name='Save profile').click()
    assert page.locator('#profile-edit [role=alert]').first.inner_text() == 'At most 50 characters.'
    page.get_by_label('Display name').fill('Ann Példa')
    page.get_by_label('About you').fill('Writes about owls.\nLives by the river.')
    page.get_by_role('button', name='Save profile').click()
    page.get_by_text('Profile saved.').wait_for()
    assert page.locator('h1').inner_text() == 'Ann Példa'
    assert page.locator('.who .handle').inner_text() == '@ann_p'
    assert page.locator('.who .bio').inner_text() == 'Writes about owls.\nLives by the river.'

    ann.expect_refusal(400, '/api/v1/users/ann_p/avatar$')
    picture = page.get_by_label('Picture')
    picture.set_input_files({'name': 'notes.png', 'mimeType': 'image/png',
                             'buffer': b'not a picture at all'})
    error = page.locator('.picture .field-error')
    error.wait_for()
    assert error.inner_text() == 'A JPEG, PNG, WebP or GIF picture'
    picture.set_input_files({'name': 'huge.jpg', 'mimeType': 'image/jpeg',
                             'buffer': bytes(6 * 1024 * 1024)})
    assert error.inner_text() == 'That picture is larger than 5 MB.'  # not even sent
    picture.set_input_files({'name': 'meadow.jpg', 'mimeType': 'image/jpeg', 'buffer': photo()})
    page.get_by_text('Picture saved.').wait_for()
    assert not error.is_visible()
    header = page.locator('.profile .avatar-img')
    assert header.get_attribute('src').endswith('-256.webp')
    assert page.get_by_role('button', name='Remove picture').is_visible()
    pictures_load(ann)
    ann.shot('profile-edited')

    page.get_by_role('button', name='Edit profile').click()  # closes the form again
    compose(ann, 'Owls are back on the old oak.')
    page.wait_for_selector('.posts .post-text')
    assert texts(page.locator('.posts .author')) == ['Ann Példa']
    assert texts(page.locator('.posts .handle')) == ['@ann_p']
    assert all(source.endswith('-64.webp') for source in pictures_load(ann)[1:])
    ann.shot('own-page')

    log_in(ben, 'ben_p', '/search', 'search')
    ben.page.get_by_label('Name').fill('pél')
    ben.page.get_by_role('button', name='Find people').click()
    ben.wait_for('search')
    assert ben.page.url.endswith('/search?name=p%C3%A9l')
    assert texts(ben.page.locator('.person-name')) == ['Ann Példa']
    assert texts(ben.page.locator('.person-bio')) == ['Writes about owls.\nLives by the river.']
    assert pictures_load(ben)[0].endswith('-64.webp')
    ben.shot('people-found')
    ben.page.get_by_label('Name').fill('nobody_here')
    ben.page.get_by_role('button', name='Find people').click()
    ben.wait_for('search')
    assert ben.page.get_by_text('Nobody has that name.').is_visible()
    ben.page.get_by_label('Name').fill('ANN')
    ben.page.get_by_role('button', name='Find people').click()
    ben.wait_for('search')
    ben.page.locator('.person a').first.click()
    ben.wait_for('user')
    assert ben.page.locator('h1').inner_text() == 'Ann Példa'
    assert ben.page.get_by_role('button', name='Edit profile').count() == 0
    ben.page.get_by_role('button', name='Follow').click()
    ben.page.get_by_role('button', name='Unfollow').wait_for()
    ben.shot('profile')
    ben.page.set_viewport_size(PHONE)
    ben.page.reload()
    ben.wait_for('user')
    assert ben.page.evaluate('document.documentElement.scrollWidth') <= PHONE['width']
    pictures_load(ben)
    ben.shot('profile-phone')
    ben.visit('/search?name=ann', 'search')
    assert ben.page.evaluate('document.documentElement.scrollWidth') <= PHONE['width']
    ben.shot('people-found-phone')

    page.set_viewport_size(PHONE)
    ann.visit('/users/ann_p/followers', 'user')
    assert texts(page.locator('.people a')) == ['ben_p']
    assert pictures_load(ann)[1].endswith('/users/ben_p/avatar/default.svg')
    page.get_by_role('button', name='Edit profile').click()
    assert page.evaluate('document.documentElement.scrollWidth') <= PHONE['width']
    ann.shot('profile-edit-phone')
    page.get_by_role('button', name='Remove picture').click()
    page.get_by_text('Picture removed.').wait_for()
    assert header.get_attribute('src').endswith('/avatar/default.svg')
    assert not page.get_by_role('button', name='Remove picture').is_visible()
    assert web_server.call('GET', '/api/v1/users/ann_p')['avatar'].endswith('/default.svg')
    ann.shot('picture-removed')
