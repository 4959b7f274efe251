"""Exports of one's posts: ask for one, follow its progress, download it (its owner only)."""
from __future__ import annotations

import bottle

from api.decorators import auth
from api.schemas import ID, TIMESTAMP, URL
from api.spec import operation
from api.web import links
from controllers.exports import ExportController
from controllers.notice_rules import EXPORT_FORMATS, EXPORT_REQUEST

app = bottle.Bottle()

EXPORTS = '/api/v1/users/<username>/exports'
EXPORT = f'{EXPORTS}/<export_id:int>'
EXPORT_SCHEMA = {
    'type': 'object',
    'required': ['id', 'href', 'format', 'state', 'done', 'total', 'created', 'finished',
                 'expires', 'download'],
    'additionalProperties': False,
    'properties': {
        'id': ID, 'href': URL, 'format': {'enum': list(EXPORT_FORMATS)},
        'state': {'enum': ['pending', 'running', 'done', 'failed', 'expired'],
                  'description': 'pending until a worker takes it; running; done (download '
                                 'it until `expires`); failed; expired'},
        'done': {'type': 'integer', 'minimum': 0, 'description': 'posts written so far'},
        'total': {'type': 'integer', 'minimum': 0, 'description': 'posts it will hold'},
        'created': TIMESTAMP,
        'finished': {'type': ['string', 'null'], 'format': 'date-time'},
        'expires': {**TIMESTAMP, 'description': 'when its file is deleted'},
        'download': {'type': ['string', 'null'], 'format': 'uri',
                     'description': 'the file, while it is done and not expired'},
    },
}
EXPORT_FILE = {
    'type': 'object', 'required': ['username', 'exported', 'posts'],
    'additionalProperties': False,
    'description': 'The JSON file (a CSV file has the columns id, created, edited, referenced, '
                   'text, with a header row)',
    'properties': {
        'username': {'type': 'string'}, 'exported': TIMESTAMP,
        'posts': {'type': 'array', 'items': {
            'type': 'object', 'required': ['id', 'created', 'edited', 'referenced', 'text'],
            'additionalProperties': False,
            'properties': {'id': ID, 'created': TIMESTAMP,
                           'edited': {'type': ['string', 'null'], 'format': 'date-time'},
                           'referenced': {'type': ['string', 'null']},
                           'text': {'type': 'string'}}}},
    },
}
LISTING = {'type': 'object', 'required': ['result'], 'additionalProperties': False,
           'properties': {'result': {'type': 'array', 'items': EXPORT_SCHEMA}}}
OWNER = {401: None, 403: None}


@app.post(EXPORTS)
@auth('owner')
@operation('Export my posts as JSON or CSV: 202 with the new export, or 200 with the one '
           'under way already (one at a time)', tags=('exports',), body=EXPORT_REQUEST,
           security=True, responses={200: EXPORT_SCHEMA, 202: EXPORT_SCHEMA, 400: None, **OWNER})
def request_export(username: str, caller: dict, body: dict) -> dict:
    export, created = ExportController(links()).request(caller, body['format'])
    bottle.response.status = 202 if created else 200
    bottle.response.set_header('Location', export['href'])
    return export


@app.get(EXPORTS)
@auth('owner')
@operation('My newest exports, newest first', tags=('exports',), security=True,
           responses={200: LISTING, **OWNER})
def list_exports(username: str, caller: dict) -> dict:
    bottle.response.set_header('Cache-Control', 'no-store')
    return ExportController(links()).listing(caller)


@app.get(EXPORT)
@auth('owner')
@operation('One of my exports: its state and progress', tags=('exports',), security=True,
           responses={200: EXPORT_SCHEMA, 404: None, **OWNER})
def export_status(username: str, export_id: int, caller: dict) -> dict:
    bottle.response.set_header('Cache-Control', 'no-store')
    return ExportController(links()).status(caller, export_id)


@app.get(f'{EXPORT}/download')
@auth('owner')
@operation('The file of a finished export, as an attachment; 410 once it expired, 409 while '
           'it is not ready', tags=('exports',), security=True,
           responses={200: EXPORT_FILE, 404: None, 409: None, 410: None, **OWNER})
def download_export(username: str, export_id: int, caller: dict) -> bottle.HTTPResponse:
    found = ExportController(links()).download(caller, export_id)
    answer = bottle.static_file(found['path'].name, root=str(found['path'].parent),
                                mimetype=found['media_type'], download=found['filename'])
    answer.set_header('Cache-Control', 'private, no-store')
    return answer
