"""The short form of a document's title for its running head: composed, never cut.

A running head is one line. A title that does not fit is not cut with an ellipsis (a
proofreader marks that) but replaced by a short form, the first of:

1. the one the edition gives: the settings' `[running_heads]` table (document number →
   head), the document's `short_title` (Markdown front matter, TEI `<head type="short">`);
2. the title itself, when it fits (less a leading "53. " that repeats the number);
3. for a FRUS-style title, its document type and date: "Memorandum of Discussion at the
   303d Meeting of the National Security Council, Washington, November 1, 1956" →
   "Memorandum of Discussion, November 1, 1956". The type is the title up to its first
   clause or preposition (", ", " at ", " from ", " to ", " between " …), the date the
   document's date or the one the title ends with;
4. the type alone, the title's leading clauses that fit, the date alone, and at last the
   title's leading words that fit — all whole words, never an ellipsis. A chapter or a
   part (no type, no date) takes its longest leading clauses that fit, then words.
"""

from __future__ import annotations

import datetime
import re

__all__ = ["running_head"]

# Where a document type ends in a FRUS title: a clause mark or a preposition that
# introduces the writer, the addressee, the place or the subject.
_TYPE_END = re.compile(
    r"\s*[,;:(\u2014]|\s(?:at|by|from|to|between|with|for|on|in|among|concerning|"
    r"regarding|during)\s", re.IGNORECASE)
# A date the title ends with, before an optional time ("…, March 5, 1957, 12:05 p.m.").
_MONTHS = ("January|February|March|April|May|June|July|August|September|October|"
           "November|December")
_TITLE_DATE = re.compile(rf"(?:{_MONTHS})\s+\d{{1,2}},\s+\d{{4}}")
# A leading "53. " or "53 " that repeats the document's number.
_NUMBER = r"^{number}\.?\s+"


def running_head(title: str, number: str, date: str, budget: int,
                 given: str = "", document: bool = True) -> str:
    """The head for a title of `title` (plain text) in at most `budget` characters.

    A `document` is named by its type and date; a chapter or part by its leading clauses.
    """
    if given:
        return given
    if number:
        title = re.sub(_NUMBER.format(number=re.escape(number)), "", title, count=1)
    title = title.strip()
    candidates = (_candidates(title, _date(date, title)) if document
                  else [title, *reversed(_clauses(title))])
    for candidate in candidates:
        if candidate and len(candidate) <= budget:
            return candidate
    return _words(title, budget)


def _candidates(title: str, date: str) -> list[str]:
    kind = _TYPE_END.split(title, maxsplit=1)[0].strip()
    short_kind = kind.split(" of ")[0] if " of " in kind else ""
    found = [title]
    if date and kind and date not in kind:
        found += [f"{kind}, {date}", f"{short_kind}, {date}" if short_kind else ""]
    found += [kind, *reversed(_clauses(title)), date]
    return found


def _clauses(title: str) -> list[str]:
    """The title's leading clauses: "A, B, C" → ["A", "A, B"]."""
    cuts = [m.start() for m in re.finditer(r"[,;:]\s", title)]
    return [title[:cut].rstrip() for cut in cuts]


def _date(iso: str, title: str) -> str:
    """`1956-11-22T23:00` → "November 22, 1956"; else the date the title ends with."""
    try:
        when = datetime.date.fromisoformat(iso[:10])
    except ValueError:
        found = _TITLE_DATE.findall(title)
        return found[-1] if found else ""
    return f"{when:%B} {when.day}, {when.year}"


def _words(title: str, budget: int) -> str:
    """The title's leading whole words that fit, without a dangling joiner."""
    words: list[str] = []
    for word in title.split():
        if len(" ".join([*words, word])) > budget:
            break
        words.append(word)
    while words and words[-1].lower() in ("of", "the", "and", "a", "an", "to", "in", "on",
                                          "at", "by", "for", "from", "with", "between"):
        words.pop()
    # An empty title (a division with no head) has no words: no head either.
    return " ".join(words).rstrip(",;:") or (title.split() or [""])[0]
