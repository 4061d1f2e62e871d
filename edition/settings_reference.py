"""Every setting of edition.toml with its default and meaning, from `Settings` itself.

Two texts come from here, so neither can drift from the code: docs/settings.md (a test
compares it with `reference_markdown()`) and the commented edition.toml that `edition
new` writes (`commented_toml()`).
"""

from __future__ import annotations

import tomllib
from dataclasses import MISSING, fields

from edition.settings import CHOICES, MAPPINGS, SCHEMA, Settings

# attribute of Settings → what it means (one line each).
MEANINGS: dict[str, str] = {
    "short_title": "the verso's running head when the volume title is too long for one line",
    "running_heads": "a table of running heads by document number, before the source's "
                     "short title and the composed one",
    "terms": "the words the program adds, each over the one the volume's language "
             "prints (edition/terms.py: document, source, contents, index, "
             "index_of_names, index_of_places, index_of_subjects, see, see_also, page, "
             "of, edited_by, and, typeset_in, continued)",
    "title": "the volume's title (half title, title page, PDF metadata)",
    "subtitle": "printed under the title",
    "editors": "the editors, one string each",
    "publisher": "the title page's and copyright page's publisher",
    "place": "place of publication",
    "year": "year of publication",
    "isbn": "printed on the copyright page when given",
    "edition_statement": "e.g. \"First edition\", on the copyright page",
    "rights": "the licence or rights statement (also in the PDF's XMP metadata)",
    "keywords": "PDF metadata keywords",
    "language": "default language of the documents (hyphenation, metadata)",
    "profile": "the product: book, handout, archive or print (--profile overrides it)",
    "trim": "the page: 6x9in, 156x234mm, a4, letter, a5 or WxHmm / WxHin",
    "margin_top": "top margin, mm",
    "margin_bottom": "bottom margin, mm",
    "margin_inner": "inner margin at the spine, mm (mirrored pages)",
    "margin_outer": "outer margin, mm: wide enough for the speaker labels",
    "font_family": "the book face (the bundled Linux Libertine, or a face of the system)",
    "font_size": "body type size, pt",
    "show_original_pages": "TEI <pb n=\"…\"/> shown as [356] in the inner margin",
    "note_numbering": "continuous through the volume, or per-document (FRUS style)",
    "note_start": "the first note's number, 1 or more (a volume excerpt may start "
                  "anywhere)",
    "document_start": "where a document begins: new-page, recto or run-on (the default "
                      "for a TEI file of several documents, in chapters or not)",
    "transcription": "what prints of a transcription's del, add and choice: diplomatic "
                     "(as written: deletions struck through, additions between ↑ ↓, sic, "
                     "abbr, orig) or reading (as meant: no deletions, corr, expan, reg)",
    "front_matter": "half title, title page, copyright page and contents",
    "front_pages": "front-matter pages of the edition folder, in order (e.g. principles.md)",
    "index": "the index of names (needs persons.toml)",
    "index_places": "the index of places, after the index of names: printed when the "
                    "sources have a register of places (TEI listPlace) with a place "
                    "mentioned (placeName, rs type=\"place\"); false: never",
    "apparatus_base": "critical apparatus: the witness (siglum) whose reading is printed "
                      "where an entry has no lemma; empty: the entry's first reading",
    "apparatus_language": "the language of the apparatus's labels: Latin (om., add., "
                          "transp.) unless it is de or fr; empty: the edition's language",
    "apparatus_omission": "the label of an omission, over the language's (e.g. \"deest\")",
    "apparatus_addition": "the label of an addition, over the language's",
    "apparatus_transposition": "the label of a transposition, over the language's",
    "apparatus_tier": "the apparatus's place at the page's foot: above the footnotes or "
                      "below them",
    "apparatus_separator": "between entries: a space, or a bar (‖) before each entry of "
                           "another line than the one before it",
    "apparatus_across": "how an entry cites a lemma that runs onto the next page: {line} "
                        "its first line, {page} the folio and {end} the line of its last "
                        "word (the entry stands on the page where the lemma starts)",
    "lines_every": "line numbers: every how many lines a number is printed",
    "lines_count": "line numbers counted from 1 on each page, in each document or in each "
                   "section (from each heading); verse by its own numbers (l/@n); headings "
                   "and titles are never counted",
    "lines_margin": "the margin the line numbers stand in; auto: the one the speaker labels "
                    "leave free (the book's inner, the handout's right)",
    "handout_paper": "handout paper: a4 or letter (never guessed from the locale)",
    "handout_notes": "volume (keep the volume's note numbers) or restart (from 1)",
    "handout_line_numbers": "number the lines as [lines] says (every 5th, in the margin "
                            "the speaker labels leave free)",
    "handout_index": "an index of names of just the handout's documents",
    "handout_margin_left": "handout left margin, mm: carries the speaker labels",
    "handout_margin_right": "handout right margin, mm: carries the line numbers",
    "print_bleed": "bleed, mm (3 is usual); 0: none",
    "print_marks": "printer's marks in the bleed: none, crop, cross or crop cross",
    "print_pad_to": "blank pages at the end to a multiple of 4 or 16; 0: none",
    "print_output_profile": "the printer's CMYK ICC profile, a file of the edition of at "
                            "most 10 MB; empty: sRGB output intent",
    "archive_variant": "the PDF/A variant: pdf/a-3b, pdf/a-2u or pdf/a-3a",
    "makeup_strict": "`--strict` also fails on the make-up's warnings a press refuses (pages "
                     "ending 2 lines or more short, unlevel spreads), as `--strict=makeup` does",
    "build_scheduler": "the Dask scheduler the documents are laid out on "
                       "(\"tcp://host:8786\", `--scheduler` overrides it; needs "
                       "`pip install edition-typesetter[cluster]`, `edition help cluster`); "
                       "empty: worker processes on this machine",
}


