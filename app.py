"""WSGI entry point: `application` for `gunicorn -k gevent app:application`.

`python3 app.py [--host H] [--port P]` serves it for development with Bottle's reloader.
"""
import argparse
import gc

from lib import bootstrap

bootstrap.use_vendor()

import api

# gunicorn halts (instead of respawning workers forever) when a worker exits with this code.
APP_LOAD_ERROR = 4

application = api.load_wsgi(exit_code=APP_LOAD_ERROR)
# What is loaded by now lives as long as the process: out of the collector's sight, a full
# collection under load takes a few milliseconds, not the 100-200 ms in which a gevent worker
# would answer none of its requests.
gc.collect()
gc.freeze()


def end_streams() -> None:
    """End the live streams this worker holds: gunicorn, stopping, waits for every open
    request, and a stream would hold the worker for its whole graceful timeout."""
    from api.streams import end_streams as end
    end()


def serve(host: str, port: int) -> None:
    """Serve with Bottle's reloader on the development server (`devtools.devserver`)."""
    import signal
    from wsgiref import simple_server

    import bottle

    from api.streams import share_threads
    from devtools.devserver import THREADS, PooledWSGIServer
    from lib.version import PRODUCT

    # The reloader stops the server with a simulated Ctrl-C, which does nothing while SIGINT is
    # ignored, as it is for a process started in the background (`python3 dev.py &`).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    # wsgiref names its version and Python's in `Server`; this process serves nothing else.
    simple_server.ServerHandler.server_software = PRODUCT
    share_threads(THREADS)  # each live stream holds one of its threads while it is open
    bottle.run(application, host=host, port=port, reloader=True, quiet=True,
               server_class=PooledWSGIServer)


if __name__ == '__main__':
    parser = argparse.ArgumentParser(description='Serve Warble with the development server.')
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=8080)
    options = parser.parse_args()
    serve(options.host, options.port)
