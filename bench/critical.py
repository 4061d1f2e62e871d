"""A deterministic dense critical edition in TEI: about ten apparatus entries a page.

Used by the apparatus benchmark (bench/apparatus.py, about 500 pages) and by the test
that reads every entry's line number back from the PDF (tests/test_apparatus_dense.py).
The text is pseudo-Latin from a fixed seed in chapters (`div type="chapter"`, each a new
page and a run of its own) of about `CHAPTER_PAGES` pages, encoded by parallel
segmentation: a variant every `WORDS_PER_ENTRY` words or so, of the kinds real
apparatus have (a substitution with one or more readings, an omission, an addition, a
transposition, a lemma of several words, a group siglum, an editor's remark), and a
footnote about every third sentence, a few of them long.

Every lemma carries a token no other word has (`Lem17`, `lem17a`, …): a test finds it in
the PDF and the entry citing it at the foot. `prose=False` writes verse instead of
paragraphs (`lg`/`l`, about seven entries a page, no footnotes): the benchmark and the
tests use prose.
"""

from __future__ import annotations

import random
from pathlib import Path

WORDS = (
    "et in ad cum non est sed ut quod qui per de ex nec enim vero tamen autem quoque "
    "ipse ille hic iste omnis magnus bonus malus verbum deus homo tempus locus causa "
    "ratio natura animus corpus anima gratia virtus lex fides spes caritas veritas "
    "sapientia scriptura ecclesia mundus terra caelum dominus pater filius spiritus "
    "dicit fecit habet videt facere dicere videre audire venire manere credere"
).split()
SIGLA = ("A", "B", "C", "D", "E")
# Text words a page holds in the book profile's measure (prose; verse has fewer).
WORDS_PER_PAGE = 230
# About ten entries a page.
WORDS_PER_ENTRY = 24
# Chapters of this many pages: several runs, laid out side by side with --jobs.
CHAPTER_PAGES = 16
# Verse: lines a page, and the share of a line's words that carry an entry (about ten a
# page: a stanza's gap takes a line now and then).
VERSE_LINES = 30
VERSE_ENTRY_RATE = 0.05
# The share of sentences that call a footnote: about three a page.
NOTE_RATE = 0.2


class Writer:
    """The text of the volume, drawn from one seeded generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.entries = 0
        self.notes = 0
        self.words = 0  # words of the text as printed

    def word(self) -> str:
        return self.rng.choice(WORDS)

    def words_of(self, low: int, high: int) -> list[str]:
        return [self.word() for _ in range(self.rng.randint(low, high))]

    def entry(self) -> str:
        """One `app`: a lemma of a token and maybe more words, and its readings."""
        self.entries += 1
        k = self.entries
        rng = self.rng
        roll = rng.random()
        token = f"Lem{k}"
        if roll < 0.15:  # a longer lemma, cited by its first and last word
            lemma = " ".join([token, *self.words_of(2, 5), f"lem{k}z"])
        else:
            lemma = token
        self.words += len(lemma.split())
        witnesses = list(SIGLA)
        rng.shuffle(witnesses)
        base, others = witnesses[0], witnesses[1:]
        lem = f'<lem wit="#{base}">{lemma}</lem>'
        if roll < 0.25:
            readings = [f'<rdg wit="#{others[0]}"/>']  # an omission
        elif roll < 0.32:
            readings = [f'<rdg wit="#{others[0]} #{others[1]}" type="transposition">'
                        f'{self.word()} {token}</rdg>']
        elif roll < 0.42:
            readings = [f'<rdg wit="#g">Var{k}</rdg>']  # a group's siglum
        elif roll < 0.5:
            readings = [f'<rdg wit="#{others[0]}" xml:id="r{k}">Var{k}</rdg>',
                        f'<witDetail target="#r{k}" wit="#{others[0]}">in marg.</witDetail>']
        else:
            count = rng.randint(1, 3)
            readings = [f'<rdg wit="{" ".join("#" + s for s in others[i::count])}">'
                        f'Var{k}{"abc"[i]} {self.word()}</rdg>' for i in range(count)]
        return f"<app>{lem}{''.join(readings)}</app>"

    def note(self) -> str:
        self.notes += 1
        roll = self.rng.random()
        count = self.rng.randint(25, 60) if roll < 0.05 else self.rng.randint(4, 14)
        return (f'<note place="foot">Note{self.notes} '
                f"{' '.join(self.words_of(count, count))}.</note>")

    def sentence(self) -> str:
        """Words with an entry about every WORDS_PER_ENTRY of them, maybe a footnote."""
        parts: list[str] = []
        for _ in range(self.rng.randint(8, 20)):
            if self.rng.random() < 1 / WORDS_PER_ENTRY:
                parts.append(self.entry())
            else:
                parts.append(self.word())
                self.words += 1
        text = " ".join(parts)
        text = text[0].upper() + text[1:] + "."
        if self.rng.random() < NOTE_RATE:
            text += self.note()
        return text

    def paragraph(self) -> str:
        return "<p>" + " ".join(self.sentence() for _ in range(self.rng.randint(3, 9))) + "</p>"

    def stanza(self, first_line: int) -> str:
        lines = []
        for n in range(first_line, first_line + self.rng.randint(4, 8)):
            line = " ".join(self.entry() if self.rng.random() < VERSE_ENTRY_RATE
                            else self.word() for _ in range(self.rng.randint(5, 8)))
            self.words += WORDS_PER_PAGE // VERSE_LINES  # a line, however short
            lines.append(f'<l n="{n}">{line[0].upper() + line[1:]}</l>')
        return "<lg>" + "".join(lines) + "</lg>"

    def chapter(self, number: int, prose: bool) -> str:
        until = self.words + CHAPTER_PAGES * WORDS_PER_PAGE
        blocks: list[str] = []
        line = 1
        while self.words < until:
            if prose:
                blocks.append(self.paragraph())
            else:
                blocks.append(self.stanza(line))
                line += blocks[-1].count("<l ")
        return (f'<div type="chapter" n="{number}"><head>Liber {number}</head>'
                + "\n".join(blocks) + "</div>")


def write_critical(folder: Path, pages: int = 500, seed: int = 1453, *,
                   prose: bool = True) -> Path:
    """Write `critical.xml`, about `pages` pages of text with ~10 entries a page, into
    `folder`; returns the file's path."""
    folder.mkdir(parents=True, exist_ok=True)
    writer = Writer(seed)
    chapters = []
    while writer.words < pages * WORDS_PER_PAGE:
        chapters.append(writer.chapter(len(chapters) + 1, prose))
    path = folder / "critical.xml"
    path.write_text(_header() + "\n".join(chapters) + "</body></text></TEI>\n",
                    encoding="utf-8")
    return path


def _header() -> str:
    witnesses = "".join(f'<witness xml:id="{s}">Codex {s}</witness>' for s in SIGLA[:3])
    group = "".join(f'<witness xml:id="{s}">Codex {s}</witness>' for s in SIGLA[3:])
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc>
<titleStmt><title>A Synthetic Critical Edition</title></titleStmt>
<publicationStmt><p>edition benchmark</p></publicationStmt>
<sourceDesc><listWit>{witnesses}
<listWit xml:id="g" n="δ"><head>the younger manuscripts</head>{group}</listWit>
</listWit></sourceDesc></fileDesc>
<encodingDesc><variantEncoding method="parallel-segmentation" location="internal"/>
</encodingDesc></teiHeader>
<text><body>
"""
