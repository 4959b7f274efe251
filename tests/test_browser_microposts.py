"""MicroPosts in Chromium, as two people use it: sign up, post with a mention, follow, read the
timeline, search, edit and delete, log out and see writes refused."""
import datetime as dt
import re
from urllib.parse import quote

from lib.utils.urlkit import Pages
from tests.harness.browser import PASSWORD, PHONE, Screens, texts


def sign_up(screens: Screens, username: str) -> None:
    screens.visit('/signup', 'signup')
    page = screens.page
    page.get_by_label('Username').fill(username)
    page.get_by_label('E-mail').fill(f'{username}@example.com')
    page.get_by_label('Password').fill(PASSWORD)
    screens.shot('signup')
    page.get_by_role('button', name='Create account').click()
    screens.wait_for('user')


def compose(screens: Screens, text: str, to: str = '') -> None:
    page = screens.page
    page.get_by_label('What is on your mind?').fill(text)
    page.get_by_label('To (optional username)').first.fill(to)
    page.get_by_role('button', name='Post', exact=True).click()


def post_texts(screens: Screens) -> list[str]:
    return texts(screens.page.locator('.posts .post-text'))


def test_two_people_post_follow_search_edit_delete_and_log_out(people):
    alice, bob = people('alice'), people('bob')
    alice.visit('/', 'feed')
    alice.shot('feed-anonymous')
    sign_up(alice, 'alice_w')
    sign_up(bob, 'bob_w')
    bob.shot('user-new')

    page = alice.page
    page.evaluate('window.sameDocument = true')
    hello = 'Hello @bob_w, <b>welcome</b> & enjoy'
    page.get_by_label('What is on your mind?').fill(hello)
    counter = page.locator('#compose-count')
    assert counter.inner_text() == f'{255 - len(hello)} characters left'
    compose(alice, hello, to='bob_w')
    page.wait_for_selector('.posts .post-text')
    assert post_texts(alice) == [hello]
    assert page.locator('.posts .post-text b').count() == 0, 'text must never become HTML'
    assert texts(page.locator('.posts .to a')) == ['@bob_w']
    assert page.evaluate('window.sameDocument') is True, 'posting must not reload the page'
    alice.shot('user-posted')
    link = page.locator('.posts .when').first.get_attribute('href')
    post_id = link.rsplit('/', 1)[1]
    assert link == f'/users/alice_w/posts/{post_id}' and int(post_id) > 2**53  # past JS numbers
    listed = page.evaluate(
        'fetch("/api/v1/users/alice_w/collection").then(answer => answer.json())')
    assert [post['id'] for post in listed['result']] == [post_id], 'ids reach the page exactly'

    bob.visit('/users/alice_w', 'user')
    bob.page.get_by_role('button', name='Follow').click()
    bob.page.get_by_role('button', name='Unfollow').wait_for()
    bob.page.reload()
    bob.wait_for('user')
    assert bob.page.get_by_role('button', name='Unfollow').is_visible()
    assert bob.page.locator('.post-actions:visible').count() == 0
    bob.shot('user-followed')
    bob.page.get_by_role('link', name='Followers').click()
    bob.wait_for('user')
    assert texts(bob.page.locator('.people a')) == ['bob_w']
    bob.shot('followers')

    bob.page.get_by_role('link', name='Timeline').click()
    bob.wait_for('timeline')
    assert post_texts(bob) == [hello]
    bob.shot('timeline')
    bob.page.locator('.posts .when').first.click()
    bob.wait_for('post')
    assert bob.page.url.endswith(link) and post_texts(bob) == [hello]
    bob.page.go_back()
    bob.wait_for('timeline')

    bob.page.get_by_role('link', name='Search').click()
    bob.wait_for('search')
    bob.page.get_by_label('Text').fill('WELCOME')
    bob.page.get_by_label('Author (optional)').fill('alice')
    bob.page.get_by_role('button', name='Search').click()
    bob.wait_for('search')
    assert bob.page.url.endswith('/search?text=WELCOME&username=alice')
    assert post_texts(bob) == [hello]
    bob.shot('search')

    first = page.locator('.posts .post').first
    first.get_by_role('button', name='Edit').click()
    first.get_by_label('Text').fill('Hello again @bob_w')
    first.get_by_role('button', name='Save').click()
    page.wait_for_selector('.posts .post-text:text("Hello again @bob_w")')
    assert page.locator('.posts .when').first.get_attribute('href') == link
    compose(alice, 'A post to delete')
    page.wait_for_selector('.posts .post-text:text("A post to delete")')
    newest = page.locator('.posts .post').first
    newest.get_by_role('button', name='Delete').click()
    alice.shot('delete-confirm')
    newest.get_by_role('button', name='Delete').click()
    page.wait_for_selector('.posts .post-text:text("A post to delete")', state='detached')
    page.reload()
    alice.wait_for('user')
    assert post_texts(alice) == ['Hello again @bob_w']

    csrf = page.evaluate('fetch("/api/v1/session").then(answer => answer.json())')['csrf_token']
    cookies = page.context.cookies()
    page.get_by_role('button', name='Log out').click()
    alice.wait_for('feed')
    assert page.get_by_role('link', name='Log in', exact=True).is_visible()
    assert page.locator('#compose-text').count() == 0
    alice.shot('logged-out')
    alice.expect_refusal(401, '/collection$')
    page.context.add_cookies(cookies)
    status = page.evaluate('''csrf => fetch("/api/v1/users/alice_w/collection", {
        method: "POST", headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf},
        body: JSON.stringify({text: "after logging out"})}).then(answer => answer.status)''', csrf)
    assert status == 401
    alice.assert_clean()


