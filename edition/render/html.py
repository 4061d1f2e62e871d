"""Model nodes → HTML fragments, following the HTML contract of docs/pipeline.md.

The recursive part (inlines, blocks, notes) is Python because dispatching on node types is
clumsy in Jinja; the page skeletons are templates. Every fragment returned is `Markup`, so
text from the sources is escaped exactly once.
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape

from edition.errors import EditionError
from edition.model import (
    Apparatus,
    Attachment,
    Block,
    Document,
    Emph,
    Heading,
    IndexAnchor,
    Inline,
    LineBreak,
    ListBlock,
    NameRef,
    NoteCall,
    PageMarker,
    Paragraph,
    Quote,
    Reading,
    Ref,
    Span,
    SpeakerTurn,
    Strong,
    Table,
    Text,
    Verse,
    ids,
    plain_text,
    walk,
)
from edition.model.text import lemmas_near_their_word, words
from edition.render.lang import typeset_lang
from edition.render.roles import role_classes

# Before every note call: no line break may fall between a call and the word it follows.
WORD_JOINER = "\u2060"

# Block tags as they are written inside a footnote: a note sits inside a paragraph, where
# the HTML parser would close the paragraph at any real block element.
_NOTE_TAGS = {"p": "span", "blockquote": "span", "ol": "span", "ul": "span", "li": "span",
              "div": "span", "table": "span"}


def title_level(kind: str) -> int:
    """The structure level (PDF tag H1…H6) of a division's title, from the model: the
    volume and its parts (chapters) 1, a document 2; headings inside it follow on."""
    return 1 if kind == "chapter" else 2


def one_line(inlines: Iterable[Inline]) -> str:
    """The text of inlines on one line (running heads, contents, attributes)."""
    return plain_text(inlines, one_line=True)


class HtmlRenderer:
    """Renders one HTML part; keeps the ids it has issued so none is used twice."""

    def __init__(self, documents: list[Document], note_start: int = 1,
                 terms: dict[str, str] | None = None) -> None:
        # The colophon's word "Source", in the volume's language (edition/terms.py).
        self._source = (terms or {}).get("source", "Source")
        # What an apparatus continued on the next page begins with there (tiers.py).
        self._continued = (terms or {}).get("continued", "(cont.)")
        self._ids: set[str] = set()
        self._turns = 0
        self._names = 0
        # Only used when numbering has not run: number calls in reading order.
        self._next_note = note_start
        self._doc_ids = {d.number: d.id or ids.document(d.number) for d in documents}
        self._doc: Document | None = None
        # Note label → the id of its first call, for `note:` cross-references.
        self._note_ids: dict[str, str] = {}
        self._in_note = 0
        # How lines are counted (`[lines] count`), and the digits an entry's line-number
        # slot must hold in the current document.
        self.line_count = "page"
        self._slot_digits = 2
        # The apparatus's labels (`om.`, `add.` …) in the edition's language, and whether
        # its tier stands below the footnotes (`[apparatus] tier`).
        self.kind_labels = LATIN_LABELS
        self.apparatus_below = False
        self.apparatus_bars = False
        # The source levels of the headings open in the current document (heading_tag).
        self._heads: list[int] = []
        self._title_level = 2
        # How an entry cites a lemma that runs onto the next page (`[apparatus] across`).
        self.apparatus_across = "{line}\u2013p. {page}, {end}"
        # The entries (ids) of the block being rendered whose one-word lemma occurs again
        # near it: only these may need a superscript (ἡμέραν¹).
        self._near: frozenset[int] = frozenset()

    # ------------------------------------------------------------ ids

    def unique(self, wanted: str) -> str:
        """`wanted`, or `wanted-2`, `wanted-3` … if it is taken (deterministic)."""
        candidate, k = wanted, 1
        while candidate in self._ids:
            k += 1
            candidate = f"{wanted}-{k}"
        self._ids.add(candidate)
        return candidate

    def document_id(self, doc: Document) -> str:
        return self.unique(doc.id or self._doc_ids[doc.number])

    # ------------------------------------------------------------ documents

    def begin_document(self, doc: Document) -> None:
        self._doc = doc
        self._note_ids = {}
        self._heads = []
        self._title_level = title_level(doc.kind or "document")
        self._slot_digits = slot_digits(doc, self.line_count)

    # ------------------------------------------------------------ inlines

    def inlines(self, nodes: Iterable[Inline]) -> Markup:
        out = []
        previous = None
        for node in nodes:
            if isinstance(node, NoteCall):
                if isinstance(previous, Text) and out:
                    # A space before a call would let the call begin a line.
                    out[-1] = Markup(out[-1].rstrip())
                out.append(self.note(node, after_call=isinstance(previous, NoteCall)))
            else:
                out.append(self.inline(node))
            previous = node
        return Markup("").join(out)

    def inline(self, node: Inline) -> Markup:
        if isinstance(node, Text):
            return escape(node.text)
        if isinstance(node, Emph):
            return Markup("<em>{}</em>").format(self.inlines(node.children))
        if isinstance(node, Strong):
            return Markup("<strong>{}</strong>").format(self.inlines(node.children))
        if isinstance(node, Span):
            # A source's role never takes on one of the program's (render/roles.py); the
            # language picks the run's hyphenation patterns (WeasyPrint reads `lang`).
            classes = role_classes([node.role])
            lang = Markup(' lang="{}"').format(typeset_lang(node.lang)) if node.lang else ""
            if not classes and not lang:
                return self.inlines(node.children)
            role = Markup(' class="{}"').format(classes[0]) if classes else ""
            return Markup('<span{}{}>{}</span>').format(role, lang, self.inlines(node.children))
        if isinstance(node, NoteCall):
            return self.note(node)
        if isinstance(node, NameRef):
            anchor = node.anchor or ids.name(self._names + 1)
            self._names += 1
            # data-person / data-place: the register key (the index's export, tests).
            return Markup('<span class="name" id="{}" data-{}="{}">{}</span>').format(
                self.unique(anchor), node.kind, node.key, self.inlines(node.children))
        if isinstance(node, LineBreak):
            return Markup("<br>")
        if isinstance(node, Ref):
            return Markup('<a class="ref" href="#{}">{}</a>').format(
                self.ref_target(node.target), self.inlines(node.children))
        if isinstance(node, PageMarker):
            # Set in both margins like a speaker label; the layout keeps the inner one.
            ident = self.unique(ids.page_break(node.n))
            return Markup('<span class="orig-page orig-page-left" id="{0}">[{1}]</span>'
                          '<span class="orig-page orig-page-right" id="{2}">[{1}]</span>'
                          ).format(ident, node.n, ids.recto(ident))
        if isinstance(node, Apparatus):
            return self.apparatus(node)
        if isinstance(node, IndexAnchor):
            # The source's own id, in a namespace of its own: never one of the program's.
            return Markup('<span class="index-anchor" id="{}"></span>').format(
                self.unique(ids.source_anchor(node.id)))
        raise TypeError(f"unknown inline node {type(node).__name__}")

    def ref_target(self, target: str) -> str:
        kind, _, key = target.partition(":")
        if kind == "doc" and key in self._doc_ids:
            return self._doc_ids[key]
        if kind == "note" and self._doc is not None and key in self._doc.notes:
            if key in self._note_ids:
                return self._note_ids[key]
            number = self._doc.notes[key].number
            if number is not None:
                return ids.note(number)
        if target.startswith("#"):  # a TEI ref to an anchor of the source
            return ids.source_anchor(target[1:])
        return ids.fragment(key or target)

    # ------------------------------------------------------------ notes

    def note(self, call: NoteCall, after_call: bool = False) -> Markup:
        doc = self._doc
        note = doc.notes.get(call.label) if doc is not None else None
        if note is None:
            raise EditionError(f"note [^{call.label}] is called but not defined",
                               call.pos.file, call.pos.line)
        number = call.number if call.number is not None else note.number
        if number is None:
            number = self._next_note
            self._next_note += 1
        anchor = self.unique(call.anchor or ids.note(number))
        self._note_ids.setdefault(call.label, anchor)
        self._in_note += 1
        try:
            body = Markup("").join(self.block(b) for b in note.blocks)
        finally:
            self._in_note -= 1
        # No whitespace inside: it would print between the call and the next word. The
        # WORD JOINER before it forbids a line break between the call and what precedes
        # it, so that a call never begins a line; a call right after another call is
        # marked, and the stylesheet sets it apart ("52 53", not "5253").
        classes = "fn fn-next" if after_call else "fn"
        # (the note area's tiers: layout/engine/tiers.py)
        tier = Markup(' data-tier="1"') if self.apparatus_below else Markup("")
        return Markup('{}<span class="{}" id="{}" data-n="{}"{}>{}</span>').format(
            WORD_JOINER, classes, anchor, number, tier, body)

    # ------------------------------------------------------------ apparatus

    def apparatus(self, node: Apparatus) -> Markup:
        """The lemma as text, its entry a float of the apparatus tier right after the
        lemma's first word (so the entry is laid out on the page where that word lands).

        The entry's line number is an empty slot of fixed width: the line is known only
        once the page is laid out (edition/pdf/lines.py fills it), and a slot that never
        changes width lets it be filled without laying the page out again.
        """
        if self._in_note or not (node.readings or node.notes or node.lemma.remarks):
            return self.inlines(node.children)
        lemma_id = self.unique(node.anchor or ids.apparatus(len(self._ids)))
        # The WORD JOINER: the number never stands at a line's end apart from what it
        # cites.
        tier = Markup(' data-tier="2"') if self.apparatus_below else Markup("")
        # The separator's slot, filled like the number's (‖ where the line changes).
        sep = (Markup('<span class="app-sep" id="{}"></span>').format(
            ids.apparatus_sep(lemma_id)) if self.apparatus_bars else Markup(""))
        # A lemma of several words may run onto the next page: its slot then takes the
        # citation of both ends (layout/engine/tiers.py widens it, pdf/lines.py fills it).
        across = (Markup(' data-across="{}"').format(self.apparatus_across)
                  if len(words(plain_text(node.children))) > 1 else Markup(""))
        entry = Markup('<span class="app-entry" id="{}"{} data-cont="{}">{}<span class="app-n '
                       'd{}" id="{}"{}></span>{}{}</span>').format(
            ids.apparatus_entry(lemma_id), tier, self._continued, sep, self._slot_digits,
            ids.apparatus_line(lemma_id), across, WORD_JOINER,
            Markup(" ").join(entry_parts(node, self.kind_labels, self._same_slot(node,
                                                                               lemma_id))))
        head, tail = _first_word(node.children)
        return Markup('<span class="app" id="{}">{}{}{}</span>').format(
            lemma_id, self.inlines(head), entry, self.inlines(tail))

    def _same_slot(self, node: Apparatus, lemma_id: str) -> Markup:
        """The slot for the superscript that tells a one-word lemma from the same word
        on its printed line, where the word occurs again near it; filled once the
        lines are known (edition/pdf/lines.py), like the line number's."""
        cited = words(one_line(node.cited_words()))
        if len(cited) != 1 or id(node) not in self._near:
            return Markup("")
        return Markup('<span class="app-w" id="{}" data-w="{}"></span>').format(
            ids.apparatus_same(lemma_id), cited[0])

    # ------------------------------------------------------------ blocks

    def _tag(self, tag: str) -> str:
        return _NOTE_TAGS.get(tag, tag) if self._in_note else tag

    def _open(self, tag: str, classes: Iterable[str] = (), attrs: str = "") -> Markup:
        """Opening tag; inside a note the tag becomes a span carrying the original name."""
        real = self._tag(tag)
        names = list(classes)
        if real != tag:
            names.insert(0, f"fn-{tag}")
        cls = Markup(' class="{}"').format(" ".join(names)) if names else Markup("")
        return Markup("<{}{}{}>").format(Markup(real), cls, Markup(attrs))

    def _close(self, tag: str) -> Markup:
        return Markup("</{}>").format(Markup(self._tag(tag)))

    def blocks(self, nodes: Iterable[Block]) -> Markup:
        return Markup("\n").join(self.block(b) for b in nodes)

    def block(self, node: Block) -> Markup:
        outer = self._near
        runs = [run for run, _ in walk.inline_runs(node)]
        if runs:
            self._near = lemmas_near_their_word(runs)
        try:
            return self._block(node)
        finally:
            self._near = outer

    def _block(self, node: Block) -> Markup:
        if isinstance(node, Paragraph):
            return self.paragraph(node)
        if isinstance(node, Heading):
            return self.heading(node)
        if isinstance(node, ListBlock):
            return self.list_block(node)
        if isinstance(node, Quote):
            return self._open("blockquote") + self.blocks(node.blocks) + self._close("blockquote")
        if isinstance(node, Verse):
            numbers = [*node.numbers, *[""] * (len(node.lines) - len(node.numbers))]
            lines = Markup("").join(
                Markup('<span class="line"{}>{}</span>').format(
                    Markup(' data-n="{}"').format(n) if n else "", self.inlines(line))
                for line, n in zip(node.lines, numbers, strict=False))
            return self._open("div", ["verse"]) + lines + self._close("div")
        if isinstance(node, Table):
            return self.table(node)
        if isinstance(node, SpeakerTurn):
            return self.turn(node)
        if isinstance(node, Attachment):
            return self.attachment(node)
        raise TypeError(f"unknown block node {type(node).__name__}")

    def paragraph(self, node: Paragraph, extra: Iterable[str] = ()) -> Markup:
        classes = [*extra, *role_classes(node.roles)]
        if node.align != "justify":
            classes.append(f"align-{node.align}")
        return self._open("p", classes) + self.inlines(node.inlines) + self._close("p")

    def heading(self, node: Heading) -> Markup:
        # h1 is the document's own title; headings inside a document start at h2.
        level = min(max(node.level + 1, 2), 6)
        if self._in_note:
            return (Markup('<span class="fn-p fn-heading">{}</span>')
                    .format(self.inlines(node.inlines)))
        # data-bookmark: the PDF outline's text, without note calls (see base.css).
        return Markup('<h{0} class="doc-heading" data-bookmark="{1}" data-pdf-tag="{3}">'
                      '{2}</h{0}>').format(level, one_line(node.inlines),
                                          self.inlines(node.inlines), self.heading_tag(node.level))

    def heading_tag(self, level: int) -> str:
        """The tagged PDF's type for a heading of source level `level`: one below the
        heading it falls under (the nearest before it of a lower level), below the
        document's title, so that the levels never skip one (PDF/UA), whatever the
        source's levels (a `###` right under the title is H3, not H4)."""
        while self._heads and self._heads[-1] >= level:
            self._heads.pop()
        self._heads.append(level)
        return f"H{min(self._title_level + len(self._heads), 6)}"

    def list_block(self, node: ListBlock) -> Markup:
        tag = "ol" if node.ordered else "ul"
        attrs = f' start="{node.start}"' if node.ordered and node.start != 1 else ""
        items = []
        for number, item in enumerate(node.items, node.start):
            # A one-paragraph item is written without <p>, so it takes no paragraph spacing.
            if len(item) == 1 and isinstance(item[0], Paragraph) and not item[0].roles:
                inner = self.inlines(item[0].inlines)
            else:
                inner = self.blocks(item)
            label = Markup('<span class="fn-li-n">{}.</span> ').format(number) if (
                self._in_note and node.ordered and node.marker != "none") else Markup("")
            items.append(self._open("li") + label + inner + self._close("li"))
        classes = ["list-plain"] if node.marker == "none" else []
        return self._open(tag, classes, attrs) + Markup("").join(items) + self._close(tag)

    def table(self, node: Table) -> Markup:
        if self._in_note:
            # A table cannot live inside a paragraph; in a note its rows become lines.
            rows = Markup("").join(
                Markup('<span class="fn-p">{}</span>').format(
                    Markup(" | ").join(self.inlines(c.inlines) for c in row))
                for row in node.rows)
            return rows
        caption = (Markup("<caption>{}</caption>").format(self.inlines(node.caption))
                   if node.caption else Markup(""))
        rows = []
        for row in node.rows:
            cells = []
            for cell in row:
                tag = Markup("th" if cell.header else "td")
                span = ""
                if cell.colspan > 1:
                    span += f' colspan="{cell.colspan}"'
                if cell.rowspan > 1:
                    span += f' rowspan="{cell.rowspan}"'
                cells.append(Markup("<{0}{1}>{2}</{0}>").format(
                    tag, Markup(span), self.inlines(cell.inlines)))
            rows.append(Markup("<tr>{}</tr>").format(Markup("").join(cells)))
        return Markup('<table>{}<tbody>{}</tbody></table>').format(
            caption, Markup("\n").join(rows))

    def turn(self, node: SpeakerTurn) -> Markup:
        self._turns += 1
        # Numbering gives the turn its id; its label shares the turn's key, and the layout
        # finds labels by their prefix (edition/model/ids.py).
        key = ids.turn_key(node.anchor) or str(self._turns)
        turn_id = self.unique(ids.turn(key))
        label_id = self.unique(ids.label(key))
        recto_id = self.unique(ids.recto(label_id))
        names = ", ".join(s.label for s in node.speakers)
        persons = " ".join(s.person for s in node.speakers if s.person)
        data = Markup(' data-persons="{}"').format(persons) if persons else Markup("")
        # Both labels are written; the layout removes the one on the inner side of its page.
        return Markup(
            '<div class="turn" id="{turn}"{data}>'
            '<span class="speaker speaker-verso" id="{label}">{names}</span>'
            '<span class="speaker speaker-recto" id="{recto}">{names}</span>\n'
            '{body}</div>').format(turn=turn_id, data=data, label=label_id, recto=recto_id,
                                   names=names, body=self.blocks(node.blocks))

    def attachment(self, node: Attachment) -> Markup:
        # The title is a heading under the document's title; the attachment's own
        # headings fall under it, the document's after it do not.
        outer = self._heads
        self._heads = []
        try:
            title = (Markup('<h3 class="attachment-title" data-bookmark="{}" data-pdf-tag="{}">'
                            '{}</h3>\n').format(one_line(node.title), self.heading_tag(0),
                                                 self.inlines(node.title))
                     if node.title else Markup(""))
            blocks = self.blocks(node.blocks)
        finally:
            self._heads = outer
        return Markup('<div class="attachment">\n{}{}\n</div>').format(title, blocks)

    # ------------------------------------------------------------ colophon

    def colophon(self, blocks: list[Block]) -> Markup:
        """The source note, bracketed as `[Source: …]` (the word in the volume's
        language) unless the text brings its own brackets or word."""
        if not blocks:
            return Markup("")
        paragraphs = [i for i, b in enumerate(blocks) if isinstance(b, Paragraph)]
        first_text = one_line(blocks[paragraphs[0]].inlines) if paragraphs else ""
        parts = [self.block(b) for b in blocks]
        if paragraphs and not first_text.startswith("["):
            own = first_text.lower().startswith(("source:", f"{self._source.lower()}:"))
            opening = "[" if own else f"[{self._source}: "
            first, last = paragraphs[0], paragraphs[-1]
            parts[first] = _insert_after_open_tag(parts[first], Markup(
                '<span class="colophon-open">{}</span>').format(opening))
            parts[last] = _insert_before_close_tag(parts[last], Markup(
                '<span class="colophon-close">]</span>'))
        return Markup('<div class="colophon">\n{}\n</div>').format(Markup("\n").join(parts))


