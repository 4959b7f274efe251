# A web machine: nginx and gunicorn; Redis and PostgreSQL live elsewhere (see class warble).
class warble::role::web {
  include warble
  include warble::web
}