def log_in(screens: Screens, username: str, next_path: str = '/', screen: str = 'feed') -> None:
    screens.visit(f'/login?next={quote(next_path, safe="")}', 'login')
    screens.page.get_by_label('Username').fill(username)
    screens.page.get_by_label('Password').fill(PASSWORD)
    screens.page.get_by_role('button', name='Log in').click()
    screens.wait_for(screen)


def test_compose_counts_characters_and_shows_errors_next_to_the_field(people, web_server):
    web_server.user('carol_w')
    carol = people('carol')
    carol.visit('/login?next=%2F', 'login')
    carol.shot('login')
    log_in(carol, 'carol_w')
    page = carol.page
    page.get_by_label('What is on your mind?').fill('é' * 256)
    assert page.locator('#compose-count').inner_text() == '1 characters too many'
    page.get_by_role('button', name='Post', exact=True).click()
    assert texts(page.locator('.compose .field-error:visible')) == ['At most 255 characters.']

    carol.expect_refusal(400, '/collection$')
    compose(carol, 'To nobody', to='nobody_here')
    error = page.locator('#compose-to ~ .field-error')
    error.wait_for()
    assert error.inner_text() == 'No such user'
    assert page.locator('#compose-to').get_attribute('aria-invalid') == 'true'
    carol.shot('compose-errors')


def test_search_pages_through_results_with_real_urls(people, web_server):
    token = web_server.user('dave_w')
    for number in range(23):
        web_server.call('POST', '/api/v1/users/dave_w/collection',
            {'text': f'pageable note {number}'}, token)
    reader = people('reader')
    reader.visit('/search?text=pageable', 'search')
    assert len(post_texts(reader)) == 20
    reader.page.get_by_role('link', name='Next page →').click()
    reader.wait_for('search')
    assert reader.page.url.endswith('/search?text=pageable&page=2')
    assert len(post_texts(reader)) == 3
    reader.page.go_back()
    reader.wait_for('search')
    assert len(post_texts(reader)) == 20
    reader.page.get_by_label('Text').fill('pa')
    reader.page.get_by_role('button', name='Search').click()
    alert = reader.page.locator('.search-form [role=alert]')
    assert alert.inner_text() == 'Search for at least 3 characters.'
    assert reader.page.url.endswith('/search?text=pageable')  # not searched
    reader.visit('/search?text=pa', 'search')  # the same rule for a typed URL
    assert alert.inner_text() == 'Search for at least 3 characters.'
    assert post_texts(reader) == []
    reader.page.set_viewport_size(PHONE)
    reader.visit('/', 'feed')
    assert reader.page.evaluate('document.documentElement.scrollWidth') <= PHONE['width']
    reader.shot('feed-phone', full_page=False)


