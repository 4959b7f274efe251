"""Management commands that fill MicroPosts: createuser and seed, run as real processes."""
from controllers.seed import DEMO_PASSWORD
from controllers.users import UserController
from models.follows import Follow
from models.microposts import Micropost
from models.users import User
from tests.test_manage import manage


def test_createuser_makes_a_user_who_can_log_in(settings, environ):
    done = manage(environ, 'createuser', 'carol', '--email', 'carol@example.com',
                  '--password-stdin', stdin='a long password\n')
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith('created user carol (id ')
    assert UserController().authenticate('carol', 'a long password')['username'] == 'carol'


def test_createuser_with_a_taken_name_fails_naming_it(settings, environ):
    UserController().create('carol', 'carol@example.com', 'a long password')
    done = manage(environ, 'createuser', 'CAROL', '--email', 'c@example.com',
                  '--password-stdin', stdin='a long password\n')
    assert done.returncode == 1 and 'username: already taken' in done.stderr


def test_seed_fills_users_follows_and_posts_with_a_progress_bar(settings, environ, client):
    done = manage(environ, 'seed', '--users', '30', '--posts', '500', '--follows', '5')
    assert done.returncode == 0, done.stderr
    assert 'posts: 100%' in done.stderr and '500/500' in done.stderr
    assert (User.select().count(), Micropost.select().count()) == (30, 500)
    assert Follow.select().count() == 30 * 5
    assert UserController().authenticate('demo_1', DEMO_PASSWORD) is not None
    newest = client.get('/api/v1/microposts?size=3').json['result']
    assert [post['id'] for post in newest] == sorted((post['id'] for post in newest),
                                                     reverse=True)
    assert client.get(newest[0]['href']).json == newest[0]


def test_seeding_again_adds_more_users_who_follow_as_many(settings, environ):
    for _ in range(2):
        assert manage(environ, 'seed', '--users', '5', '--posts', '0', '--follows', '2'
                      ).returncode == 0
    assert User.select().count() == 10
    assert Follow.select().count() == 10 * 2


def test_seeding_posts_without_users_fails_with_a_message(settings, environ):
    done = manage(environ, 'seed', '--users', '0', '--posts', '5')
    assert done.returncode == 1
    assert 'seed: There are no users to write the posts' in done.stderr
    assert 'Traceback' not in done.stderr
