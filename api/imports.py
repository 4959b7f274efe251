"""The Analyzer's HTTP contract: imports of citizens, edits, and the two reports.

With `analyzer.protected` on, every request must come from a user with the `analyst` role
(bearer token or session) or carry an API key (`manage.py apikey create NAME`): 401 without
credentials, 403 without the role. The paths and bodies of the contract stay as they are."""
from __future__ import annotations

import bottle

from api.decorators import auth
from api.spec import operation
from api.web import analyzer_protected
from controllers.citizen_rules import CHANGES, CITIZEN, FIELDS, IMPORT
from controllers.import_check import check_import
from controllers.imports import ImportController
from controllers.reports import ReportController

app = bottle.Bottle()
TAGS = ('analyzer',)
ANALYSTS = auth(role='analyst', api_key=True, enforced=analyzer_protected)
DENIED = {401: None, 403: None}  # with analyzer.protected


def security() -> tuple[str, ...]:
    """What the document says the Analyzer needs: credentials only when it is protected."""
    return ('bearer', 'session', 'apikey') if analyzer_protected() else ()




def data(schema: dict) -> dict:
    """The contract's envelope around a successful answer."""
    return {'type': 'object', 'required': ['data'], 'properties': {'data': schema}}


PRESENTS = {'type': 'array', 'items': {
    'type': 'object', 'required': ['citizen_id', 'presents'],
    'properties': {'citizen_id': FIELDS['citizen_id'], 'presents': {'type': 'integer'}}}}
BIRTHDAYS = {'type': 'object', 'required': [str(month) for month in range(1, 13)],
             'properties': {str(month): PRESENTS for month in range(1, 13)},
             'additionalProperties': False}
PERCENTILES = {'type': 'array', 'items': {
    'type': 'object', 'required': ['town', 'p50', 'p75', 'p99'],
    'properties': {'town': {'type': 'string'}, 'p50': {'type': 'number'},
                   'p75': {'type': 'number'}, 'p99': {'type': 'number'}}}}
IMPORTS = {'type': 'array', 'items': {
    'type': 'object', 'required': ['import_id', 'citizens', 'created'],
    'properties': {'import_id': {'type': 'integer'}, 'citizens': {'type': 'integer'},
                   'created': {'type': 'string', 'format': 'date-time'}}}}
CREATED = {'type': 'object', 'required': ['import_id'],
           'properties': {'import_id': {'type': 'integer'}}}


@app.post('/imports')
@ANALYSTS
@operation('Store an import of citizens', tags=TAGS, body=IMPORT, body_check=check_import,
           responses={201: data(CREATED), 400: None, 413: None, **DENIED},
           security=security)
def create_import(body: dict, caller: dict | None) -> dict:
    bottle.response.status = 201
    return {'data': ImportController().create(body['citizens'], judged=True)}  # check_import


@app.get('/imports')
@ANALYSTS
@operation('List the imports, newest first', tags=TAGS, responses={200: data(IMPORTS), **DENIED},
           security=security)
def list_imports(caller: dict | None) -> dict:
    return {'data': ImportController().imports()}


@app.patch('/imports/<import_id:int>/citizens/<citizen_id:int>')
@ANALYSTS
@operation('Change fields of one citizen; relatives change on both sides', tags=TAGS,
           body=CHANGES, responses={200: data(CITIZEN), 400: None, 404: None, **DENIED},
           security=security)
def patch_citizen(import_id: int, citizen_id: int, body: dict, caller: dict | None) -> dict:
    return {'data': ImportController().patch(import_id, citizen_id, body)}


@app.get('/imports/<import_id:int>/citizens')
@ANALYSTS
@operation('Every citizen of an import', tags=TAGS,
           responses={200: data({'type': 'array', 'items': CITIZEN}), 404: None, **DENIED},
           security=security)
def list_citizens(import_id: int, caller: dict | None) -> dict:
    return {'data': ImportController().citizens(import_id)}


@app.get('/imports/<import_id:int>/citizens/birthdays')
@ANALYSTS
@operation('Per month, who buys birthday presents for relatives and how many', tags=TAGS,
           responses={200: data(BIRTHDAYS), 404: None, **DENIED}, security=security)
def birthdays(import_id: int, caller: dict | None) -> dict:
    return {'data': ReportController().birthdays(import_id)}


@app.get('/imports/<import_id:int>/towns/stat/percentile/age')
@ANALYSTS
@operation('Age percentiles (50, 75, 99) per town, in whole years', tags=TAGS,
           responses={200: data(PERCENTILES), 404: None, **DENIED}, security=security)
def age_percentiles(import_id: int, caller: dict | None) -> dict:
    return {'data': ReportController().age_percentiles(import_id)}