def test_sign_up_shows_each_problem_next_to_its_field(people, web_server):
    web_server.user('erin_w')
    visitor = people('visitor')
    visitor.visit('/signup', 'signup')
    page = visitor.page
    visitor.expect_refusal(400, '/api/v1/users$')
    page.get_by_label('Username').fill('e!')
    page.get_by_label('E-mail').fill('not an address')
    page.get_by_label('Password').fill('short')
    page.get_by_role('button', name='Create account').click()
    page.locator('.field-error:visible').first.wait_for()
    for field in ('Username', 'E-mail', 'Password'):
        assert page.get_by_label(field).get_attribute('aria-invalid') == 'true', field
    assert texts(page.locator('.field-error:visible')) == [
        '3 to 30 letters, digits or underscores', 'A valid e-mail address',
        '8 to 1024 characters']
    visitor.shot('errors')

    page.get_by_label('Username').fill('erin_w2')
    page.get_by_label('E-mail').fill('erin@example.com')
    page.get_by_label('Password').fill('password')
    page.get_by_role('button', name='Create account').click()
    page.wait_for_selector('#signup-password ~ .field-error:text("top-10 common password")')
    assert texts(page.locator('.field-error:visible')) == [
        'Too easy to guess: This is a top-10 common password. Add another word or two. '
        'Uncommon words are better.']
    visitor.shot('common-password')

    visitor.expect_refusal(409, '/api/v1/users$')
    page.get_by_label('Username').fill('erin_W')  # in another case: taken all the same
    page.get_by_label('Password').fill(PASSWORD)
    page.get_by_role('button', name='Create account').click()
    page.wait_for_selector('#signup-username ~ .field-error:text("Already taken")')
    assert page.get_by_label('E-mail').get_attribute('aria-invalid') is None


def test_the_link_of_a_mention_email_opens_the_post_on_its_own_page(people, web_server):
    token = web_server.user('fay_w')
    post = web_server.call('POST', '/api/v1/users/fay_w/collection',
                           {'text': 'Read this, @carol_w <i>now</i>'}, token)
    reader = people('reader')
    reader.page.goto(Pages(web_server.url).micropost('fay_w', post['id']))
    reader.wait_for('post')
    page = reader.page
    assert page.locator('h1').inner_text() == 'A post by fay_w'
    assert page.title() == 'A post by fay_w · Warble'
    assert post_texts(reader) == ['Read this, @carol_w <i>now</i>']
    assert page.locator('.post-actions:visible').count() == 0
    reader.shot('post')

    reader.expect_refusal(404, '/collection/999999$')
    reader.visit('/users/fay_w/posts/999999', 'missing')
    assert page.locator('.notice').inner_text() == 'fay_w has no post 999999.'
    reader.shot('post-missing')

    page.go_back()
    reader.wait_for('post')
    page.get_by_role('link', name='More from fay_w →').click()
    reader.wait_for('user')
    assert post_texts(reader) == ['Read this, @carol_w <i>now</i>']
    page.locator('.posts .when').first.click()
    reader.wait_for('post')
    assert page.url.endswith(f'/users/fay_w/posts/{post["id"]}')


def test_the_owner_turns_mention_emails_off_on_their_page(people, web_server):
    token = web_server.user('gus_w')
    gus = people('gus')
    log_in(gus, 'gus_w', '/users/gus_w', 'user')
    setting = gus.page.get_by_label('E-mail me when a post names me')
    assert setting.is_checked()
    setting.uncheck()
    gus.settle()
    assert web_server.call('GET', '/api/v1/users/gus_w', token=token)['notify_mentions'] is False
    gus.page.reload()
    gus.wait_for('user')
    assert not setting.is_checked()
    gus.shot('own-page')


SHOWN_AT = dt.datetime(2026, 3, 20, 12, 0, tzinfo=dt.UTC)  # the page's clock
AGES = {'posted in January': ('2026-01-02 09:30:00', '2 Jan 2026'),
        'posted five days ago': ('2026-03-15 11:00:00', '5 d'),
        'posted two hours ago': ('2026-03-20 09:45:00', '2 h'),
        'posted three minutes ago': ('2026-03-20 11:57:00', '3 min')}


