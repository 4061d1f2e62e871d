"""Volume settings from `edition.toml`, checked against a closed schema.

Unknown keys are errors (a misspelt `trimsize` silently ignored would print a wrong book),
reported with the line they stand on.
"""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from edition import safeio
from edition.errors import EditionError, toml_error

# edition.toml is a page of settings; a file far beyond that is not one.
MAX_SETTINGS_BYTES = 2**20

# Named trim sizes, width × height in millimetres.
TRIM_SIZES: dict[str, tuple[float, float]] = {
    "6x9in": (152.4, 228.6),
    "156x234mm": (156.0, 234.0),
    "a4": (210.0, 297.0),
    "letter": (215.9, 279.4),
    "a5": (148.0, 210.0),
}


@dataclass
class Settings:
    # The book
    title: str = "Untitled Edition"
    subtitle: str = ""
    editors: list[str] = field(default_factory=list)
    publisher: str = ""
    place: str = ""
    year: str = ""
    isbn: str = ""
    edition_statement: str = ""
    rights: str = ""
    keywords: list[str] = field(default_factory=list)
    language: str = "en"
    # The verso's running head when the title is too long for one line (else composed
    # from the title's leading clauses: edition/render/heads.py).
    short_title: str = ""
    # The page (millimetres)
    trim: str = "6x9in"
    margin_top: float = 18.0
    margin_bottom: float = 20.0
    margin_inner: float = 17.0
    margin_outer: float = 30.0
    font_family: str = "Linux Libertine"
    font_size: float = 10.0
    # Notes
    # or "per-document", or "source": each note keeps the number its source prints
    # (the default for TEI that numbers notes per document, as FRUS does)
    note_numbering: str = "continuous"
    note_start: int = 1
    # Where a document begins: "new-page", "recto" or "run-on" (the default for a TEI
    # file of several documents, in chapters or not, as FRUS prints them).
    document_start: str = "new-page"
    # What prints of a transcription's deletions, additions and choices: "diplomatic"
    # (as written) or "reading" (as meant): edition/transform/conventions.py.
    transcription: str = "diplomatic"
    # Running heads the edition gives: document number → head ([running_heads] table),
    # before the source's short title and the composed one (edition/render/heads.py).
    running_heads: dict[str, str] = field(default_factory=dict)
    # The words the program adds, by term ([terms] table), over the language's own
    # (edition/terms.py): `document = "Brief"`.
    terms: dict[str, str] = field(default_factory=dict)
    # Front matter and index
    front_matter: bool = True
    front_pages: list[str] = field(default_factory=list)
    index: bool = True
    # The index of places: printed when the sources have a register of places (a TEI
    # listPlace) and at least one of its places is mentioned.
    index_places: bool = True
    # Critical apparatus: the siglum of the witness whose reading a variant without a
    # lemma prints (TEI `app` of `rdg` only); "" prints the first reading.
    apparatus_base: str = ""
    # The language of the apparatus's labels (om., add., transp.: render/html.py), ""
    # for the edition's; and the edition's own labels over them ("" keeps the table's).
    apparatus_language: str = ""
    apparatus_omission: str = ""
    apparatus_addition: str = ""
    apparatus_transposition: str = ""
    # The apparatus's tier in the note area: "above" the footnotes, or "below" them.
    apparatus_tier: str = "above"
    # Between entries: a "space", or a "bar" (‖) before an entry of another line.
    apparatus_separator: str = "space"
    # How an entry cites a lemma that runs onto another page: its first line, the folio
    # and line of its last word (edition/pdf/lines.py).
    apparatus_across: str = "{line}\u2013p. {page}, {end}"
    # Line numbers (edition/pdf/lines.py): every how many printed, counted per page,
    # document or section, in which margin ("auto": the one the speaker labels leave).
    lines_every: int = 5
    lines_count: str = "page"
    lines_margin: str = "auto"
    # Output
    profile: str = "book"
    show_original_pages: bool = False
    # Profiles (docs/profiles.md). Handout: paper, note numbers, line numbers, index.
    handout_paper: str = "a4"  # never guessed from the locale
    handout_notes: str = "volume"  # or "restart" (from 1 across the handout)
    handout_line_numbers: bool = False
    handout_index: bool = False
    handout_margin_left: float = 40.0  # carries the speaker labels
    handout_margin_right: float = 22.0  # carries the line numbers
    # Print: bleed (mm), printer's marks, page count padded to a multiple of 4 or 16.
    print_bleed: float = 0.0
    print_marks: str = "none"
    print_pad_to: int = 0
    # The printer's ICC output profile (a CMYK 'prtr' profile, e.g. FOGRA39), a file of
    # the edition; without it the PDF/X output intent is sRGB.
    print_output_profile: str = ""
    # Archive: the PDF/A variant.
    archive_variant: str = "pdf/a-3b"
    # Make-up: a plain --strict also fails on pages ending short and unlevel spreads
    # (as --strict=makeup does).
    makeup_strict: bool = False
    # Build: the Dask scheduler ("tcp://host:8786") the runs are laid out on, "" for
    # worker processes on this machine (layout/cluster.py, docs/cluster.md).
    build_scheduler: str = ""
    # Where the settings file was read from, for error messages.
    source: Path | None = None
    # The attributes edition.toml or an override set (the rest are defaults), in the
    # order set: a list, never a set, whose pickle (the cache's key) would change from
    # one process to the next.
    given: list[str] = field(default_factory=list)

    @property
    def trim_mm(self) -> tuple[float, float]:
        return parse_trim(self.trim, self.source)


