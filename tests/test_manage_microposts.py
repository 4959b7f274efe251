"""Management commands that fill MicroPosts: createuser and seed, run as real processes."""
import fcntl
import os
import pty
import select
import subprocess
import termios

from controllers.seed import DEMO_PASSWORD
from controllers.users import UserController
from lib.bootstrap import child_environ
from models.follows import Follow
from models.microposts import Micropost
from models.users import User
from tests.harness.servers import PYTHON, ROOT
from tests.test_manage import manage


def on_a_terminal(environ: dict, args: list[str], typed: list[tuple[bytes, str]]
                  ) -> tuple[int, str]:
    """Run manage.py with a terminal of its own; answer each prompt of `typed` with its line.
    Its exit code and everything it wrote on the terminal."""
    master, slave = pty.openpty()
    child = subprocess.Popen(
        [PYTHON, 'manage.py', *args], cwd=ROOT, env=child_environ(**environ),
        stdin=slave, stdout=slave, stderr=slave, start_new_session=True,
        preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0))  # getpass opens /dev/tty
    os.close(slave)
    seen = b''
    try:
        for prompt, line in typed:
            while prompt not in seen:
                seen += read_some(master)
            seen = seen.replace(prompt, b'[' + prompt.strip() + b']', 1)
            os.write(master, line.encode() + b'\n')
        while chunk := read_some(master):
            seen += chunk
    finally:
        os.close(master)
        child.wait(60)
    return child.returncode, seen.decode(errors='replace')


def read_some(master: int) -> bytes:
    """What the terminal shows next; b'' once the program has closed it."""
    if not select.select([master], [], [], 60)[0]:
        raise TimeoutError('manage.py wrote nothing on its terminal for 60 s')
    try:
        return os.read(master, 4096)
    except OSError:  # EIO: the other end is closed
        return b''


def test_createuser_makes_a_user_who_can_log_in(settings, environ):
    done = manage(environ, 'createuser', 'carol', '--email', 'carol@example.com',
                  '--password-stdin', stdin='a long password\n')
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith('created user carol (id ')
    assert UserController().authenticate('carol', 'a long password')['username'] == 'carol'


def test_createuser_asks_the_password_twice_on_a_terminal(settings, environ):
    code, shown = on_a_terminal(environ, ['createuser', 'carol', '--email', 'c@example.com'],
                                [(b'Password: ', 'a long password'),
                                 (b'Password (again): ', 'a long password')])
    assert code == 0, shown
    assert 'created user carol' in shown and 'a long password' not in shown  # not echoed
    assert UserController().authenticate('carol', 'a long password') is not None


def test_createuser_refuses_two_different_passwords(settings, environ):
    code, shown = on_a_terminal(environ, ['createuser', 'carol', '--email', 'c@example.com'],
                                [(b'Password: ', 'a long password'),
                                 (b'Password (again): ', 'another password')])
    assert code == 1 and shown.strip().splitlines()[-1] == \
        'createuser: the passwords do not match', shown
    assert User.by_username('carol') is None


def test_createuser_without_a_terminal_asks_for_password_stdin(settings, environ):
    done = manage(environ, 'createuser', 'carol', '--email', 'c@example.com')
    assert done.returncode == 1
    assert done.stderr.splitlines() == ['createuser: no terminal to ask the password on; give it '
                                        'on standard input with --password-stdin']
    assert User.by_username('carol') is None


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
                                                     key=int, reverse=True)
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
    assert 'seed: There are no demo users to write the posts' in done.stderr
    assert 'Traceback' not in done.stderr


def test_seed_names_demo_users_on_from_the_highest_and_prints_them(settings, environ):
    first = manage(environ, 'seed', '--users', '3', '--posts', '0')
    assert first.stdout.strip() == ("seeded 3 demo users: demo_1, demo_2, demo_3; they sign in "
                                    f"with the password {DEMO_PASSWORD!r}"), first.stderr
    second = manage(environ, 'seed', '--users', '12', '--posts', '0')
    assert 'seeded 12 demo users: demo_4 to demo_15;' in second.stdout
    assert UserController().authenticate('demo_15', DEMO_PASSWORD) is not None


def test_seed_leaves_other_users_alone(settings, environ):
    carol = UserController().create('carol', 'carol@example.com', 'a long password')
    # Someone who signed up under a demo-like name is a person too; the numbering skips it.
    person = UserController().create('demo_2', 'someone@example.org', 'a long password')
    done = manage(environ, 'seed', '--users', '20', '--posts', '300', '--follows', '25')
    assert done.returncode == 0, done.stderr
    assert 'seeded 20 demo users: demo_3 to demo_22;' in done.stdout
    people = (carol['id'], person['id'])
    assert Micropost.select().where(Micropost.user.in_(people)).count() == 0
    assert Micropost.select().where(Micropost.referenced.in_(people)).count() == 0
    assert Follow.select().where(Follow.follower.in_(people) |
                                 Follow.followed.in_(people)).count() == 0
    assert Follow.select().count() == 20 * 19  # every demo user follows every other one
    assert User.get_by_id(person['id']).email == 'someone@example.org'
