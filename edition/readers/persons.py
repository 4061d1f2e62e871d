"""The register of names, `persons.toml`: one table per person, the table name its key.

```toml
[kadar]
name = "Kádár, János"              # the index form
identification = "First Secretary"  # printed after the name in the index
forms = ["Kádár", "János Kádár"]    # the forms matched in the texts
variants = ["Kadar"]                # other spellings: `Kadar. See Kádár, János`
see_also = ["nagy"]                 # keys of related entries
```

Matching the forms in the texts is a later stage (edition/transform/names.py).
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from pathlib import Path
from typing import Any

from edition import safeio
from edition.errors import EditionError, toml_error
from edition.model import CrossReference, Person, Pos
from edition.readers.base import MAX_SOURCE_BYTES

ALLOWED_KEYS = ("name", "identification", "forms", "variants", "see_also")


def load_register(path: Path) -> tuple[dict[str, Person], list[CrossReference]]:
    """Read `persons.toml`: one table per person, the table name is the key."""
    text = safeio.read_text(path, MAX_SOURCE_BYTES)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message, line, column = toml_error(exc, text)
        raise EditionError(f"malformed TOML: {message}", path, line, column) from None
    persons: dict[str, Person] = {}
    cross_refs: list[CrossReference] = []
    # Every table's line found in one pass: a scan per entry made 10,000 entries quadratic.
    headers = _table_lines(text)
    for key, table in data.items():
        person, variants = _person(key, table, text, path, headers.get(key, 0))
        persons[key] = person
        cross_refs.extend(CrossReference(form=v, target_key=key) for v in variants)
    for person in persons.values():
        for target in person.see_also:
            if target not in persons:
                raise EditionError(f"[{person.key}] see_also names unknown person {target!r}",
                                   path, _line_of(text, person.key, "see_also"))
    return persons, cross_refs


def _person(key: str, table: Any, text: str, path: Path,
            header: int) -> tuple[Person, list[str]]:
    """One entry; `header` is the line of its `[key]`. The other lines are looked for only
    to report an error, which ends the reading."""
    if not isinstance(table, dict):
        raise EditionError(f"{key!r} should be a table [{key}] describing one person",
                           path, _line_of(text, "", key) or header)
    for name in table:
        if name not in ALLOWED_KEYS:
            raise EditionError(f"[{key}] unknown key {name!r} (allowed: {', '.join(ALLOWED_KEYS)})",
                               path, _line_of(text, key, name) or header)
    if "name" not in table:
        raise EditionError(f"[{key}] has no name (the index form, e.g. \"Kádár, János\")",
                           path, header)

    def value(name: str, kind: type, default: Any) -> Any:
        item = table.get(name, default)
        ok = isinstance(item, kind) and (
            kind is not list or all(isinstance(v, str) and v.strip() for v in item))
        if not ok or (kind is str and name == "name" and not item.strip()):
            what = "a list of non-empty strings" if kind is list else "a string"
            raise EditionError(f"[{key}] {name} should be {what}", path,
                               _line_of(text, key, name) or header)
        return [_nfc(v) for v in item] if kind is list else _nfc(item)

    person = Person(key=key, index_form=value("name", str, ""),
                    identification=value("identification", str, ""),
                    forms=value("forms", list, []), see_also=value("see_also", list, []),
                    pos=Pos(str(path), header))
    return person, value("variants", list, [])


# A table's header line, `[kadar]` or `["kadar"]`, perhaps with a comment after it.
TABLE_HEADER = re.compile(r"\[\s*(\"?)([^\]\"]+)\1\s*\](?:\s*#.*)?")


def _table_lines(text: str) -> dict[str, int]:
    """The line of each table's first header: tomllib keeps no positions."""
    lines: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        if m := TABLE_HEADER.fullmatch(raw.strip()):
            lines.setdefault(m.group(2).strip(), number)
    return lines


def _line_of(text: str, table: str, key: str = "") -> int:
    """The line of `[table]` (or of `key` inside it): tomllib keeps no positions."""
    current: str | None = ""
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if m := TABLE_HEADER.fullmatch(line):
            current = m.group(2).strip()
            if not key and current == table:
                return number
        elif key and current == table and re.match(rf"\"?{re.escape(key)}\"?\s*=", line):
            return number
    return 0


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)