# edition.toml layout: table name → {key in file: attribute}.
SCHEMA: dict[str, dict[str, str]] = {
    "": {k: k for k in (
        "title", "subtitle", "editors", "publisher", "place", "year", "isbn",
        "edition_statement", "rights", "keywords", "language", "profile",
        "short_title")},
    "page": {"trim": "trim", "margin_top": "margin_top", "margin_bottom": "margin_bottom",
             "margin_inner": "margin_inner", "margin_outer": "margin_outer",
             "font_family": "font_family", "font_size": "font_size",
             "show_original_pages": "show_original_pages"},
    "notes": {"numbering": "note_numbering", "start": "note_start"},
    "documents": {"start": "document_start", "transcription": "transcription"},
    "front_matter": {"enabled": "front_matter", "pages": "front_pages"},
    "index": {"enabled": "index", "places": "index_places"},
    "apparatus": {"base": "apparatus_base", "language": "apparatus_language",
                  "omission": "apparatus_omission", "addition": "apparatus_addition",
                  "transposition": "apparatus_transposition", "tier": "apparatus_tier",
                  "separator": "apparatus_separator", "across": "apparatus_across"},
    "lines": {"every": "lines_every", "count": "lines_count", "margin": "lines_margin"},
    "handout": {"paper": "handout_paper", "notes": "handout_notes",
                "line_numbers": "handout_line_numbers", "index": "handout_index",
                "margin_left": "handout_margin_left", "margin_right": "handout_margin_right"},
    "print": {"bleed": "print_bleed", "marks": "print_marks", "pad_to": "print_pad_to",
              "output_profile": "print_output_profile"},
    "archive": {"variant": "archive_variant"},
    "makeup": {"strict": "makeup_strict"},
    "build": {"scheduler": "build_scheduler"},
}

# Tables whose keys are the edition's own (document numbers): table → attribute.
MAPPINGS = {"running_heads": "running_heads", "terms": "terms"}

CHOICES = {
    "note_numbering": ("continuous", "per-document", "source"),
    "document_start": ("new-page", "recto", "run-on"),
    "transcription": ("diplomatic", "reading"),
    "handout_paper": ("a4", "letter"),
    "handout_notes": ("volume", "restart"),
    "print_marks": ("none", "crop", "cross", "crop cross"),
    "print_pad_to": (0, 4, 16),
    "archive_variant": ("pdf/a-3b", "pdf/a-2u", "pdf/a-3a"),
    "lines_count": ("page", "document", "section"),
    "apparatus_tier": ("above", "below"),
    "apparatus_separator": ("space", "bar"),
    "lines_margin": ("auto", "outer", "inner", "left", "right"),
}


def parse_trim(trim: str, source: Path | None = None) -> tuple[float, float]:
    key = trim.strip().lower().replace(" ", "").replace("×", "x")
    if key in TRIM_SIZES:
        return TRIM_SIZES[key]
    m = re.fullmatch(r"(\d+(?:\.\d+)?)x(\d+(?:\.\d+)?)(mm|in|cm)", key)
    if not m:
        raise EditionError(
            f"unknown trim size {trim!r} (use 6x9in, 156x234mm, a4, letter or WxHmm)",
            source, _line_of_key(source, "trim", "page"))
    scale = {"mm": 1.0, "cm": 10.0, "in": 25.4}[m.group(3)]
    return float(m.group(1)) * scale, float(m.group(2)) * scale


