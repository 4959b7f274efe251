"""Development tooling of `dev.py`: the instance lock and port checks, the reloading web
server, the SMTP sink that keeps e-mails as files."""
