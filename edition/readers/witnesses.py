"""The witnesses register of a critical edition, `witnesses.toml` beside `persons.toml`:
one table per witness, the table name its siglum, in the order the conspectus prints.

```toml
[O]
description = "Oxoniensis, Bodleianus gr. 12, s. X"

[M]
description = "Marcianus gr. 123, s. XIII"

["β"]                              # a group: its siglum stands for its members
description = "codices recentiores"
members = ["M", "V"]
```

A TEI source's `listWit` and this file are merged; a siglum both declare is an error at
the file's line (two descriptions of one witness cannot both be right).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from edition import safeio
from edition.errors import EditionError, toml_error
from edition.model import Pos, Witness
from edition.readers.base import MAX_SOURCE_BYTES
from edition.readers.persons import _line_of, _table_lines

ALLOWED_KEYS = ("description", "members")


def load_witnesses(path: Path) -> dict[str, Witness]:
    """Read `witnesses.toml`; every mistake is an error at its line."""
    text = safeio.read_text(path, MAX_SOURCE_BYTES)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message, line, column = toml_error(exc, text)
        raise EditionError(f"malformed TOML: {message}", path, line, column) from None
    headers = _table_lines(text)
    witnesses = {siglum: _witness(siglum, table, text, path, headers.get(siglum, 0))
                 for siglum, table in data.items()}
    for witness in witnesses.values():
        _check_members(witness, witnesses, text, path)
    return witnesses


def _witness(siglum: str, table: Any, text: str, path: Path, header: int) -> Witness:
    if not isinstance(table, dict):
        raise EditionError(f"{siglum!r} should be a table [{siglum}] describing one witness",
                           path, _line_of(text, "", siglum) or header)
    if not siglum.strip() or any(c.isspace() for c in siglum):
        raise EditionError(f"siglum {siglum!r} must be one word (it is printed as is)",
                           path, header)
    for name in table:
        if name not in ALLOWED_KEYS:
            raise EditionError(f"[{siglum}] unknown key {name!r} (allowed: "
                               f"{', '.join(ALLOWED_KEYS)})", path,
                               _line_of(text, siglum, name) or header)
    description = table.get("description", "")
    if not isinstance(description, str):
        raise EditionError(f"[{siglum}] description should be a string", path,
                           _line_of(text, siglum, "description") or header)
    members = table.get("members", [])
    if not (isinstance(members, list) and all(isinstance(m, str) and m.strip()
                                              for m in members)):
        raise EditionError(f"[{siglum}] members should be a list of sigla", path,
                           _line_of(text, siglum, "members") or header)
    return Witness(siglum, description.strip(), [m.strip() for m in members],
                   Pos(str(path), header))


def _check_members(witness: Witness, witnesses: dict[str, Witness], text: str,
                   path: Path) -> None:
    """A group's members are declared witnesses, and no group contains itself."""
    line = _line_of(text, witness.siglum, "members") or (witness.pos.line if witness.pos else 0)
    for member in witness.members:
        if member not in witnesses:
            raise EditionError(f"[{witness.siglum}] member {member!r} is not a declared "
                               "witness", path, line)
    if witness.siglum in _all_members(witness, witnesses, set()):
        raise EditionError(f"[{witness.siglum}] is a member of itself", path, line)


def _all_members(witness: Witness, witnesses: dict[str, Witness], seen: set[str]) -> set[str]:
    for member in witness.members:
        if member not in seen:
            seen.add(member)
            _all_members(witnesses[member], witnesses, seen)
    return seen


def merge_witnesses(register: dict[str, Witness], declared: dict[str, Witness]) -> None:
    """Add the file's witnesses to those the sources declared (TEI `listWit`): a siglum
    declared in both is an error at the file's line, naming the other place."""
    for siglum, witness in declared.items():
        if siglum in register:
            other = register[siglum].pos
            where = f" (also declared at {other})" if other else ""
            raise EditionError(f"witness {siglum!r} is declared twice{where}",
                               witness.pos.file if witness.pos else None,
                               witness.pos.line if witness.pos else 0)
        register[siglum] = witness
