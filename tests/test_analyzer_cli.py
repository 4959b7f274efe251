"""`manage.py import-citizens FILE` and `manage.py export-citizens ID`, run as real processes."""
import json
import subprocess

from lib import bootstrap
from tests.harness.analyzer import sample, stored_rows
from tests.harness.citizens import make_import
from tests.harness.servers import PYTHON


def manage(environ: dict, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, 'manage.py', *arguments], cwd=bootstrap.ROOT,
                          env=bootstrap.child_environ(**environ), capture_output=True, text=True,
                          timeout=60)


def test_import_shows_progress_prints_the_id_and_export_writes_it_back(settings, environ,
                                                                        tmp_path):
    body = make_import(2500, 400, seed=31)
    source, copy = tmp_path / 'in.json', tmp_path / 'out.json'
    source.write_text(json.dumps(body))
    loaded = manage(environ, 'import-citizens', str(source))
    assert loaded.returncode == 0, loaded.stderr
    assert '2500/2500' in loaded.stderr
    import_id = int(loaded.stdout)
    assert stored_rows() == (1, 2500, 800)
    exported = manage(environ, 'export-citizens', str(import_id), '-o', str(copy))
    assert exported.returncode == 0, exported.stderr
    expected = [{**citizen, 'relatives': sorted(citizen['relatives'])}
                for citizen in body['citizens']]
    assert json.loads(copy.read_text(encoding='utf-8')) == {'citizens': expected}
    again = manage(environ, 'import-citizens', str(copy))
    assert int(again.stdout) == import_id + 1


def test_export_to_standard_output_keeps_the_letters(settings, environ, tmp_path):
    source = tmp_path / 'in.json'
    source.write_text(json.dumps({'citizens': sample()}))
    import_id = manage(environ, 'import-citizens', str(source)).stdout.strip()
    exported = manage(environ, 'export-citizens', import_id)
    assert json.loads(exported.stdout) == {'citizens': sample()}
    assert 'Иванов Иван Иванович' in exported.stdout


def test_invalid_file_is_refused_naming_the_problem(settings, environ, tmp_path):
    citizens = sample()
    citizens[1]['birth_date'] = '30.02.1990'
    source = tmp_path / 'in.json'
    source.write_text(json.dumps({'citizens': citizens}))
    refused = manage(environ, 'import-citizens', str(source))
    assert refused.returncode == 1
    assert 'citizens.1.birth_date: 30.02.1990 is not a real date' in refused.stderr
    source.write_text('{"citizens": [')
    assert 'cannot read' in manage(environ, 'import-citizens', str(source)).stderr
    assert stored_rows() == (0, 0, 0)


def test_export_of_an_unknown_import_says_so(settings, environ):
    refused = manage(environ, 'export-citizens', '7')
    assert refused.returncode == 1 and 'No import 7.' in refused.stderr