# An example line of each table of MAPPINGS.
MAPPING_EXAMPLES = {"running_heads": '`"53" = "CPSU CC Presidium, October 31, 1956"`',
                    "terms": '`document = "Brief Nr."`'}


def entries() -> list[tuple[str, str, str, object]]:
    """(table, key, attribute, default) for every key of edition.toml, in SCHEMA order."""
    defaults = {f.name: _default(f) for f in fields(Settings)}
    return [(table, key, attr, defaults[attr])
            for table, keys in SCHEMA.items() for key, attr in keys.items()]


def _default(f) -> object:
    if f.default is not MISSING:
        return f.default
    if f.default_factory is not MISSING:
        return f.default_factory()
    return None


def toml_value(value: object) -> str:
    """A default as TOML writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return repr(value)


def reference_markdown() -> str:
    """docs/settings.md."""
    lines = [
        "# Settings: every key of `edition.toml`",
        "",
        "Generated from `edition/settings.py` by `edition/settings_reference.py` "
        "(`python -m edition.settings_reference > docs/settings.md`); "
        "`tests/test_docs.py` fails when this page and the code differ. An unknown key "
        "is an error naming its line; profiles and their tables are described in "
        "[profiles.md](profiles.md). `edition new` writes the same keys, commented, "
        "into a new edition's `edition.toml`.",
        "",
    ]
    current = None
    for table, key, attr, default in entries():
        if table != current:
            current = table
            heading = f"`[{table}]`" if table else "Top level"
            lines += ["", f"## {heading}", "", "| key | default | meaning |",
                      "|---|---|---|"]
        choices = CHOICES.get(attr)
        meaning = MEANINGS[attr].replace("|", "\\|")
        if choices:
            meaning += " (one of " + ", ".join(f"`{toml_value(c)}`" for c in choices) + ")"
        lines.append(f"| `{key}` | `{toml_value(default)}` | {meaning} |")
    for table, attr in MAPPINGS.items():
        lines += ["", f"## `[{table}]`", "", f"A table: {MEANINGS[attr]}, e.g. "
                  f"`[{table}]` {MAPPING_EXAMPLES[table]}."]
    return "\n".join(lines).replace("\n\n\n", "\n\n") + "\n"


def commented_toml(values: dict[str, object] | None = None) -> str:
    """An edition.toml with every option, each commented with its meaning; the keys of
    `values` (attribute → value) are set, the rest are commented out at their defaults."""
    values = values or {}
    lines = ["# The volume's settings. Every key is listed; a commented key shows its",
             "# default. The reference: `edition help settings`.", ""]
    current = None
    for table, key, attr, default in entries():
        if table != current:
            current = table
            if table:
                lines += ["", f"[{table}]"]
        lines.append(f"# {MEANINGS[attr]}")
        if attr in values:
            lines.append(f"{key} = {toml_value(values[attr])}")
        else:
            lines.append(f"# {key} = {toml_value(default)}")
    text = "\n".join(lines) + "\n"
    tomllib.loads(text)  # what is written is TOML
    return text


if __name__ == "__main__":
    print(reference_markdown(), end="")
