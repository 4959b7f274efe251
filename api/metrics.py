"""`GET /metrics`: the Prometheus metrics of every Warble process of this host.

Served when `metrics.enabled`; with `metrics.public` off, only to requests that did not come
through the trusted proxy, so that it is scraped on the loopback port of gunicorn, not from outside.
The outbox backlog is measured at each scrape.
"""
from __future__ import annotations

import bottle

from api.web import settings, through_proxy
from controllers import outbox
from lib import metrics

app = bottle.Bottle()


@app.get('/metrics')
def metrics_page() -> bytes:
    configured = settings().metrics
    if not configured.enabled or (through_proxy() and not configured.public):
        raise bottle.HTTPError(404)
    bottle.response.content_type = metrics.CONTENT_TYPE
    backlog = outbox.backlog()  # left out while the database cannot answer
    return metrics.exposition([metrics.OutboxBacklog(backlog)] if backlog else [])
