"""The bare WSGI ceiling: a "hello" app served under the same gunicorn settings as Warble."""


def application(environ, start_response):
    start_response('200 OK', [('Content-Type', 'text/plain'), ('Content-Length', '5')])
    return [b'hello']
