# A worker machine: Celery worker and beat; Redis and PostgreSQL live elsewhere.
class warble::role::worker {
  include warble
  include warble::worker
}