def _line_of_key(path: Path | None, key: str, table: str = "") -> int:
    """The line where `key` is set, found by scanning: tomllib keeps no positions."""
    if path is None or not path.exists():
        return 0
    text = safeio.text_or_none(path, MAX_SETTINGS_BYTES)
    current = ""
    for number, raw in enumerate((text or "").splitlines(), 1):
        line = raw.strip()
        if m := re.fullmatch(r"\[\s*([^\]]+?)\s*\]", line):
            current = m.group(1)
            if key == current and not table:
                return number
        elif re.match(rf"{re.escape(key)}\s*=", line) and current == table:
            return number
    return 0


@dataclass(frozen=True)
class Origin:
    """Where settings were given, for their errors: a TOML file (edition.toml, a
    --defaults file), whose keys are found by line, or an option (`-M page.trim`), which
    is its own place."""

    name: str | Path | None
    is_file: bool = True

    def place(self, key: str, table: str = "") -> tuple[str | Path | None, int]:
        """The file and line (or the option, line 0) where `key` of `table` was set."""
        if not self.is_file:
            return self.name, 0
        return self.name, _line_of_key(self.name, key, table)


@dataclass(frozen=True)
class Given:
    """An override's value with the place it was given (-M, --defaults), so that a
    problem with it is reported there and not at a line of edition.toml."""

    value: Any
    origin: Origin


def read_toml(path: Path, limit: int = MAX_SETTINGS_BYTES, root: Path | None = None
              ) -> dict[str, Any]:
    """A settings file's tables; malformed TOML is an error at its line."""
    text = safeio.read_text(path, limit, root)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message, line, column = toml_error(exc, text)
        raise EditionError(f"malformed TOML: {message}", path, line, column) from None


def load_settings(path: Path | None, **overrides: Any) -> Settings:
    """Read `edition.toml` (or defaults when `path` is None) and apply overrides: values
    by attribute, plain (the CLI's options, a source's header) or `Given` (-M, --defaults:
    checked as edition.toml's keys were, reported where they were given)."""
    settings = Settings(source=path)
    origins: dict[str, Origin] = {}
    if path is not None:
        _apply(settings, read_toml(path), Origin(path))
    types = {f.name: f.type for f in fields(Settings)}
    for name, value in overrides.items():
        if value is None:
            continue
        origin = Origin(path)
        if isinstance(value, Given):
            value, origin = value.value, value.origin
            origins[name] = origin
        table, key = _where(name)
        value = _coerce(value, types[name], key, origin, table)
        if name in MAPPINGS.values():  # a table of the edition's keys: merged, key by key
            value = {**getattr(settings, name), **value}
        setattr(settings, name, value)
        _mark_given(settings, name)
    _validate(settings, origins)
    return settings


def _mark_given(settings: Settings, attr: str) -> None:
    if attr not in settings.given:
        settings.given.append(attr)


def _apply(settings: Settings, data: dict[str, Any], origin: Origin) -> None:
    for attr, value in entries(data, origin):
        setattr(settings, attr, value)
        _mark_given(settings, attr)


def entries(data: dict[str, Any], origin: Origin) -> Iterator[tuple[str, Any]]:
    """(attribute, value) for each key of a table of settings shaped as edition.toml is,
    each checked: an unknown key or a value of the wrong type is an error at its place."""
    types = {f.name: f.type for f in fields(Settings)}
    for key, value in data.items():
        if key in MAPPINGS:
            yield MAPPINGS[key], _mapping(value, key, origin)
            continue
        if isinstance(value, dict) and key in SCHEMA and key != "":
            table, items = key, value
        else:
            table, items = "", {key: value}
        for sub, item in items.items():
            attr = SCHEMA.get(table, {}).get(sub)
            if attr is None:
                where = f"[{table}] " if table else ""
                raise EditionError(f"unknown setting {where}{sub!r}",
                                   *origin.place(sub, table))
            yield attr, _coerce(item, types[attr], sub, origin, table)


def _mapping(value: Any, key: str, origin: Origin) -> dict[str, str]:
    """A table of text by key (`[running_heads]` "53" = "…"): every value a string."""
    if not isinstance(value, dict):
        raise EditionError(f"setting {key!r} should be a table, not {value!r}",
                           *origin.place(key))
    for sub, item in value.items():
        if not isinstance(item, str):
            raise EditionError(f"[{key}] {sub!r} should be text, not {item!r}",
                               *origin.place(sub, key))
    return dict(value)


def _coerce(value: Any, type_name: str, key: str, origin: Origin, table: str) -> Any:
    if type_name.startswith("dict"):
        return _mapping(value, table or key, origin)
    if not _has_type(value, type_name):
        raise EditionError(f"setting {key!r} should be {type_name}, not {value!r}",
                           *origin.place(key, table))
    return float(value) if type_name == "float" else value


