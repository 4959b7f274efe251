"""`GET /status`: health of database, Redis and Celery; 200 when all are ok, else 503."""
from __future__ import annotations

import bottle

from api.spec import operation
from controllers.status import StatusController

app = bottle.Bottle()

CHECK = {'type': 'object', 'required': ['ok', 'ms'],
         'properties': {'ok': {'type': 'boolean'}, 'ms': {'type': 'number'},
                        'error': {'type': 'string'}}}
STATUS = {
    'type': 'object',
    'required': ['status', 'version', 'checks'],
    'properties': {
        'status': {'enum': ['ok', 'degraded']},
        'version': {'type': 'string'},
        'checks': {'type': 'object', 'properties': {
            'database': CHECK, 'redis': CHECK, 'celery': CHECK, 'grpc': CHECK}},
    },
}


@app.get('/status')
@operation('Health of the service and its dependencies', tags=('status',),
           responses={200: STATUS, 503: STATUS})
def service_status() -> dict:
    report = StatusController(bottle.request.app.config['warble.settings']).report()
    if report['status'] != 'ok':
        bottle.response.status = 503
    return report
