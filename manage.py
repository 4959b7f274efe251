"""Management commands: `python3 manage.py <command> [--help]`."""
import argparse
import sys

from lib import bootstrap

if __name__ == '__main__':
    bootstrap.prepare()
bootstrap.use_vendor()

from controllers import boot
from lib.config import Section


def migrate(settings: Section, args: argparse.Namespace) -> None:
    """Apply pending migrations, or revert them with --down."""
    from models import db
    runner = db.migrations()
    if args.status:
        for migration in runner.status():
            print(f'{"applied" if migration.applied else "pending"}  {migration.name}')
        return
    done = runner.down(args.to) if args.down else runner.up(args.to)
    verb = 'reverted' if args.down else 'applied'
    print(f'{verb}: {", ".join(done)}' if done else 'nothing to do: the schema is up to date')


def createuser(settings: Section, args: argparse.Namespace) -> None:
    """Create a user; the password is read from standard input or asked for twice."""
    from controllers.users import UserController
    password = sys.stdin.readline().rstrip('\n') if args.password_stdin else ask_password()
    user = UserController().create(args.username, args.email, password)
    print(f'created user {user["username"]} (id {user["id"]})')


def ask_password() -> str:
    """The password typed twice on the terminal; without a terminal, one line and exit."""
    import getpass
    if not sys.stdin.isatty():
        sys.exit('createuser: no terminal to ask the password on; give it on standard input '
                 'with --password-stdin')
    try:
        password = getpass.getpass('Password: ')
        again = getpass.getpass('Password (again): ')
    except (EOFError, KeyboardInterrupt):
        sys.exit('\ncreateuser: no password given')
    if password != again:
        sys.exit('createuser: the passwords do not match')
    return password


def grant(settings: Section, args: argparse.Namespace) -> None:
    """Give a user a role (analyst: may use the Analyzer when analyzer.protected is on)."""
    from controllers.access import RoleController
    new = RoleController().grant(args.username, args.role)
    print(f'{args.username} {"now has" if new else "already had"} the role {args.role}')


def revoke(settings: Section, args: argparse.Namespace) -> None:
    """Take a role back from a user; their next request no longer has it."""
    from controllers.access import RoleController
    had = RoleController().revoke(args.username, args.role)
    print(f'{args.username} {"no longer has" if had else "did not have"} the role {args.role}')


def apikey(settings: Section, args: argparse.Namespace) -> None:
    """API keys for programs calling the Analyzer: create NAME (prints the key, once), list,
    revoke NAME."""
    from controllers.access import ApiKeyController
    keys = ApiKeyController()
    if args.action == 'create':
        print(keys.create(args.name or ''))
        print(f'(the key of {args.name}: shown this once, only its digest is kept; send it '
              f'as the X-API-Key header)', file=sys.stderr)
    elif args.action == 'list':
        for key in keys.list():
            print(f'{key["created"]}  {key["name"]}')
    else:
        keys.revoke(args.name or '')
        print(f'revoked the key {args.name}')


def import_citizens(settings: Section, args: argparse.Namespace) -> None:
    """Store the citizens of a JSON file ({"citizens": [...]}) as a new import; print its id."""
    import json

    from tqdm import tqdm

    from controllers.citizen_rules import IMPORT
    from controllers.imports import ImportController
    from controllers.validation import check
    try:
        with open(args.file, encoding='utf-8') as source:
            body = check(IMPORT, json.load(source), 'file')
    except (OSError, ValueError) as exc:
        sys.exit(f'import-citizens: cannot read {args.file}: {exc}')
    with tqdm(total=len(body['citizens']), unit=' citizens', file=sys.stderr) as progress:
        created = ImportController().create(body['citizens'], progress=progress.update)
    print(created['import_id'])


def export_citizens(settings: Section, args: argparse.Namespace) -> None:
    """Write the citizens of an import as JSON ({"citizens": [...]}), as import-citizens reads."""
    import contextlib
    import json

    from controllers.imports import ImportController
    citizens = ImportController().citizens(args.import_id)
    with open(args.output, 'w', encoding='utf-8') if args.output else \
            contextlib.nullcontext(sys.stdout) as target:
        json.dump({'citizens': citizens}, target, ensure_ascii=False, indent=1)
        target.write('\n')


