"""The layering rules hold, and each of them would catch the import that breaks it.

The packages are checked by import-linter (`[tool.importlinter]` in pyproject.toml); the entry
scripts, which are in no package, by the table in `ENTRY_IMPORTS`.
"""
from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / 'pyproject.toml').read_text())['tool']['importlinter']
CONTRACTS = CONFIG['contracts']
LINT_IMPORTS = Path(sys.executable).parent / 'lint-imports'

# What each entry script may import of the project's own packages and scripts.
ENTRY_IMPORTS = {
    'app.py': {'lib', 'api', 'devtools'},
    'web.py': {'lib', 'app'},
    'rpc.py': {'lib', 'api', 'controllers'},  # controllers: `boot` configures the process
    'tasks.py': {'lib', 'batch'},
    'manage.py': {'lib', 'controllers', 'models', 'api'},  # api: `routes` lists the routes
    'dev.py': {'lib', 'app', 'tasks', 'devtools'},
}
PROJECT = {'api', 'app', 'batch', 'bench', 'controllers', 'devtools', 'fabfile', 'lib',
           'manage', 'models', 'tasks', 'tests', 'web', 'dev', 'rpc'}


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT_IMPORTS), '--no-cache'], cwd=root, capture_output=True,
                          text=True, env={'PYTHONPATH': f'{root}:{ROOT / "lib" / "vendor"}',
                                          'PATH': '/usr/bin:/bin'}, timeout=120)


def copy_of_tree(destination: Path) -> Path:
    """The project's packages and pyproject.toml, without installed code or caches."""
    for package in CONFIG['root_packages']:
        shutil.copytree(ROOT / package, destination / package, ignore=shutil.ignore_patterns(
            'vendor', '__pycache__', '*.pyc', 'node_modules'))
    shutil.copy(ROOT / 'pyproject.toml', destination)
    return destination


def violation(contract: dict) -> tuple[str, str]:
    """(package whose __init__ gets the import, module it imports) breaking `contract`."""
    if contract['type'] == 'layers':
        top, bottom = contract['layers'][0].split('|')[0].strip(), contract['layers'][-1]
        return bottom, top
    return contract['source_modules'][0], contract['forbidden_modules'][0]


def test_every_contract_is_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f'{len(CONTRACTS)} kept, 0 broken' in result.stdout


@pytest.mark.parametrize('contract', CONTRACTS, ids=[c['name'] for c in CONTRACTS])
def test_contract_catches_a_violating_import(contract, tmp_path):
    tree = copy_of_tree(tmp_path)
    package, forbidden = violation(contract)
    with open(tree / package.replace('.', '/') / '__init__.py', 'a') as init:
        init.write(f'\nimport {forbidden}  # noqa\n')
    result = lint_imports(tree)
    assert result.returncode != 0
    assert f'{contract["name"]} BROKEN' in result.stdout, result.stdout


def project_imports(source: str) -> set[str]:
    """The project's top-level modules and packages that `source` imports, anywhere in it."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name.split('.')[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split('.')[0])
    return names & PROJECT


@pytest.mark.parametrize('script', sorted(ENTRY_IMPORTS))
def test_entry_script_imports_only_what_it_may(script):
    imported = project_imports((ROOT / script).read_text())
    assert imported <= ENTRY_IMPORTS[script], f'{script} imports {imported - ENTRY_IMPORTS[script]}'


def test_entry_script_check_catches_a_violating_import():
    late_import = 'import os\n\ndef main():\n    from models.db import transaction\n'
    assert not project_imports(late_import) <= ENTRY_IMPORTS['app.py']
