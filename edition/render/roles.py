"""The classes a source may give its text; every other class is the program's.

Readers put roles on paragraphs and spans: their own (`supplied`, `list-head`) and the
ones a source asks for (TEI `@rend`, Markdown `{.class}`, `::: right signature`). The
stylesheets and the layout also give meaning to classes the renderer writes itself:
`speaker` is a margin label the layout keeps on one side and takes out of the other,
`orig-page` an original page number kept in the inner margin, `toc-page` a folio the
contents fill in, `fn` a footnote. A source that claimed one of those (`rend="speaker"`,
`[x]{.speaker}`) had its text taken out of the page. So a role is written as a class
only when it is one of ROLES, the looks the stylesheets give to text; any other is
written as `rend-<role>` (a namespace no stylesheet rule of the program's matches), and
its text prints as ordinary text.
"""

from __future__ import annotations

# The roles readers give and sources may ask for, each a look in styles/*.css (or a
# plain run the stylesheets may style later): runs, paragraphs, lines of a container.
ROLES = frozenset({
    # runs
    "title", "foreign", "sic", "abbr", "code", "supplied", "sup", "sub", "smallcaps",
    "label", "stage",
    # transcription conventions and renditions (transform/conventions.py, base.css)
    "del", "add", "gap", "unclear", "choice", "corr", "expan", "orig", "reg", "underline",
    "underline-double", "latintype", "spaced", "struck", "printed", "source-inline",
    "speaker-runin",
    # paragraphs
    "noindent", "subhead", "lines", "list-head", "list-gap",
    # lines of a centred or right-ranged container
    "letterhead", "classification", "signature", "dateline",
})
# The namespace of every other role a source gives.
PREFIX = "rend-"


def role_class(role: str) -> str:
    """The class `role` is written as: itself if it is a look, else namespaced."""
    return role if role in ROLES else PREFIX + role


def role_classes(roles: list[str]) -> list[str]:
    return [role_class(role) for role in roles if role]
