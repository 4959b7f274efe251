# Everything on one machine (the Vagrant box, a small production): Redis, PostgreSQL,
# nginx + gunicorn and the Celery processes.
class warble::role::all {
  include warble
  include warble::redis
  include warble::postgresql
  include warble::web
  include warble::worker
}