def test_posts_show_their_age_and_edits_and_profiles_their_counts(people, web_server):
    kit, lou = web_server.user('kit_w'), web_server.user('lou_w')
    for text, (created, _) in AGES.items():
        written = web_server.call('POST', '/api/v1/users/kit_w/collection', {'text': text}, kit)
        web_server.sql('UPDATE micropost SET created = %s WHERE id = %s', created,
                       int(written['id']))
    web_server.call('POST', '/api/v1/users/lou_w/following', {'username': 'kit_w'}, lou)
    web_server.call('POST', '/api/v1/users/kit_w/following', {'username': 'lou_w'}, kit)

    screens = people('kit')
    page = screens.page
    page.clock.install(time=SHOWN_AT - dt.timedelta(minutes=1))
    page.clock.pause_at(SHOWN_AT)
    log_in(screens, 'kit_w', '/users/kit_w', 'user')
    times = page.locator('.posts .when time')
    newest_first = list(AGES.items())[::-1]
    assert texts(times) == [shown for _, (_, shown) in newest_first]
    assert [times.nth(number).get_attribute('title') for number in range(len(AGES))] == [
        f'{created} UTC' for _, (created, _) in newest_first]
    assert texts(page.locator('.counts span')) == ['4 posts', '1 follower', '1 following']
    screens.shot('ages')
    page.clock.fast_forward('02:00')  # the page's clock moves on: no reload
    assert texts(times)[0] == '5 min'

    assert page.locator('.posts .edited').count() == 0
    first = page.locator('.posts .post').first
    first.get_by_role('button', name='Edit').click()
    first.get_by_label('Text').fill('posted three minutes ago, then changed')
    first.get_by_role('button', name='Save').click()
    marker = first.locator('.edited')
    marker.wait_for()
    title = marker.get_attribute('title')
    assert marker.inner_text() == 'edited'
    assert re.fullmatch(r'Edited \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC', title), title
    screens.shot('edited')
    page.reload()
    screens.wait_for('user')
    assert [page.locator('.posts .edited').get_attribute('title')] == [title]
    assert page.locator('.posts .post').first.locator('.edited').count() == 1

    compose(screens, 'one more')
    page.wait_for_selector('.counts span:text("5 posts")')
    assert texts(times)[0] == 'now'  # written after the page's clock: never "in the future"
    newest = page.locator('.posts .post').first
    newest.get_by_role('button', name='Delete').click()
    newest.get_by_role('button', name='Delete').click()
    page.wait_for_selector('.counts span:text("4 posts")')
    screens.assert_clean()


def test_a_new_post_edit_and_delete_reach_an_open_timeline_live(people):
    writer, reader = people('writer'), people('reader')
    sign_up(writer, 'wren_w')
    sign_up(reader, 'rudy_w')
    reader.visit('/users/wren_w', 'user')
    reader.page.get_by_role('button', name='Follow').click()
    reader.page.get_by_role('button', name='Unfollow').wait_for()
    reader.page.get_by_role('link', name='Timeline').click()
    reader.wait_for('timeline')
    assert post_texts(reader) == []
    reader.page.evaluate('window.sameDocument = true')

    writer.visit('/', 'feed')
    compose(writer, 'First, live')
    writer.page.wait_for_selector('.posts .post-text:text("First, live")')
    compose(writer, 'Second, live')
    bar = reader.page.get_by_role('button', name='2 new posts')
    bar.wait_for()
    assert post_texts(reader) == []
    reader.shot('new-posts-bar')
    bar.click()
    reader.page.wait_for_selector('.posts .post-text:text("Second, live")')
    assert post_texts(reader) == ['Second, live', 'First, live']
    assert not bar.is_visible()

    writer.visit('/users/wren_w', 'user')
    first_id = writer.page.locator('.posts .post', has_text='First, live').get_attribute('id')
    first = writer.page.locator(f'#{first_id}')  # its text turns into a field while edited
    first.get_by_role('button', name='Edit').click()
    first.get_by_label('Text').fill('First, edited')
    first.get_by_role('button', name='Save').click()
    reader.page.wait_for_selector('.posts .post-text:text("First, edited")')
    second_id = writer.page.locator('.posts .post', has_text='Second, live').get_attribute('id')
    second = writer.page.locator(f'#{second_id}')
    second.get_by_role('button', name='Delete').click()
    second.get_by_role('button', name='Delete').click()
    reader.page.wait_for_selector('.posts .post-text:text("Second, live")', state='detached')
    assert post_texts(reader) == ['First, edited']
    assert reader.page.evaluate('window.sameDocument') is True, 'no reload on the way'
    reader.shot('live-updated')
