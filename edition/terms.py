"""The words the program adds to a volume, in the volume's language: one table.

A documentary volume in German prints "Dokument Nr. 3", "[Quelle: …]" and
"Personenregister", not the English words. Every word the program prints of its own
(headings, running heads, the outline, the contents, the indexes, a handout's footer)
comes from here: the templates and Python read `terms_for(settings)`, and the stylesheet
words are generated from it by edition/render/css.py (`terms_css`). The language is the
edition's `language` setting, which a TEI source's `langUsage` or `xml:lang` gives when
edition.toml does not; `[terms]` in edition.toml overrides any word.

A language not in the table prints the English words.
"""

from __future__ import annotations

from typing import Protocol

from edition.languages import primary

__all__ = ["TERMS", "terms_for"]

# Term → its English words; every other language gives the same keys.
_EN = {
    "document": "Document No.",  # before the number: "Document No. 53"
    "source": "Source",  # the colophon: "[Source: …]"
    "contents": "Contents",
    "index": "Index",  # a book's one index
    "index_of_names": "Index of Names",
    "index_of_places": "Index of Places",
    "index_of_subjects": "Index of Subjects",  # a TEI source's own index
    "see": "See",
    "see_also": "See also",
    "page": "page",  # a handout's footer: "page 3 of 12"
    "of": "of",
    "edited_by": "Edited by",
    "and": "and",  # between the last two editors
    "typeset_in": "Typeset in",
    # Before an apparatus continued from the page before (the last resort of a page
    # whose entries do not all fit: layout/engine/tiers.py).
    "continued": "(cont.)",
}

TERMS: dict[str, dict[str, str]] = {
    "en": _EN,
    "de": {"document": "Dokument Nr.", "source": "Quelle", "contents": "Inhalt",
           "index": "Register", "index_of_names": "Personenregister",
           "index_of_places": "Ortsregister", "index_of_subjects": "Sachregister",
           "see": "siehe", "see_also": "siehe auch", "page": "Seite", "of": "von",
           "edited_by": "Herausgegeben von", "and": "und", "typeset_in": "Gesetzt in",
           "continued": "(Forts.)"},
    "fr": {"document": "Document n°", "source": "Source", "contents": "Table des matières",
           "index": "Index", "index_of_names": "Index des noms",
           "index_of_places": "Index des lieux", "index_of_subjects": "Index des matières",
           "see": "voir", "see_also": "voir aussi", "page": "page", "of": "sur",
           "edited_by": "Édité par", "and": "et", "typeset_in": "Composé en",
           "continued": "(suite)"},
    "ru": {"document": "Документ №", "source": "Источник", "contents": "Содержание",
           "index": "Указатель", "index_of_names": "Указатель имён",
           "index_of_places": "Географический указатель",
           "index_of_subjects": "Предметный указатель", "see": "см.",
           "see_also": "см. также", "page": "страница", "of": "из",
           "edited_by": "Под редакцией", "and": "и", "typeset_in": "Набрано шрифтом",
           "continued": "(продолж.)"},
    "la": {"document": "Documentum n.", "source": "Fons", "contents": "Index capitum",
           "index": "Index", "index_of_names": "Index nominum",
           "index_of_places": "Index locorum", "index_of_subjects": "Index rerum",
           "see": "vide", "see_also": "vide etiam", "page": "pagina", "of": "ex",
           "edited_by": "Ediderunt", "and": "et", "typeset_in": "Litteris",
           "continued": "(cont.)"},
    "el": {"document": "Έγγραφο αρ.", "source": "Πηγή", "contents": "Περιεχόμενα",
           "index": "Ευρετήριο", "index_of_names": "Ευρετήριο ονομάτων",
           "index_of_places": "Ευρετήριο τόπων", "index_of_subjects": "Ευρετήριο θεμάτων",
           "see": "βλ.", "see_also": "βλ. επίσης", "page": "σελίδα", "of": "από",
           "edited_by": "Επιμέλεια", "and": "και", "typeset_in": "Στοιχειοθεσία σε",
           "continued": "(συνέχεια)"},
}


class _HasTerms(Protocol):
    language: str
    terms: dict[str, str]


def terms_for(settings: _HasTerms) -> dict[str, str]:
    """Every term in the settings' language, `[terms]` overriding any of them."""
    words = dict(_EN)
    words.update(TERMS.get(primary(settings.language or "en"), {}))
    words.update(settings.terms)
    return words