# A page holds fewer lines than 100; a line holds more than this many characters (so a
# document counted whole has fewer lines than its characters / this).
PAGE_LINES_DIGITS = 2
LEAST_LINE_CHARS = 20


def slot_digits(doc: Document, count: str) -> int:
    """The digits the largest line number an entry of `doc` may cite has: a page's
    lines, or the document's when counted whole, or its verse's own numbers."""
    digits = PAGE_LINES_DIGITS
    if count != "page":
        chars = sum(len(plain_text(i, " ", one_line=True))
                    for i, _, _ in walk.runs(*walk.document_groups(doc)))
        digits = max(digits, len(str(chars // LEAST_LINE_CHARS + 1)))
    for verse in (b for b in walk.blocks(*walk.document_groups(doc)) if isinstance(b, Verse)):
        digits = max([digits, *(len(n) for n in verse.numbers if n.isdigit())])
    return min(digits, 6)


# What a reading does to the lemma, as the apparatus prints it: the field's Latin (Latin
# and Greek editions, and English ones, which keep it), or the edition's language's own.
LATIN_LABELS = {"omission": "om.", "addition": "add.", "transposition": "transp.",
                "illegible": "illeg.", "lacuna": "lac."}
KIND_LABELS: dict[str, dict[str, str]] = {
    "la": LATIN_LABELS,
    "de": {"omission": "fehlt", "addition": "zugefügt", "transposition": "umgestellt",
           "illegible": "unleserlich", "lacuna": "Lücke"},
    "fr": {"omission": "omet", "addition": "ajoute", "transposition": "intervertit",
           "illegible": "illisible", "lacuna": "lacune"},
}


def kind_labels(language: str, own: dict[str, str] | None = None) -> dict[str, str]:
    """The labels for the apparatus of an edition in `language` (a BCP 47 tag; the
    Latin where the table has none), with the edition's own (`[apparatus]`) over them."""
    table = dict(KIND_LABELS.get(language.split("-")[0].split("_")[0].lower(), LATIN_LABELS))
    table.update({kind: label for kind, label in (own or {}).items() if label})
    return table


# A lemma of more words than this is cited by its first and last word.
LEMMA_WORDS = 4


def entry_parts(node: Apparatus, labels: dict[str, str] | None = None,
                same: str = "") -> list[Markup]:
    """`lemma] reading A B; other C`, as parts to join with spaces: the cited lemma with
    its own sigla, a bracket, the readings with italic sigla and their labels (`om.`,
    `add.`), the editor's notes. `same` is the lemma's superscript slot, if any."""
    cited = one_line(node.cited_words()).split()
    lemma = " ".join(cited) if len(cited) <= LEMMA_WORDS else f"{cited[0]} … {cited[-1]}"
    parts = ([Markup('<span class="app-lemma">{}{}</span>').format(lemma, same)]
             if lemma else [])
    own = _reading_tail(node.lemma)
    if own:
        parts.append(own)
    if lemma:
        parts[-1] += Markup('<span class="app-bracket">]</span>')
    readings = [_reading(r, labels or LATIN_LABELS) for r in node.all_readings()]
    body = Markup("; ").join(readings)
    notes = Markup("; ").join(Markup('<span class="app-note">{}</span>').format(
        one_line(note)) for note in node.notes)
    return [*parts, *(x for x in (body, notes) if x)]


def _reading(reading: Reading, labels: dict[str, str]) -> Markup:
    label = labels.get(reading.kind, "")
    words = one_line(reading.children)
    out = [Markup('<span class="app-kind">{}</span>').format(label)] if label else []
    if words:
        out.append(Markup('<span class="app-rdg">{}</span>').format(words))
    tail = _reading_tail(reading)
    return Markup(" ").join([*out, *([tail] if tail else [])])


def _reading_tail(reading: Reading) -> Markup:
    """The sigla in italics, then the editor's remarks on the reading."""
    sigla = [Markup('<span class="siglum">{}</span>').format(s) for s in reading.witnesses]
    remarks = [Markup('<span class="app-remark">{}</span>').format(one_line(r))
               for r in reading.remarks]
    return Markup(" ").join([*sigla, *remarks])


def _first_word(children: list[Inline]) -> tuple[list[Inline], list[Inline]]:
    """The lemma cut after its first word, where the entry is anchored; the whole of a
    lemma that begins with anything but plain words comes after the anchor. An entry
    nested first (entries attached at one place) keeps its place before the anchor."""
    if children and isinstance(children[0], Apparatus):
        return children[:1], children[1:]
    if children and isinstance(children[0], Text):
        text = children[0].text
        stripped = text.lstrip()
        cut = len(text) - len(stripped) + (len(stripped.split(maxsplit=1)[0])
                                           if stripped else 0)
        return [Text(text[:cut])], [Text(text[cut:]), *children[1:]]
    return [], children


def _insert_after_open_tag(html: Markup, extra: Markup) -> Markup:
    end = html.index(">") + 1
    return Markup(html[:end]) + extra + Markup(html[end:])


def _insert_before_close_tag(html: Markup, extra: Markup) -> Markup:
    start = html.rindex("</")
    return Markup(html[:start]) + extra + Markup(html[start:])
