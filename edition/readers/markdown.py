"""The Markdown reader: `source/NNN-slug.md` → model.Document.

A document file is TOML front matter between `+++` lines and a CommonMark body parsed by
markdown-it-py with the footnote, container and attrs plugins (see docs/source-format.md).
Raw HTML is off: `<b>` is text. Everything the editor can get wrong raises EditionError
with the file and the 1-based line.
"""

from __future__ import annotations

import datetime
import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.attrs.parse import ParseError
from mdit_py_plugins.attrs.parse import parse as parse_attrs
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin

from edition import safeio
from edition.errors import EditionError, toml_error
from edition.model import (
    Attachment,
    Block,
    Document,
    Emph,
    FrontPage,
    Heading,
    Inline,
    LineBreak,
    ListBlock,
    NameRef,
    Note,
    NoteCall,
    Paragraph,
    Pos,
    Quote,
    Ref,
    Section,
    Span,
    Speaker,
    SpeakerTurn,
    Strong,
    Text,
    walk,
)
from edition.readers.base import (
    MAX_NESTING,
    MAX_SOURCE_BYTES,
    MAX_SOURCE_LINES,
    SPLIT_HINT,
    ReaderResult,
)
from edition.readers.markdown_apparatus import TOKEN as APPARATUS_TOKEN
from edition.readers.markdown_apparatus import Entries, apparatus_plugin
from edition.readers.speakers import run_in_speakers
from edition.readers.typography import quotes_for
from edition.settings import Settings

CONTAINERS = ("headnote", "speech", "attachment", "center", "right", "left", "source")
# `unknown` catches any other `:::` line so a typo (`::: speach`) is an error, not text.
UNKNOWN = "unknown"
FRONT_KEYS = ("number", "title", "short_title", "date", "lang", "kind", "translation-of")
FRONT_PAGE_KEYS = ("title",)
KINDS = ("document", "chapter")
REF_SCHEMES = ("doc:", "note:")


@cache
def parser(lang: str = "en") -> MarkdownIt:
    """The one markdown-it configuration of the format.

    Straight quotes become the language's typographic quotes (markdown-it's smartquotes);
    no other typographer replacements, so `(c)` or `--` stay as transcribed.
    """
    quotes = quotes_for(lang)
    # markdown-it silently drops what lies deeper than maxNesting (20 in CommonMark):
    # its limit is set past ours, and `check_nesting` refuses deeper text with its line.
    md = MarkdownIt("commonmark", {"html": False, "typographer": True, "quotes": quotes,
                                   "maxNesting": MAX_NESTING + 2})
    md.enable("smartquotes")
    # Labels, not inline `^[…]` notes: numbering needs a key for every note.
    md.use(footnote_plugin, inline=False, move_to_end=False, always_match_refs=True)
    for name in CONTAINERS:
        md.use(container_plugin, name=name)
    md.use(container_plugin, name=UNKNOWN,
           validate=lambda params, *_: params.strip().split(" ", 1)[0] not in CONTAINERS)
    md.use(attrs_plugin, spans=True)
    md.use(attrs_block_plugin)
    md.use(apparatus_plugin)
    # Indented text is text (footnote continuations are indented); no code or images.
    md.disable(["code", "fence", "image"])
    return md


# ---------------------------------------------------------------- files and front matter


