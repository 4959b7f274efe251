"""Configuration: `etc/config.json`, a role overlay, then `WARBLE_<SECTION>_<KEY>` variables.

The defaults file declares every key and, by its value, the key's type. Overlays and the
environment may only change declared keys, and only with a value of the same type. Secret keys
(their names end in `password`, `secret` or `secret_key`) are empty in committed files and come
from the environment, or from a file named by `WARBLE_<SECTION>_<KEY>_FILE`.
"""
from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ETC = ROOT / 'etc'
PREFIX = 'WARBLE_'
SECRET_SUFFIXES = ('password', 'secret', 'secret_key')


class ConfigError(Exception):
    """A configuration value that Warble cannot start with; the message names the key."""


class Section:
    """Attribute access to one level of settings (`settings.database.url`)."""

    def __init__(self, values: Mapping[str, Any]):
        for key, value in values.items():
            object.__setattr__(self, key, Section(value) if isinstance(value, dict) else value)

    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError('settings are read-only')

    def __getitem__(self, key: str) -> Any:
        return getattr(self, key)

    def as_dict(self) -> dict[str, Any]:
        return {key: value.as_dict() if isinstance(value, Section) else value
                for key, value in vars(self).items()}

    def __repr__(self) -> str:
        return f'Section({self.as_dict()!r})'


def is_secret(key: str) -> bool:
    return key.endswith(SECRET_SUFFIXES)


def read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        raise ConfigError(f'{path}: file not found') from None
    except json.JSONDecodeError as exc:
        raise ConfigError(f'{path}: not valid JSON ({exc})') from None
    if not isinstance(data, dict):
        raise ConfigError(f'{path}: must hold a JSON object')
    return data


def coerce(name: str, default: Any, value: Any, from_text: bool = False) -> Any:
    """Return `value` as the type of `default`, or raise ConfigError naming `name`."""
    kind = type(default)
    if from_text:
        value = _parse_text(name, kind, value)
    if kind is float and type(value) is int:
        value = float(value)
    if type(value) is not kind:
        raise ConfigError(f'{name}: expected {kind.__name__}, got {type(value).__name__} {value!r}')
    return value


def _parse_text(name: str, kind: type, text: str) -> Any:
    try:
        if kind is bool:
            lowered = text.strip().lower()
            if lowered not in ('1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'):
                raise ValueError(text)
            return lowered in ('1', 'true', 'yes', 'on')
        if kind in (int, float):
            return kind(text)
        if kind is list:
            return json.loads(text) if text.strip().startswith('[') else [
                part.strip() for part in text.split(',') if part.strip()]
    except ValueError:
        raise ConfigError(f'{name}: expected {kind.__name__}, got {text!r}') from None
    return text


def merge(defaults: dict, overlay: dict, origin: str, prefix: str = '') -> dict:
    """Merge `overlay` over `defaults`, refusing unknown keys, wrong types and secrets."""
    merged = dict(defaults)
    for key, value in overlay.items():
        name = f'{prefix}{key}'
        if key not in defaults:
            raise ConfigError(f'{name}: unknown key in {origin}')
        if isinstance(defaults[key], dict):
            if not isinstance(value, dict):
                raise ConfigError(f'{name}: expected a section (object) in {origin}')
            merged[key] = merge(defaults[key], value, origin, f'{name}.')
            continue
        if is_secret(key) and value:
            raise ConfigError(f'{name}: secrets come from the environment, not from {origin}')
        merged[key] = coerce(name, defaults[key], value)
    return merged


def from_environment(values: dict, environ: Mapping[str, str]) -> dict:
    """Apply `WARBLE_<SECTION>_<KEY>` (and `..._FILE`) variables over `values`."""
    merged = {section: dict(keys) for section, keys in values.items()}
    for variable, text in environ.items():
        if not variable.startswith(PREFIX) or variable in ('WARBLE_ROLE',):
            continue
        section, _, key = variable[len(PREFIX):].lower().partition('_')
        if key.endswith('_file') and key[:-5] in merged.get(section, {}):
            key = key[:-5]
            text = _read_secret_file(variable, text)
        name = f'{section}.{key}'
        if section not in merged or key not in merged[section]:
            raise ConfigError(f'{name}: unknown key (from the environment variable {variable})')
        merged[section][key] = coerce(name, values[section][key], text, from_text=True)
    return merged


def _read_secret_file(variable: str, path: str) -> str:
    try:
        return Path(path).read_text().strip()
    except OSError as exc:
        raise ConfigError(f'{variable}: cannot read {path} ({exc.strerror})') from None


def load(environ: Mapping[str, str] | None = None, etc: Path = ETC) -> Section:
    """Build the settings from the defaults, the role overlay and the environment."""
    environ = os.environ if environ is None else environ
    values = read_json(etc / 'config.json')
    for section, keys in values.items():
        for key, value in keys.items():
            if is_secret(key) and value:
                raise ConfigError(f'{section}.{key}: secrets come from the environment, '
                                  'not from config.json')
    role = environ.get('WARBLE_ROLE', '').strip()
    if role:
        overlay = etc / f'{role}.json'
        if not overlay.exists():
            raise ConfigError(f'WARBLE_ROLE: no overlay {overlay} for role {role!r}')
        values = merge(values, read_json(overlay), overlay.name)
    values = from_environment(values, environ)
    values['role'] = role or 'default'
    mail, server, rpc = values.get('mail', {}), values.get('server', {}), values.get('grpc', {})
    if mail.get('port') == 0 and 'port' in server:  # the port after the web server's
        mail['port'] = server['port'] + 1
    if rpc.get('port') == 0 and 'port' in server:  # the one after the mail sink's
        rpc['port'] = server['port'] + 2
    return Section(values)


def resolve(path: str) -> Path:
    """A path from the settings, relative ones taken from the project root."""
    return Path(path) if os.path.isabs(path) else ROOT / path


@functools.lru_cache(maxsize=1)
def get_settings() -> Section:
    """The settings of this process, loaded once."""
    return load()


def settings_or_exit() -> Section:
    """The settings, or one line naming the bad key and exit code 2 (for entry points)."""
    try:
        return get_settings()
    except ConfigError as exc:
        print(f'warble: cannot start: {exc}', file=sys.stderr)
        raise SystemExit(2) from None


def masked(values: dict[str, Any]) -> dict[str, Any]:
    """`values` with every non-empty secret replaced by `***`."""
    return {key: masked(value) if isinstance(value, dict) else
            ('***' if is_secret(key) and value else value) for key, value in values.items()}


if __name__ == '__main__':
    # `python3 -m lib.config [SECTION ...]`: the effective settings as JSON, secrets masked.
    import sys
    try:
        effective = masked(load().as_dict())
    except ConfigError as exc:
        sys.exit(f'warble: {exc}')
    wanted = sys.argv[1:] or list(effective)
    print(json.dumps({name: effective.get(name) for name in wanted}, indent=2))
