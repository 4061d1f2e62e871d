"""A file that transcribes one document (a letter, a diary entry, a single manuscript).

Letter editions publish one TEI file per letter: the header describes the one document
(`correspDesc`: who wrote to whom, where and when; `msDesc/msIdentifier`: the archive and
its signature) and the body holds its text, often in divisions of its own
(`div type="writingSession"`) that are parts of the letter, not documents. Such a file
is one document: its title is its own head, else the header's title of the piece
(`titleStmt/title[@level="a"]`, or a main title that is not a series'), else one made
from `correspDesc` in the document's language; the archive and signature are its
source colophon.
"""

from __future__ import annotations

import datetime

from lxml import etree

from edition.readers.tei.xml import _children, _descendants, _first, _key, _local, _text

# Divisions of a text that make a volume of documents: a file holding one is no single
# document.
DOCUMENT_DIVISIONS = ("document",)
# "A to B" by language; a language not here writes the English word.
_TO = {"en": "to", "de": "an", "fr": "à", "it": "a", "es": "a", "pt": "a", "nl": "aan",
       "da": "til", "sv": "till", "nb": "til", "cs": "–", "pl": "do", "hu": "–", "ru": "—",
       "la": "ad"}
_AND = {"en": "and", "de": "und", "fr": "et", "it": "e", "es": "y", "pt": "e", "nl": "en",
        "la": "et", "ru": "и", "pl": "i", "cs": "a", "hu": "és", "da": "og", "sv": "och",
        "nb": "og"}
# Month names for a date the header gives only as a value (`@when`).
_MONTHS = {
    "en": "January February March April May June July August September October November "
          "December",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November "
          "Dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre "
          "décembre",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre "
          "novembre dicembre",
}


def is_single_document(header: etree._Element | None, text: etree._Element | None) -> bool:
    """Whether the file transcribes one document: its header describes one letter or one
    manuscript, and its text holds no documents of its own."""
    if header is None or text is None:
        return False
    described = (next(_descendants(header, "correspDesc"), None) is not None
                 or next(_descendants(header, "msIdentifier"), None) is not None)
    divisions = any(d.get("type") in DOCUMENT_DIVISIONS for d in _descendants(text, "div"))
    return described and not divisions


def piece_title(header: etree._Element | None) -> str:
    """The header's title of the piece itself: `level="a"`, else a main title that is
    no series' or volume's (`level="s"`, `"m"`)."""
    stmt = _title_stmt(header)
    if stmt is None:
        return ""
    titles = list(_children(stmt, "title"))
    for title in titles:
        if title.get("level") == "a" and _text(title):
            return _text(title)
    return ""


def correspondence_title(header: etree._Element | None, lang: str) -> str:
    """"Sender an Addressee, Place, date" from `correspDesc`, as `lang` writes it."""
    desc = next(_descendants(header, "correspDesc"), None) if header is not None else None
    if desc is None:
        return ""
    actions = {a.get("type", ""): a for a in _children(desc, "correspAction")}
    sent, received = actions.get("sent"), actions.get("received")
    primary = (lang or "en").split("-")[0].lower()
    who = _names(sent, primary)
    whom = _names(received, primary)
    title = f"{who} {_TO.get(primary, _TO['en'])} {whom}" if who and whom else who or whom
    place = _text(_first(sent, "placeName")) if sent is not None else ""
    date = _date(_first(sent, "date"), primary) if sent is not None else ""
    return ", ".join(p for p in (title, place, date) if p)


def correspondents(header: etree._Element | None) -> list[tuple[str, str]]:
    """(name as a title writes it, person key) of every sender and addressee with a key."""
    desc = next(_descendants(header, "correspDesc"), None) if header is not None else None
    if desc is None:
        return []
    return [(_natural(_text(p)), _key(p.get("ref") or p.get("key") or p.get("corresp") or ""))
            for action in _children(desc, "correspAction") for p in _children(action, "persName")
            if _text(p) and _key(p.get("ref") or p.get("key") or p.get("corresp") or "")]


def archive_signature(header: etree._Element | None) -> str:
    """`Repository, Settlement, signature` of the manuscript (`msIdentifier`)."""
    ident = next(_descendants(header, "msIdentifier"), None) if header is not None else None
    if ident is None:
        return ""
    parts = [_text(e) for name in ("repository", "collection", "settlement", "idno")
             for e in _children(ident, name)]
    return ", ".join(p for p in parts if p)


def _title_stmt(header: etree._Element | None) -> etree._Element | None:
    desc = _first(header, "fileDesc") if header is not None else None
    return _first(desc, "titleStmt") if desc is not None else None


def _names(action: etree._Element | None, lang: str) -> str:
    """The persons (or organisations) of a correspAction, each written forename first."""
    if action is None:
        return ""
    names = [_natural(_text(e)) for e in _children(action)
             if _local(e) in ("persName", "orgName", "name") and _text(e)]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {_AND.get(lang, _AND['en'])} {names[-1]}"


def _natural(name: str) -> str:
    """`Schnitzler, Arthur` → `Arthur Schnitzler`: an index form as a title writes it."""
    surname, comma, given = name.partition(", ")
    return f"{given} {surname}" if comma and given and "," not in given else name


def _date(date: etree._Element | None, lang: str) -> str:
    """The date as the source writes it, else its value in the language's words."""
    if date is None:
        return ""
    if _text(date):
        return _text(date)
    try:
        when = datetime.date.fromisoformat(date.get("when", "")[:10])
    except ValueError:
        return ""
    month = _MONTHS.get(lang, _MONTHS["en"]).split()[when.month - 1]
    if lang == "en":
        return f"{month} {when.day}, {when.year}"
    return f"{when.day}. {month} {when.year}" if lang == "de" else f"{when.day} {month} {when.year}"