def read_source_text(path: Path, root: Path | None = None) -> str:
    """The file as text (a file of the edition folder `root`, by default its own folder:
    edition/safeio.py); missing files and invalid UTF-8 are errors with a line."""
    text = safeio.read_text(path, MAX_SOURCE_BYTES, root, SPLIT_HINT)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if text.count("\n") + (not text.endswith("\n")) > MAX_SOURCE_LINES:
        raise EditionError(f"more than {MAX_SOURCE_LINES:,} lines in one file; {SPLIT_HINT}",
                           path, MAX_SOURCE_LINES + 1)
    return text


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], list[str], str]:
    """(front matter, its raw lines, body) with the body padded so its lines keep their
    numbers in the file: markdown-it's token maps then are file lines minus one."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "+++":
        raise EditionError("no front matter: the file must begin with a `+++` line", path, 1)
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "+++")
    except StopIteration:
        raise EditionError("front matter not closed by a `+++` line", path, 1) from None
    fm_lines = lines[1:end]
    try:
        data = tomllib.loads("\n".join(fm_lines))
    except tomllib.TOMLDecodeError as exc:
        # Lines of the front matter are the file's lines after the opening `+++`.
        message, line, column = toml_error(exc, "\n".join(fm_lines))
        raise EditionError(f"malformed TOML front matter: {message}", path, line + 1,
                           column) from None
    body = "\n" * (end + 1) + "\n".join(lines[end + 1:])
    return data, fm_lines, body


def _key_line(fm_lines: list[str], key: str) -> int:
    """File line of `key = …` in the front matter (tomllib keeps no positions)."""
    for number, raw in enumerate(fm_lines, 2):
        if re.match(rf"\s*{re.escape(key)}\s*=", raw):
            return number
    return 1


def _check_keys(data: dict[str, Any], fm_lines: list[str], allowed: tuple[str, ...],
                required: tuple[str, ...], path: Path) -> None:
    for key in data:
        if key not in allowed:
            raise EditionError(f"unknown front-matter key {key!r} (allowed: {', '.join(allowed)})",
                               path, _key_line(fm_lines, key))
    for key in required:
        if key not in data:
            raise EditionError(f"front matter has no {key!r}", path, 1)


def _string(data: dict[str, Any], key: str, fm_lines: list[str], path: Path) -> str:
    value = data.get(key, "")
    if isinstance(value, int) and not isinstance(value, bool) and key == "number":
        value = str(value)
    if isinstance(value, datetime.date) and key == "date":
        value = value.isoformat()
    if not isinstance(value, str):
        raise EditionError(f"front-matter key {key!r} should be a string, not {value!r}",
                           path, _key_line(fm_lines, key))
    if key in ("number", "title") and not value.strip():
        raise EditionError(f"front-matter key {key!r} is empty", path, _key_line(fm_lines, key))
    return value.strip()


# ---------------------------------------------------------------- public readers


def read_markdown(path: Path, settings: Settings | None = None) -> Document:
    """Read one document file into a Document (notes unnumbered: see transform/numbering.py)."""
    path = Path(path)
    data, fm_lines, body = split_front_matter(read_source_text(path), path)
    _check_keys(data, fm_lines, FRONT_KEYS, ("number", "title"), path)
    fields = {k: _string(data, k, fm_lines, path) for k in data}
    kind = fields.get("kind", "document")
    if kind not in KINDS:
        raise EditionError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}",
                           path, _key_line(fm_lines, "kind"))
    lang = fields.get("lang", "") or (settings.language if settings else "")
    builder = _Builder(path, body, lang, settings.apparatus_base if settings else "")
    doc = Document(
        number=fields["number"], title=[], source=path, pos=Pos(str(path), 1),
        short_title=fields.get("short_title", ""), date=fields.get("date", ""),
        lang=lang, kind=kind)
    builder.fill(doc)
    if kind == "document":
        # The same run-in speaker style as TEI minutes (readers/speakers.py).
        doc.body = run_in_speakers(doc.body)
    doc.title = builder.inline_text(fields["title"], _key_line(fm_lines, "title"))
    doc.keys, doc.sections = [doc.number], heading_sections(doc.body, doc.pos)
    if original := fields.get("translation-of", ""):
        doc.translation_of = original
        doc.translation_pos = Pos(str(path), _key_line(fm_lines, "translation-of"))
    # After the title: a lemma may stand there too.
    builder.entries.join()
    builder.check_notes(doc)
    return doc


def heading_sections(body: list[Block], pos: Pos) -> list[Section]:
    """The sections a parallel text is paired by: each `##` heading opens one (text
    before the first heading is a section of its own); no heading, one section."""
    starts = [i for i, block in enumerate(body) if isinstance(block, Heading)
              and block.level == 2]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    ends = [*starts[1:], len(body)]
    return [Section(start, end, (getattr(body[start], "pos", None) or pos) if body else pos)
            for start, end in zip(starts, ends, strict=True)]


def read_markdown_file(path: Path, settings: Settings | None = None) -> ReaderResult:
    """The reader of the readers' table: one document per Markdown file."""
    return ReaderResult(documents=[read_markdown(path, settings)])


def read_front_page(path: Path, root: Path | None = None) -> FrontPage:
    """A page of front matter (editorial principles, abbreviations): title + blocks.
    `root`: the edition folder, when the page lies in a folder of it."""
    path = Path(path)
    data, fm_lines, body = split_front_matter(read_source_text(path, root), path)
    _check_keys(data, fm_lines, FRONT_PAGE_KEYS, ("title",), path)
    builder = _Builder(path, body)
    blocks = builder.blocks(builder.tree.children, "front")
    if builder.notes:
        note = next(iter(builder.notes.values()))
        raise EditionError("front-matter pages cannot have footnotes", path, note.pos.line)
    if builder.entries.lemmas or builder.entries.definitions:
        raise EditionError("front-matter pages cannot have apparatus entries", path,
                           _first_entry_line(builder.entries))
    return FrontPage(title=_string(data, "title", fm_lines, path), blocks=blocks, source=path)