def seed(settings: Section, args: argparse.Namespace) -> None:
    """Add demo users demo_<n>, numbered on, who follow each other and write posts (password:
    demo-password); other users are left alone."""
    from tqdm import tqdm

    from controllers.seed import DEMO_PASSWORD, SeedController
    seeder = SeedController(args.random_seed)
    steps = (('users', args.users, seeder.users(args.users)),  # generators: run one by one
             ('follows', None, seeder.follows(args.follows)),
             ('posts', args.posts, seeder.posts(args.posts)))
    for label, total, step in steps:
        with tqdm(total=total, desc=label, unit=' rows', file=sys.stderr) as bar:
            for done in step:
                bar.update(done)
    seeder.analyze()
    names = seeder.created
    made = (f'{len(names)} demo users: {", ".join(names)}' if len(names) <= 10 else
            f'{len(names)} demo users: {names[0]} to {names[-1]}') if names else 'no demo users'
    print(f'seeded {made}; they sign in with the password {DEMO_PASSWORD!r}')


def stats(settings: Section, args: argparse.Namespace) -> None:
    """Compute (again) the daily statistics of every UTC day from --from to --to."""
    from tqdm import tqdm

    from controllers.stats import StatsController, refuse_future, yesterday
    last = args.to or args.from_ or yesterday()
    first = args.from_ or last
    if last < first:
        sys.exit('stats: --to is before --from')
    for given, option in ((args.from_, '--from'), (args.to, '--to')):
        if given:
            refuse_future(given, option)
    with tqdm(total=(last - first).days + 1, unit=' days', file=sys.stderr) as progress:
        days = StatsController().backfill(first, last, progress=progress.update)
    print(f'computed {days} day(s), {first} to {last}')


def shell(settings: Section, args: argparse.Namespace) -> None:
    """An interactive Python shell with the settings, database and models loaded."""
    import code

    from models import db, redisdb, users
    code.interact(banner='Warble shell: settings, db, redisdb, users', local={
        'settings': settings, 'db': db, 'redisdb': redisdb, 'users': users})


def routes(settings: Section, args: argparse.Namespace) -> None:
    """List every HTTP route."""
    import api
    for route in api.create_app(settings).routes:
        print(f'{route.method:7} {route.rule:50} {route.callback.__module__}.'
              f'{route.callback.__name__}')


def day(text: str):
    """A day, YYYY-MM-DD, for argparse."""
    import datetime as dt
    try:
        return dt.datetime.strptime(text, '%Y-%m-%d').date()
    except ValueError:
        raise argparse.ArgumentTypeError(f'{text!r} is not a day (YYYY-MM-DD)') from None


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog='manage.py', description=__doc__)
    commands = main.add_subparsers(dest='command', required=True, metavar='command')

    def add(function, **kwargs) -> argparse.ArgumentParser:
        sub = commands.add_parser(function.__name__.replace('_', '-'), help=function.__doc__,
                                  description=function.__doc__, **kwargs)
        sub.set_defaults(run=function)
        return sub

    sub = add(migrate)
    sub.add_argument('--down', action='store_true', help='revert the newest migration '
                     '(with --to, every migration back to and including that one)')
    sub.add_argument('--to', metavar='NAME', help='stop at this migration')
    sub.add_argument('--status', action='store_true', help='list migrations and their state')
    sub = add(createuser)
    sub.add_argument('username')
    sub.add_argument('--email', required=True)
    sub.add_argument('--password-stdin', action='store_true',
                     help='read the password from the first line of standard input')
    for command in (grant, revoke):
        sub = add(command)
        sub.add_argument('username')
        sub.add_argument('role', help='analyst')
    sub = add(apikey)
    sub.add_argument('action', choices=('create', 'list', 'revoke'))
    sub.add_argument('name', nargs='?', help='whose program the key is for (create, revoke)')
    sub = add(import_citizens)
    sub.add_argument('file', help='a JSON file: {"citizens": [...]}')
    sub = add(export_citizens)
    sub.add_argument('import_id', type=int)
    sub.add_argument('-o', '--output', metavar='FILE', help='write here instead of to standard '
                     'output')
    sub = add(stats)
    sub.add_argument('--from', dest='from_', type=day, metavar='YYYY-MM-DD',
                     help='first day (default: --to)')
    sub.add_argument('--to', type=day, metavar='YYYY-MM-DD',
                     help='last day (default: --from, or yesterday without either)')
    sub = add(seed)
    sub.add_argument('--users', type=int, default=100, help='demo users to add (default 100)')
    sub.add_argument('--posts', type=int, default=1000, help='posts to add (default 1000)')
    sub.add_argument('--follows', type=int, default=20,
                     help='users each user follows (default 20)')
    sub.add_argument('--random-seed', type=int, default=1, help='for repeatable data')
    add(shell)
    add(routes)
    return main


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    settings = boot.start(lambda settings: settings)
    try:
        args.run(settings, args)
    except boot.DomainError as exc:
        fields = ''.join(f'\n  {name}: {problem}' for name, problem in exc.fields.items())
        more = getattr(exc, 'more', 0)
        if more:
            fields += f'\n  ... and {more} more'
        sys.exit(f'{args.command}: {exc.message}{fields}')


if __name__ == '__main__':
    main()
