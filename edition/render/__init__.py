"""Render stage: the model → HTML strings (body, front matter) and the stylesheets.

Typical use by the layout stage::

    html = render_body(volume)
    css = stylesheets(volume.settings)
    weasyprint.HTML(string=html, base_url=...).render(stylesheets=css,
                                                      font_config=font_config())

The @font-face rules of the bundled fonts are registered in the `FontConfiguration` the
stylesheets were built with, so the same object must be passed to `render`/`write_pdf`.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from weasyprint import CSS
from weasyprint.text.fonts import FontConfiguration

from edition.fetcher import EditionFetcher, make_url_fetcher
from edition.model import Document, Pair, Paragraph, Volume, ids, walk
from edition.profiles import Profile, get_profile, resolve
from edition.render.css import settings_css
from edition.render.display import display_runs
from edition.render.heads import running_head
from edition.render.html import HtmlRenderer, kind_labels, one_line, title_level
from edition.render.lang import typeset_lang
from edition.render.parallel import columns, facing_sides, section_pieces
from edition.resources import styles_dir, templates_dir
from edition.settings import Settings
from edition.terms import terms_for

__all__ = ["STYLES_DIR", "TEMPLATES_DIR", "font_config", "one_line", "render_body",
           "render_front_matter", "render_runs", "stylesheets"]

# Found with importlib.resources: inside the package when installed from a wheel, the
# repository's top-level styles/ in a checkout (edition/resources.py).
STYLES_DIR = styles_dir()
TEMPLATES_DIR = templates_dir()

_env = Environment(loader=FileSystemLoader(TEMPLATES_DIR),
                   autoescape=select_autoescape(["html"]),
                   trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
# Display lines cut into runs that stay whole (year ranges): the templates' `display`.
_env.filters["display"] = display_runs

_font_config: FontConfiguration | None = None

# ISO dates and times, and other values for machines: never printed as they stand.
_MACHINE_DATE = re.compile(r"[\d\-:T+.Z/ ]*")

# Characters of a title that fit a running head after "Document No. 53: " on the
# narrowest trim (6 × 9 in).
RUNNING_HEAD = 58
# A head that is the whole line: a chapter's, the volume's.
CHAPTER_HEAD = RUNNING_HEAD + len("Document No. 000: ")


def font_config() -> FontConfiguration:
    """The process-wide font configuration the bundled @font-face rules are loaded into."""
    global _font_config
    if _font_config is None:
        _font_config = FontConfiguration()
    return _font_config


def render_body(volume: Volume, profile: Profile | None = None) -> str:
    """One HTML document with every document of the volume, in order.

    `profile` (default: the book) names the `profile-<name>` class of the HTML.
    """
    return render_runs(volume, [range(len(volume.documents))], profile)[0]


def render_runs(volume: Volume, runs: list[range],
                profile: Profile | None = None) -> list[str]:
    """One HTML document per run of documents (`runs`: indexes into the volume's
    documents), each laid out on its own (layout/runs.py). The documents are rendered
    in one pass over the whole volume, so notes and ids are numbered as in one part."""
    profile = profile or get_profile("book")
    documents = _rendered(volume, profile)
    return [_page_html(volume, profile, [documents[i] for i in run]) for run in runs]


def render_segments(volume: Volume, segments: list[range | Pair],
                    profile: Profile) -> list[str | tuple[list[str], list[str]]]:
    """As `render_runs`, where a segment may be a pair set on facing pages: for it, the
    HTML of each of its section pairs' sides, original and translation ("" where the
    translation has no section), each laid out on its own (layout/facing.py)."""
    documents = _rendered(volume, profile)
    index = {id(doc): k for k, doc in enumerate(volume.documents)}
    numbers = {id(pair): k for k, pair in enumerate(volume.pairs)}
    out: list[str | tuple[list[str], list[str]]] = []
    for segment in segments:
        if isinstance(segment, range):
            out.append(_page_html(volume, profile, [documents[i] for i in segment]))
            continue
        sides = facing_sides(numbers[id(segment)], segment,
                             documents[index[id(segment.original)]],
                             documents[index[id(segment.translation)]])
        out.append(tuple([_page_html(volume, profile, [values]) if values else ""
                          for values in side] for side in sides))
    return out


def _rendered(volume: Volume, profile: Profile) -> list[dict[str, object] | None]:
    """The template values of every document, in one pass over the volume (None for a
    translation its original's section holds)."""
    settings = volume.settings
    renderer = HtmlRenderer(volume.documents, settings.note_start, terms_for(settings))
    renderer.line_count = settings.lines_count
    renderer.apparatus_below = settings.apparatus_tier == "below"
    renderer.apparatus_bars = settings.apparatus_separator == "bar"
    renderer.apparatus_across = settings.apparatus_across
    renderer.kind_labels = kind_labels(settings.apparatus_language or settings.language, {
        "omission": settings.apparatus_omission, "addition": settings.apparatus_addition,
        "transposition": settings.apparatus_transposition})
    opens = walk.openings(volume.documents)
    sectioned = _sectioned(volume, profile)
    documents: list[dict[str, object] | None] = [
        _document(renderer, doc, settings, onto, id(doc) in sectioned)
        for doc, onto in zip(volume.documents, opens, strict=True)]
    _set_side_by_side(volume, profile, documents)
    return documents


def _page_html(volume: Volume, profile: Profile,
               documents: list[dict[str, object] | None]) -> str:
    """One part's HTML document holding `documents` (their template values)."""
    settings = volume.settings
    return _env.get_template("body.html").render(
        lang=typeset_lang(settings.language), title=settings.title, profile=profile.name,
        head=volume_head(settings), terms=terms_for(settings),
        documents=documents, start=settings.document_start)


def _sectioned(volume: Volume, profile: Profile) -> set[int]:
    """The documents the profile sets side by side with their pair, by `id`."""
    if profile.parallel == "sequence":
        return set()
    return {id(doc) for pair in volume.pairs for doc in (pair.original, pair.translation)}


def _set_side_by_side(volume: Volume, profile: Profile,
                      documents: list[dict[str, object] | None]) -> None:
    """Each pair as its original's section holding the two texts in columns; the
    translation's own section is dropped (None)."""
    if profile.parallel != "columns":
        return
    index = {id(doc): k for k, doc in enumerate(volume.documents)}
    for number, pair in enumerate(volume.pairs):
        original = documents[index[id(pair.original)]]
        translation = documents[index[id(pair.translation)]]
        assert original is not None and translation is not None
        original["body"] = columns(number, pair, original, translation)
        documents[index[id(pair.translation)]] = None


def _document(renderer: HtmlRenderer, doc: Document, settings: Settings,
              onto: Document | None = None, sectioned: bool = False) -> dict[str, object]:
    """The template's values for `doc`; `onto`: the document whose page it opens, when
    it is an opening (model.walk.openings); `sectioned`: its body a list of its
    sections' HTML (render/parallel.py sets them beside its pair's)."""
    renderer.begin_document(doc)
    # Order matters: notes get their fallback numbers in reading order.
    title = renderer.inlines(doc.title + _marks_only(doc))
    headnote = renderer.blocks(doc.headnote)
    body = (section_pieces(renderer, doc) if sectioned
            else renderer.blocks([] if _marks_only(doc) else doc.body))
    colophon = renderer.colophon(doc.colophon)
    return {
        "id": renderer.document_id(doc),
        "number": doc.number,
        "own_number": doc.own_number,
        "numbered": doc.numbered,
        "kind": doc.kind or "document",
        # The title's heading level in the tagged PDF (a part H1, a document H2).
        "tag": f"H{title_level(doc.kind or 'document')}",
        # An opening's section is marked `opening opens-<kind of what follows>`: the
        # stylesheets set it on that page, with no break after it (base.css, book.css).
        "opens": (onto.kind or "document") if onto is not None else "",
        "lang": typeset_lang(doc.lang or settings.language),
        # A running head is one line: a title too long gets a composed short form.
        "short": _short(doc, settings),
        "title": title,
        "plain_title": one_line(doc.title),
        # The source's own dateline is the one date the series prints: no added line.
        "date": "" if _has_dateline(doc) else printed_date(doc.date, one_line(doc.title)),
        "headnote": headnote,
        "body": body,
        "colophon": colophon,
    }


def _marks_only(doc: Document) -> list:
    """The page markers and anchors that are all a division's text holds (a TEI `pb`
    between its head and its first document), to be set in its title: a paragraph of
    them alone would print nothing and yet keep the title's space below from collapsing
    with the next heading's, a line's worth more between the two (issue 24)."""
    if walk.has_own_text(doc) or doc.headnote or doc.colophon or not doc.body:
        return []
    if not all(walk.marks_only(block) for block in doc.body):
        return []
    return [node for block in doc.body for node in block.inlines]


def volume_head(settings: Settings) -> str:
    """The volume's running head (the verso's): its short title, or its leading clauses."""
    return running_head(settings.title, "", "", CHAPTER_HEAD, settings.short_title,
                        document=False)


def _short(doc: Document, settings: Settings) -> str:
    """The document's running head: given by the settings or the source, or composed."""
    document = doc.kind == "document"
    budget = RUNNING_HEAD if document else CHAPTER_HEAD
    given = settings.running_heads.get(doc.number, "") or doc.short_title
    return running_head(one_line(doc.title), doc.number, doc.date, budget, given, document)


def printed_date(iso: str, title: str) -> str:
    """`1956-10-31` → `October 31, 1956`; nothing when the title already says it.

    A date with a time (`1956-11-01T21:00:00+01:00`) prints its day; a date in words
    prints as written; a machine value that is neither prints nothing, never raw.
    """
    try:
        when = datetime.date.fromisoformat(iso[:10])
    except ValueError:
        text = "" if _MACHINE_DATE.fullmatch(iso) else iso
    else:
        text = f"{when:%B} {when.day}, {when.year}"
    return "" if text in title else text


def _has_dateline(doc: Document) -> bool:
    """Whether the document prints a dateline of its own (a TEI `<dateline>`)."""
    return any(isinstance(b, Paragraph) and "dateline" in b.roles
               for b in walk.blocks(doc.headnote, doc.body))


def render_front_matter(volume: Volume, toc: list[tuple[str, str, str]],
                        profile: Profile | None = None) -> str:
    """Half title, title page, copyright page, contents and the volume's front pages.

    `toc` holds (document number, title, page label) for each contents line after the
    front pages'; `profile` (default: the one the settings name) names the
    `profile-<name>` class of the HTML. The contents open with a line for each front
    page, whose folio the layout fills in (`target-counter()` of the page its section
    starts on, base.css): this part's own folios are known only once it is laid out.
    """
    settings = volume.settings
    renderer = HtmlRenderer([], settings.note_start)
    pages = []
    for page in volume.front_pages:
        pages.append({
            "id": renderer.unique(page.id or ids.front_page(page.title.lower())),
            "title": page.title,
            "body": renderer.blocks(page.blocks),
        })
    # (number, title, folio, id of the section whose folio the layout gives, or "")
    entries = [("", page["title"], "", page["id"]) for page in pages]
    entries += [(number, title, folio, "") for number, title, folio in toc]
    return _env.get_template("front_matter.html").render(
        s=settings, lang=typeset_lang(settings.language), toc=entries, pages=pages,
        profile=profile.name if profile else settings.profile,
        font=settings.font_family, ids=ids, terms=terms_for(settings))


def stylesheets(settings: Settings, profile: Profile | str | None = None,
                fonts: FontConfiguration | None = None,
                url_fetcher: EditionFetcher | None = None,
                styles: Path = STYLES_DIR) -> list[CSS]:
    """base.css, the profile's css (if there is one) and the settings' page and type.

    `profile` is the resolved profile. A name (default "book") only picks the css; the
    page is then the one of the profile the settings name. Every sheet is parsed through
    `url_fetcher` (the build's: the edition and the package's styles; by default the
    styles alone): WeasyPrint fetches @font-face and @import URLs while parsing.
    `styles`: the folder of the package's styles and fonts, or a copy of it (a cluster
    worker's: layout/cluster.py).
    """
    if isinstance(profile, Profile):
        name = profile.name
    else:
        name, profile = profile or "book", resolve(settings)
    fonts = fonts or font_config()
    fetch = url_fetcher or make_url_fetcher([styles])
    sheets = [CSS(filename=str(styles / "base.css"), font_config=fonts,
                  url_fetcher=fetch)]
    profile_css = styles / f"{name}.css"
    if profile_css.is_file():
        sheets.append(CSS(filename=str(profile_css), font_config=fonts, url_fetcher=fetch))
    sheets.append(CSS(string=settings_css(settings, profile),
                      base_url=str(styles) + "/", font_config=fonts, url_fetcher=fetch))
    return sheets