def _has_type(value: Any, type_name: str) -> bool:
    """Whether `value` is of the field's declared type, list elements included: a number
    where a name belongs would only fail inside WeasyPrint, when the PDF is written."""
    if type_name == "list[str]":
        return isinstance(value, list) and all(isinstance(item, str) for item in value)
    expected = {"str": str, "float": (int, float), "int": int, "bool": bool}.get(type_name)
    if type_name in ("int", "float") and isinstance(value, bool):
        return False
    return expected is not None and isinstance(value, expected)


def _where(attr: str) -> tuple[str, str]:
    """The table and key of edition.toml that set `attr`."""
    for table, keys in SCHEMA.items():
        for key, target in keys.items():
            if target == attr:
                return table, key
    mapping = next((table for table, target in MAPPINGS.items() if target == attr), None)
    return ("", mapping) if mapping else ("", attr)


# Where a value was set, by attribute: (file or option, line).
Place = Callable[..., tuple[str | Path | None, int]]


def _placer(settings: Settings, origins: dict[str, Origin]) -> Place:
    """Where each attribute was set: the override that gave it, else edition.toml."""
    def place(attr: str, key: str | None = None, table: str | None = None):
        where_table, where_key = _where(attr)
        origin = origins.get(attr, Origin(settings.source))
        return origin.place(where_key if key is None else key,
                            where_table if table is None else table)
    return place


def _validate(settings: Settings, origins: dict[str, Origin]) -> None:
    """The values checked together, each problem reported where its value was set."""
    place = _placer(settings, origins)
    _check_terms(settings, place)
    for attr, allowed in CHOICES.items():
        value = getattr(settings, attr)
        if value not in allowed:
            raise EditionError(f"{attr.replace('_', ' ')} must be one of "
                               f"{', '.join(map(str, allowed))}, "
                               f"not {value!r}", *place(attr))
    try:
        settings.trim_mm  # noqa: B018  (raises on a bad trim size)
    except EditionError as exc:
        raise EditionError(exc.message, *place("trim")) from None
    _check_page(settings, place)
    _check_numbers(settings, place)
    _check_names(settings, place)
    _check_across(settings, place)


# What `[apparatus] across` may name: the lemma's first line, the folio and line it ends on.
ACROSS_FIELDS = frozenset({"line", "page", "end"})


def _check_across(settings: Settings, place: Place) -> None:
    try:
        fields = {name for _, name, spec, conv in string.Formatter().parse(
            settings.apparatus_across) if name is not None and not spec and not conv}
        named = {name for _, name, _, _ in string.Formatter().parse(
            settings.apparatus_across) if name is not None}
    except ValueError:
        fields, named = set(), {"?"}
    if named != fields or not fields <= ACROSS_FIELDS or "line" not in fields:
        raise EditionError("apparatus across must name {line}, and may name {page} and "
                           f"{{end}}, nothing else: not {settings.apparatus_across!r}",
                           *place("apparatus_across"))


# Numbers TOML allows but no page can have (nan, inf, 1e300): WeasyPrint divides by zero
# or lays out forever on them, so they are errors before layout.
FONT_SIZE_PT = (1.0, 200.0)
# PDF pages end at 200 inches (14,400 pt).
MAX_TRIM_MM = 5080.0
MARGINS = ("margin_top", "margin_bottom", "margin_inner", "margin_outer",
           "handout_margin_left", "handout_margin_right")
# The least text block a page may leave, in the type's ems and lines: a narrower one sets
# a word or two a line, a lower one a line or two a page (a page of 0.001 mm built 40
# pages without text).
MIN_MEASURE_EM = 10
MIN_LINES = 5
LINE_HEIGHT_EM = 1.3
MM_PER_PT = 25.4 / 72
# Titles (the volume's, a document's) at most: the longest document title of FRUS or
# CWIHP volumes is a few hundred characters; one longer than a page cannot be set.
MAX_TITLE_CHARS = 1000
# Line numbers every N lines: more than a page's lines would print none.
MAX_LINES_EVERY = 100


def _check_terms(settings: Settings, place: Place) -> None:
    """`[terms]` names only terms the program prints (edition/terms.py)."""
    from edition.terms import TERMS  # the table imports nothing of the settings

    for key in settings.terms:
        if key not in TERMS["en"]:
            raise EditionError(f"[terms] unknown term {key!r} (known: "
                               f"{', '.join(TERMS['en'])})",
                               *place("terms", key, "terms"))