def _first_entry_line(entries: Entries) -> int:
    lines = [e.pos.line for e in entries.lemmas.values() if e.pos]
    return min(lines + [d.line for d in entries.definitions.values()])


# ---------------------------------------------------------------- tokens → model


def check_nesting(tokens: list[Token], path: Path) -> None:
    """Containers, quotes, lists and emphasis nested deeper than MAX_NESTING are an
    error at their line: every later stage recurses once per level."""
    line = 0
    for token in tokens:
        line = token.map[0] + 1 if token.map else line
        inner = max((child.level for child in token.children or ()), default=0)
        if token.level + inner > MAX_NESTING:
            raise EditionError(f"nested more than {MAX_NESTING} levels deep (quotes, lists, "
                               "containers or emphasis inside each other)", path, line)


class _Builder:
    """Turns one file's markdown-it syntax tree into model blocks, collecting notes."""

    def __init__(self, path: Path, body: str, lang: str = "en", base: str = ""):
        self.path = path
        self.file = str(path)
        self.lines = body.split("\n")
        self.env: dict[str, Any] = {}
        self.md = parser(lang or "en")
        tokens = self.md.parse(body, self.env)
        check_nesting(tokens, path)
        self.tree = SyntaxTreeNode(tokens)
        self.notes: dict[str, Note] = {}
        self.headnote: list[Block] | None = None
        self.colophon: list[Block] | None = None
        self._line = 0
        # Where the enclosing containers end, innermost last (for check_closed).
        self._ends: list[int] = []
        self._defined = {t.meta["label"] for t in tokens if t.type == "footnote_reference_open"}
        # Apparatus entries (edition/readers/markdown_apparatus.py); `base`: the witness
        # whose reading an empty lemma prints.
        self.entries = Entries(self, base)

    def error(self, message: str, line: int) -> EditionError:
        return EditionError(message, self.path, line)

    def fill(self, doc: Document) -> None:
        doc.body = self.blocks(self.tree.children, "body")
        doc.headnote = self.headnote or []
        doc.colophon = self.colophon or []
        doc.notes = self.notes

    def check_notes(self, doc: Document) -> None:
        """Every definition called from the text (calls of undefined notes fail earlier)."""
        called = {c.label for c in walk.calls(*walk.document_groups(doc))}
        called |= {c.label for n in walk.notes_of(doc) for c in walk.calls(n.blocks)}
        for note in doc.notes.values():
            if note.label not in called:
                raise self.error(f"note [^{note.label}] is defined but never called",
                                 note.pos.line)

    # -- blocks

    def blocks(self, nodes: list[SyntaxTreeNode], where: str) -> list[Block]:
        out: list[Block] = []
        for node in nodes:
            block = self.block(node, where)
            if isinstance(block, list):
                out.extend(block)
            elif block is not None:
                out.append(block)
        return out

    def block(self, node: SyntaxTreeNode, where: str) -> Block | list[Block] | None:
        line = node.map[0] + 1 if node.map else 0
        kind = node.type
        if kind == "paragraph":
            return self.paragraph(node, line)
        if kind == "heading":
            return self.heading(node, line)
        if kind in ("bullet_list", "ordered_list"):
            items = [self.blocks(item.children, _inner(where)) for item in node.children]
            start = int(node.attrs.get("start", 1)) if kind == "ordered_list" else 1
            return ListBlock(ordered=kind == "ordered_list", items=items, start=start,
                             pos=self.pos(line))
        if kind == "blockquote":
            return Quote(self.blocks(node.children, _inner(where)), self.pos(line))
        if kind == "footnote_reference":
            self.note(node, line)
            return None
        if kind == APPARATUS_TOKEN:
            self.entries.define(node.meta["label"], node.content, line)
            return None
        if kind == "hr":
            raise self.error("a thematic break (---) has no meaning in the format; remove it",
                             line)
        if kind.startswith("container_"):
            return self.container(node, line, where)
        raise self.error(f"unsupported Markdown construct ({kind})", line)

    def paragraph(self, node: SyntaxTreeNode, line: int, align: str = "justify",
                  roles: list[str] | None = None, keep_lines: bool = False) -> Paragraph:
        classes = str(node.attrs.get("class", "")).split()
        return Paragraph(self.inlines(node.children[0], keep_lines), self.pos(line),
                         align=align, roles=[*(roles or []), *classes])  # type: ignore[arg-type]

    def heading(self, node: SyntaxTreeNode, line: int) -> Heading:
        level = int(node.tag[1])
        if level == 1:
            raise self.error("the document's title comes from the front matter; "
                             "use ## for headings inside a document", line)
        return Heading(level, self.inlines(node.children[0]), self.pos(line))

    def note(self, node: SyntaxTreeNode, line: int) -> None:
        label = node.meta["label"]
        if label in self.notes:
            raise self.error(f"note [^{label}] is defined twice (first at line "
                             f"{self.notes[label].pos.line})", line)
        blocks = self.blocks(node.children, "note")
        if not blocks:
            raise self.error(f"note [^{label}] has no text", line)
        self.notes[label] = Note(label, blocks, self.pos(line))

    # -- containers

    def container(self, node: SyntaxTreeNode, line: int,
                  where: str) -> Block | list[Block] | None:
        name = node.type.removeprefix("container_")
        info = node.info.strip()
        if name == UNKNOWN:
            word = info.split(" ", 1)[0]
            if not word:
                raise self.error("a closing `:::` line without an open container", line)
            raise self.error(f"unknown container {word!r} (known: {', '.join(CONTAINERS)})",
                             line)
        self.check_closed(node, line)
        self._ends.append(node.map[1] if node.map else 0)
        try:
            return self.container_block(node, line, name, info[len(name):].strip(), where)
        finally:
            self._ends.pop()

    def container_block(self, node: SyntaxTreeNode, line: int, name: str, rest: str,
                        where: str) -> Block | list[Block] | None:
        if name in ("headnote", "source"):
            return self.section(node, line, name, rest, where)
        if name == "speech":
            return self.speech(node, line, rest, where)
        if name == "attachment":
            title = self.inline_text(rest, line) if rest else []
            return Attachment(title, self.blocks(node.children, _inner(where)), self.pos(line))
        return self.aligned(node, line, name, rest)

    def check_closed(self, node: SyntaxTreeNode, line: int) -> None:
        """markdown-it silently closes an open container at the end of the file or of
        the container around it; a closed one ends before its parent, on a fence line."""
        end = node.map[1] if node.map else 0
        markup = node.nester_tokens.opening.markup
        closing = self.lines[end].strip() if end < len(self.lines) else ""
        ended_with_parent = bool(self._ends) and end == self._ends[-1]
        if ended_with_parent or not (closing.startswith(markup) and set(closing) == {":"}):
            raise self.error(f"container `{markup} {node.info.strip()}` is not closed", line)

    def section(self, node: SyntaxTreeNode, line: int, name: str, rest: str,
                where: str) -> None:
        if where != "body":
            raise self.error(f"`::: {name}` must stand at the top level of the document", line)
        if rest:
            raise self.error(f"`::: {name}` takes no words after it ({rest!r})", line)
        if (self.headnote if name == "headnote" else self.colophon) is not None:
            raise self.error(f"a second `::: {name}` in one document", line)
        blocks = self.blocks(node.children, "nested" if name == "headnote" else "colophon")
        if name == "headnote":
            self.headnote = blocks
        else:
            self.colophon = blocks

    def speech(self, node: SyntaxTreeNode, line: int, rest: str, where: str) -> SpeakerTurn:
        labels, attrs = self.split_attrs(rest, line)
        speakers = [Speaker(label.strip()) for label in labels.split(",") if label.strip()]
        if not speakers:
            raise self.error("`::: speech` needs the speaker's name", line)
        for key in attrs:
            if key != "person":
                raise self.error(f"unknown speech attribute {key!r} (use person=…)", line)
        if "person" in attrs:
            keys = attrs["person"].split()
            if len(keys) != len(speakers):
                raise self.error(f"{len(speakers)} speaker(s) but {len(keys)} person key(s)",
                                 line)
            for speaker, key in zip(speakers, keys, strict=True):
                speaker.person = None if key == "-" else key
        blocks = self.blocks(node.children, _inner(where))
        if not any(t.text.strip() for t in walk.texts(blocks)):
            raise self.error("speaker turn with no text", line)
        return SpeakerTurn(speakers, blocks, self.pos(line))

    def aligned(self, node: SyntaxTreeNode, line: int, name: str, rest: str) -> list[Block]:
        """Lines centred or ranged right; each source line stays a line."""
        roles = rest.split()
        blocks: list[Block] = []
        for child in node.children:
            child_line = child.map[0] + 1 if child.map else line
            if child.type != "paragraph":
                raise self.error(f"`::: {name}` holds only lines of text", child_line)
            blocks.append(self.paragraph(child, child_line, name, roles, keep_lines=True))
        if not blocks:
            raise self.error(f"empty `::: {name}`", line)
        return blocks

    def split_attrs(self, text: str, line: int) -> tuple[str, dict[str, str]]:
        """`Zhukov, Bulganin {person="zhukov bulganin"}` → (labels, attributes)."""
        brace = text.find("{")
        if brace < 0:
            return text, {}
        try:
            length, attrs = parse_attrs(text[brace:])
        except ParseError as exc:
            raise self.error(f"malformed attributes {text[brace:]!r}: {exc}", line) from None
        if text[brace + length + 1:].strip():
            raise self.error(f"text after the attributes: {text[brace + length + 1:]!r}", line)
        return text[:brace], attrs

    # -- inlines

    def inline_text(self, text: str, line: int) -> list[Inline]:
        """Inline Markdown of a front-matter value or a container's words."""
        tokens = self.md.parseInline(text, self.env)
        tokens[0].map = [line - 1, line]
        return self.inlines(SyntaxTreeNode(tokens).children[0])

    def inlines(self, inline: SyntaxTreeNode, keep_lines: bool = False) -> list[Inline]:
        self._line = inline.map[0] + 1 if inline.map else self._line
        return _merge(self.convert(inline.children, keep_lines))

    def convert(self, nodes: list[SyntaxTreeNode], keep_lines: bool) -> list[Inline]:
        out: list[Inline] = []
        for node in nodes:
            out.extend(self.inline(node, keep_lines))
        return out

    def inline(self, node: SyntaxTreeNode, keep_lines: bool) -> list[Inline]:
        kind = node.type
        if kind in ("text", "code_inline", "html_inline"):
            return [Text(node.content)]
        if kind == "softbreak":
            self._line += 1
            return [LineBreak() if keep_lines else Text(" ")]
        if kind == "hardbreak":
            self._line += 1
            return [LineBreak()]
        if kind == "em":
            return [Emph(self.convert(node.children, keep_lines))]
        if kind == "strong":
            return [Strong(self.convert(node.children, keep_lines))]
        if kind == "footnote_ref":
            return [self.call(node.meta["label"])]
        if kind == "span":
            return [self.span(node, keep_lines)]
        if kind == "link":
            return self.link(node, keep_lines)
        raise self.error(f"unsupported Markdown construct ({kind})", self._line)

    def call(self, label: str) -> NoteCall:
        if label not in self._defined:
            raise self.error(f"note [^{label}] is called but never defined", self._line)
        return NoteCall(label, self.pos(self._line))

    def span(self, node: SyntaxTreeNode, keep_lines: bool) -> Inline:
        line = self._line
        children = self.convert(node.children, keep_lines)
        attrs = dict(node.attrs)
        unknown = set(attrs) - {"person", "class", "app", "wit"}
        if "wit" in attrs and "app" not in attrs:
            unknown.add("wit")
        if unknown:
            raise self.error(f"unknown span attribute {sorted(unknown)[0]!r} "
                             "(use {person=key}, {.role} or {app=label})", line)
        result: Inline
        if "person" in attrs:
            result = NameRef(str(attrs["person"]), children, self.pos(line), explicit=True)
            children = [result]
        for role in reversed(str(attrs.get("class", "")).split()):
            children = [Span(role, children)]
        if "app" in attrs:
            return self.entries.lemma({k: str(v) for k, v in attrs.items()}, children, line)
        result = children[0] if len(children) == 1 else Span("", children)
        return result

    def link(self, node: SyntaxTreeNode, keep_lines: bool) -> list[Inline]:
        line = self._line  # where the link starts; its text may run onto the next line
        children = self.convert(node.children, keep_lines)
        if node.markup == "autolink":
            return children
        href = str(node.attrs.get("href", ""))
        if not href.startswith(REF_SCHEMES):
            raise self.error(f"links are not part of the format ({href!r}); write an address "
                             "as text, or refer inside the volume with (doc:53) or (note:label)",
                             self._line)
        return [Ref(href, children, self.pos(line))]

    def pos(self, line: int) -> Pos:
        return Pos(self.file, line)


def _inner(where: str) -> str:
    """Headnote and colophon stand only at the top level of a document's body."""
    return "nested" if where == "body" else where


def _merge(inlines: list[Inline]) -> list[Inline]:
    """Join adjacent Text runs: markdown-it splits text at every bracket."""
    out: list[Inline] = []
    for item in inlines:
        if isinstance(item, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + item.text)
        else:
            if isinstance(item, walk.CONTAINER_INLINES):
                item.children = _merge(item.children)
            out.append(item)
    return out
