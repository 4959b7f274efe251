"""HTTP basics: /status, the page shell, JSON errors, request ids, body limits, OpenAPI."""
import json

import api


def test_status_is_ok_when_database_redis_a_worker_and_grpc_answer(app, celery_worker,
                                                                     rpc_server):
    answer = app.get('/status')
    assert answer.status_int == 200
    assert answer.json['status'] == 'ok'
    assert set(answer.json['checks']) == {'database', 'redis', 'celery', 'grpc'}
    assert all(check['ok'] and check['ms'] >= 0 for check in answer.json['checks'].values())


def test_status_is_503_and_names_celery_and_grpc_without_them(app):
    answer = app.get('/status', status=503)
    assert 'refused' in answer.json['checks']['grpc']['error']
    assert answer.json['status'] == 'degraded'
    assert answer.json['checks']['database']['ok'] is True
    assert answer.json['checks']['redis']['ok'] is True
    assert answer.json['checks']['celery'] == {
        'ok': False, 'ms': answer.json['checks']['celery']['ms'], 'error': 'no worker answered'}


def test_unknown_api_path_is_a_json_404(app):
    answer = app.get('/api/v1/nothing-here', status=404)
    assert answer.json == {'error': {'code': 'not_found', 'fields': {},
                                     'message': 'Nothing at /api/v1/nothing-here.'}}


def test_unknown_imports_path_is_a_json_404(app):
    assert app.get('/imports/x/y/z', status=404).json['error']['code'] == 'not_found'


def test_wrong_method_is_a_json_405_with_allow(app):
    answer = app.delete('/status', status=405)
    assert answer.json['error']['code'] == 'method_not_allowed'
    assert 'GET' in answer.headers['Allow']


def test_body_over_the_limit_is_a_json_413(app, settings):
    body = b'x' * (settings.server.max_body_bytes + 1)
    answer = app.post('/api/v1/anything', body, content_type='application/json', status=413)
    assert answer.json['error']['code'] == 'payload_too_large'
    assert str(settings.server.max_body_bytes) in answer.json['error']['message']


def test_crash_is_a_json_500_without_traceback(settings):
    import webtest
    bottle_app = api.create_app(settings)

    @bottle_app.get('/api/v1/crash')
    def crash():
        raise RuntimeError('secret internals')

    answer = webtest.TestApp(bottle_app).get('/api/v1/crash', status=500)
    assert answer.json == {'error': {'code': 'internal_error', 'message': 'Internal server error.',
                                     'fields': {}}}
    assert 'secret internals' not in answer.text and 'Traceback' not in answer.text


def test_request_id_is_echoed_or_generated(app):
    given = app.get('/api/v1/nope', headers={'X-Request-ID': 'abc-123'}, status=404)
    assert given.headers['X-Request-ID'] == 'abc-123'
    made = app.get('/api/v1/nope', status=404)
    assert len(made.headers['X-Request-ID']) == 32
    odd = app.get('/api/v1/nope', headers={'X-Request-ID': 'bad id\u00e9'}, status=404)
    assert odd.headers['X-Request-ID'] != 'bad id\u00e9'


def test_request_id_appears_in_log_lines(app, caplog):
    caplog.set_level('INFO', logger='warble.access')
    app.get('/api/v1/nope', headers={'X-Request-ID': 'trace-me'}, status=404)
    lines = [record for record in caplog.records if record.name == 'warble.access']
    assert lines and lines[-1].request_id == 'trace-me'
    assert lines[-1].status == 404


def test_json_log_lines_carry_the_request_id():
    import logging

    from lib.logs import JsonFormatter, request_id
    token = request_id.set('rid-1')
    try:
        record = logging.makeLogRecord({'msg': 'hello %s', 'args': ('you',), 'name': 'x'})
        from lib.logs import RequestIdFilter
        RequestIdFilter().filter(record)
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id.reset(token)
    assert line['request_id'] == 'rid-1' and line['message'] == 'hello you'


def test_openapi_document_lists_the_status_operation(app):
    document = app.get('/openapi.json').json
    assert document['openapi'].startswith('3.1')
    operation = document['paths']['/status']['get']
    assert set(operation['responses']) == {'200', '503'}
    schema = operation['responses']['200']['content']['application/json']['schema']
    assert schema['required'] == ['status', 'version', 'checks']


def test_docs_page_loads_the_documentation_ui(app):
    answer = app.get('/docs')
    assert 'swagger-ui-bundle.js' in answer.text and '/js/docs.js' in answer.text
