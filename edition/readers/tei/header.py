"""The teiHeader → settings, for a volume that has no edition.toml of its own.

Only what the header states: the keys are Settings fields (title, subtitle, editors,
publisher, place, year, rights, isbn, language, keywords, edition_statement).
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from edition.readers.tei.xml import XML_LANG, _children, _descendants, _first, _local, _text


def _header_settings(header: etree._Element | None, text: etree._Element | None,
                     root: etree._Element) -> dict[str, Any]:
    """teiHeader → a dict keyed like Settings fields; only what the header states."""
    out: dict[str, Any] = {}
    if header is None:
        return out
    file_desc = _first(header, "fileDesc")
    title_stmt = _first(file_desc, "titleStmt") if file_desc is not None else None
    pub = _first(file_desc, "publicationStmt") if file_desc is not None else None
    if title_stmt is not None:
        _titles(title_stmt, out)
        editors = [_text(e) for e in _children(title_stmt) if _local(e) == "editor"]
        if editors:
            out["editors"] = [e for e in editors if e]
    if file_desc is not None and (ed := next(_descendants(file_desc, "edition"), None)) is not None:
        out["edition_statement"] = _text(ed)
    if pub is not None:
        _publication(pub, out)
    if lang := _language(header, text, root):
        out["language"] = lang
    keywords = [_text(t) for k in _descendants(header, "keywords") for t in _children(k, "term")]
    if keywords:
        out["keywords"] = keywords
    return out


def source_language(root: etree._Element) -> str:
    """The language the file says its text is in (xml:lang, else `langUsage`), or ""."""
    return _language(_first(root, "teiHeader"), _first(root, "text"), root) or ""


def _language(header: etree._Element | None, text: etree._Element | None,
              root: etree._Element) -> str | None:
    """The xml:lang of the root or the text, else the header's first `language/@ident`."""
    lang = root.get(XML_LANG) or (text.get(XML_LANG) if text is not None else None)
    if not lang and header is not None:
        language = next(_descendants(header, "language"), None)
        lang = language.get("ident") if language is not None else None
    return lang


def _titles(title_stmt: etree._Element, out: dict[str, Any]) -> None:
    # A title of level "a" is the piece's (a letter's), not the volume's.
    titles = [t for t in _children(title_stmt, "title") if t.get("level") != "a"]
    # The first title of each type wins.
    by_type = {t.get("type", ""): _text(t) for t in reversed(titles)}
    main = next((_text(t) for t in titles if t.get("type") in (None, "", "main", "complete")),
                "")
    sub = by_type.get("sub") or by_type.get("subtitle") or ""
    short = by_type.get("short", "")
    # `Short: the rest` as the complete title is a title and a subtitle.
    if not sub and short and main.startswith(short) and main[len(short):].startswith(":"):
        main, sub = short, main[len(short) + 1:].strip()
    if main or short:
        out["title"] = main or short
    if sub:
        out["subtitle"] = sub


def _publication(pub: etree._Element, out: dict[str, Any]) -> None:
    publisher = _first(pub, "publisher", "distributor", "authority")
    if publisher is not None:
        out["publisher"] = _text(publisher)
    place = _first(pub, "pubPlace")
    if place is not None:
        out["place"] = _text(place)
    dates = [d for d in _children(pub, "date") if d.get("type") != "created"]
    if dates:
        m = re.search(r"\b(\d{4})\b", dates[0].get("when", "") or _text(dates[0]))
        if m:
            out["year"] = m.group(1)
    availability = _first(pub, "availability")
    if availability is not None:
        out["rights"] = _text(availability)
    for idno in _children(pub, "idno"):
        if idno.get("type", "").upper() == "ISBN":
            out["isbn"] = _text(idno)