def _check_page(settings: Settings, place: Place) -> None:
    def fail(message: str, attr: str) -> EditionError:
        return EditionError(message, *place(attr))

    width, height = settings.trim_mm
    if not (0 < width <= MAX_TRIM_MM and 0 < height <= MAX_TRIM_MM):
        raise fail(f"trim size {settings.trim!r} is not a page size (0 to {MAX_TRIM_MM:g} mm)",
                   "trim")
    low, high = FONT_SIZE_PT
    if not low <= settings.font_size <= high:  # also false for nan
        raise fail(f"font_size must be between {low:g} and {high:g} pt, not "
                   f"{settings.font_size!r}", "font_size")
    for name in MARGINS:
        value = getattr(settings, name)
        if not 0 <= value <= MAX_TRIM_MM:  # also false for nan
            raise fail(f"{name.removeprefix('handout_')} must be a length from 0 to "
                       f"{MAX_TRIM_MM:g} mm, not {value!r}", name)
    _check_text_block(settings, width - settings.margin_inner - settings.margin_outer,
                      height - settings.margin_top - settings.margin_bottom,
                      ("trim", *MARGINS[:4]), "the page", place)
    paper_width, paper_height = TRIM_SIZES[settings.handout_paper]
    _check_text_block(settings, paper_width - settings.handout_margin_left
                      - settings.handout_margin_right,
                      paper_height - settings.margin_top - settings.margin_bottom,
                      (*MARGINS[4:], "handout_paper", *MARGINS[:2]), "a handout's page",
                      place)


def _check_text_block(settings: Settings, width: float, height: float,
                      attrs: tuple[str, ...], page: str, place: Place) -> None:
    """The text block the margins leave on `page` ("the page", "a handout's page") must
    hold MIN_LINES lines of MIN_MEASURE_EM ems of the type; the error stands where the
    first of `attrs` that was set was set (a line of a file, or an option)."""
    where = next((found for found in map(place, attrs)
                  if found[1] or found[0] != settings.source), (settings.source, 0))
    if width <= 0 or height <= 0:
        raise EditionError(f"the margins leave no room for text on {page}", *where)
    em = settings.font_size * MM_PER_PT
    least_width, least_height = MIN_MEASURE_EM * em, MIN_LINES * LINE_HEIGHT_EM * em
    if width < least_width or height < least_height:
        raise EditionError(
            f"the margins leave a text block of {width:.4g} × {height:.4g} mm on {page}, "
            f"less than {MIN_LINES} lines of {MIN_MEASURE_EM} ems of {settings.font_size:g} pt "
            f"type ({least_width:.3g} × {least_height:.3g} mm)", *where)


def _check_numbers(settings: Settings, place: Place) -> None:
    if settings.note_start < 1:
        raise EditionError(f"notes start must be 1 or more, not {settings.note_start}",
                           *place("note_start"))
    if not 1 <= settings.lines_every <= MAX_LINES_EVERY:
        raise EditionError(f"lines every must be from 1 to {MAX_LINES_EVERY}, not "
                           f"{settings.lines_every}", *place("lines_every"))
    for attr in ("title", "subtitle", "short_title"):
        value = getattr(settings, attr)
        if len(value) > MAX_TITLE_CHARS:
            raise EditionError(f"{attr.replace('_', ' ')} longer than {MAX_TITLE_CHARS:,} "
                               "characters: more than a page can set", *place(attr))


# A font family name as fontconfig knows them ("Linux Libertine", "Noto Serif CJK JP",
# "EB Garamond 12"): letters, digits, spaces, hyphens, underscores and dots. Nothing
# else, so the value can never end the CSS string it is written into (render/css.py
# escapes too) and never names a URL.
FONT_FAMILY = re.compile(r"(?:[^\W_]|[ ._-])+")
MAX_FONT_FAMILY = 100
# A BCP 47 language tag (en, hu, en-US, zh-Hant-TW), the HTML's lang and hyphenation.
LANGUAGE = re.compile(r"(?:[A-Za-z0-9]{1,8}(?:[-_][A-Za-z0-9]{1,8})*)?")


def _check_names(settings: Settings, place: Place) -> None:
    family = settings.font_family
    if family.strip() and not (FONT_FAMILY.fullmatch(family)
                               and len(family) <= MAX_FONT_FAMILY):
        raise EditionError(
            f"font_family must be a font's name (letters, digits, spaces, hyphens, dots; "
            f"at most {MAX_FONT_FAMILY} characters), not {family[:60]!r}",
            *place("font_family"))
    if not LANGUAGE.fullmatch(settings.language):
        raise EditionError(f"language must be a language tag such as en, hu or en-US, "
                           f"not {settings.language[:60]!r}", *place("language"))
