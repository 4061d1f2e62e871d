"""Settings given beside edition.toml: a `--defaults FILE` of settings and `-M KEY=VALUE`.

Both are shaped as edition.toml is (`-M page.trim=a4` is `[page] trim = "a4"`) and go
through its checks (settings.entries: unknown keys, types; then load_settings's checks of
the values together), each problem reported at the defaults file's line or as
`-M page.trim`. They become overrides by attribute, `Given` with their origin: the
defaults file over edition.toml, then every -M in order over both, then the command's
own options (`--bleed`, `--paper`) over all.
"""

from __future__ import annotations

import tomllib
from dataclasses import fields
from pathlib import Path
from typing import Any

from edition.errors import EditionError
from edition.settings import MAPPINGS, SCHEMA, Given, Origin, Settings, entries, read_toml


def overrides(defaults: Path | None, options: list[str]) -> dict[str, Given]:
    """The overrides of a defaults file and of -M options, in that order of precedence
    (a later one wins; a table of the edition's keys, `[terms]`, is merged key by key)."""
    layers = [defaults_file(defaults)] if defaults is not None else []
    layers.extend(option(text) for text in options)
    merged: dict[str, Given] = {}
    for layer in layers:
        for attr, given in layer.items():
            if attr in MAPPINGS.values() and attr in merged:
                given = Given({**merged[attr].value, **given.value}, given.origin)
            merged[attr] = given
    return merged


def defaults_file(path: Path) -> dict[str, Given]:
    """A TOML file of settings, as edition.toml: its errors name its lines."""
    if not path.is_file():
        raise EditionError("no such settings file (--defaults)", path)
    origin = Origin(path)
    # The user named this file: it may lie anywhere, but it is still read as a regular
    # file of at most a settings file's size, never a FIFO waited for.
    data = read_toml(path, root=path.resolve().parent)
    return {attr: Given(value, origin) for attr, value in entries(data, origin)}


def option(text: str) -> dict[str, Given]:
    """`-M KEY=VALUE`: a dotted KEY into edition.toml's tables, the VALUE a TOML value
    (`11`, `true`, `["A", "B"]`, `"a4"`) or else the text itself (`a4`); a setting that
    takes text takes the text as written (`-M year=1956` is "1956", not a number)."""
    key, equals, raw = text.partition("=")
    key = key.strip()
    if not equals or not key:
        raise EditionError(f"-M takes KEY=VALUE (e.g. -M page.trim=a4), not {text!r}")
    origin = Origin(f"-M {key}", is_file=False)
    path = _key_path(key, origin)
    value = _toml_value(raw)
    if _takes_text(path) and not isinstance(value, str):
        value = raw.strip()
    data: Any = value
    for part in reversed(path):
        data = {part: data}
    return {attr: Given(value, origin) for attr, value in entries(data, origin)}


def _key_path(key: str, origin: Origin) -> list[str]:
    """A TOML key (`page.trim`, `running_heads."53"`) as its parts."""
    try:
        data: Any = tomllib.loads(f"{key} = 0")
    except tomllib.TOMLDecodeError:
        data = None
    path: list[str] = []
    while isinstance(data, dict) and len(data) == 1:
        (part, data), = data.items()
        path.append(part)
    if data != 0:  # no key, or more than one (a newline in it)
        raise EditionError("not a setting's name (a key such as page.trim)", origin.name)
    return path


def _toml_value(raw: str) -> Any:
    """The TOML value written, or the text when it is none (`a4`, `Smith, J.`)."""
    try:
        data = tomllib.loads(f"value = {raw}")
    except tomllib.TOMLDecodeError:
        return raw.strip()
    return data["value"] if len(data) == 1 else raw.strip()


def _takes_text(path: list[str]) -> bool:
    """Whether the setting at `path` is text: a title, a year, a term, a running head."""
    types = {f.name: f.type for f in fields(Settings)}
    if len(path) == 2 and path[0] in MAPPINGS:
        return True
    table, key = (path[0], path[1]) if len(path) == 2 else ("", path[0])
    attr = SCHEMA.get(table, {}).get(key) if len(path) <= 2 else None
    return attr is not None and types[attr] == "str"

