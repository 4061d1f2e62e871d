"""A deterministic synthetic edition: documents with headnotes, speeches and notes.

Used by the benchmark (about 500 pages) and by layout tests (a few dozen pages). The
text is pseudo-Latin from a fixed seed, so every run lays out the same pages. Note
lengths follow the measured mix of real volumes: mostly short, about one in ten long,
a few over half a page. Documents are of a few pages with about three notes a page.

The benchmark's volume (bench/run.py) is shaped like a real one: `chapter_every=15`
opens a chapter (a `kind = "chapter"` document: a title and a short introduction)
before every fifteenth document, and `speakers=VOLUME_SPEAKERS` gives some speeches a
label of two or three names. The defaults write the volume the layout tests were
written against, unchanged.
"""

from __future__ import annotations

import random
from pathlib import Path

WORDS = (
    "the of and to in that was for on with as by at from his it which this be had not "
    "are but have were or an they their been has one also would there who its all more "
    "committee comrade government troops question party minister delegation situation "
    "decision proposal meeting agreement resolution position negotiations declaration "
    "withdrawal leadership members session report telegram ambassador conference "
    "representatives assistance consideration information international responsibility"
).split()

PERSONS = {
    "khrushchev": ("Khrushchev, Nikita S.", "First Secretary of the CPSU CC", ["Khrushchev"]),
    "molotov": ("Molotov, Viacheslav M.", "member of the CPSU CC Presidium", ["Molotov"]),
    "zhukov": ("Zhukov, Georgii K.", "Soviet minister of defense", ["Zhukov"]),
    "mikoyan": ("Mikoyan, Anastas I.", "first deputy chairman of the Council of Ministers",
                ["Mikoyan"]),
    "suslov": ("Suslov, Mikhail A.", "secretary of the CPSU CC", ["Suslov"]),
    "kadar": ("Kádár, János", "first secretary of the HSWP", ["Kádár"]),
    "nagy": ("Nagy, Imre", "prime minister of Hungary", ["Imre Nagy"]),
    "gero": ("Gerő, Ernő", "former first secretary of the HWP", ["Gerő"]),
}
SPEAKERS = ["Khrushchev", "Molotov", "Zhukov", "Mikoyan", "Suslov"]
WORDS_PER_PAGE = 360
# How many names a speech's label has, drawn from these: the layout tests' volume has
# one name in most speeches and two in some.
SPEAKER_MIX = (1, 1, 1, 2)
# A real volume's: mostly one speaker, a few joint turns of two or three.
VOLUME_SPEAKERS = (1, 1, 1, 1, 1, 1, 1, 2, 2, 3)
CHAPTER_TOPICS = ("the Committee", "the Delegation", "the Negotiations", "the Withdrawal",
                  "the Declaration", "the Government", "the Conference", "the Leadership")


class Writer:
    def __init__(self, seed: int, note_rate: float = 0.19,
                 speakers: tuple[int, ...] = SPEAKER_MIX, subheads: float = 0.0):
        self.rng = random.Random(seed)
        self.note_counter = 0
        self.note_rate = note_rate  # the share of sentences that call a note
        self.speakers = speakers  # how many names a speech's label has, drawn from these
        self.subheads = subheads  # the share of a document's blocks a sub-heading opens

    def sentence(self, low: int = 8, high: int = 22) -> str:
        words = [self.rng.choice(WORDS) for _ in range(self.rng.randint(low, high))]
        if self.rng.random() < 0.15:
            words.insert(self.rng.randrange(len(words)),
                         self.rng.choice(["Khrushchev", "Kádár", "Gerő", "Molotov"]))
        return " ".join(words).capitalize() + "."

    def paragraph(self, notes: list[str], sentences: tuple[int, int] = (3, 8)) -> str:
        parts = []
        for _ in range(self.rng.randint(*sentences)):
            text = self.sentence()
            if self.rng.random() < self.note_rate:
                self.note_counter += 1
                label = f"n{self.note_counter}"
                text += f"[^{label}]"
                notes.append(f"[^{label}]: {self.note_text()}")
            parts.append(text)
        return " ".join(parts)

    def note_text(self) -> str:
        roll = self.rng.random()
        if roll < 0.03:
            count = self.rng.randint(14, 20)  # over half a page
        elif roll < 0.11:
            count = self.rng.randint(5, 9)
        else:
            count = self.rng.randint(1, 3)
        return " ".join(self.sentence(6, 18) for _ in range(count))


def write_volume(folder: Path, pages: int = 500, seed: int = 1956, *,
                 chapter_every: int = 0, speakers: tuple[int, ...] = SPEAKER_MIX,
                 subheads: float = 0.0, start: str = "") -> Path:
    """Write edition.toml, persons.toml and documents worth about `pages` pages.

    `chapter_every`: a chapter opens before documents 1, 1 + chapter_every, … (its file,
    `0016-chapter.md`, sorts before the document's, `0016.md`); 0: no chapters.
    `speakers`: how many names a speech's label has, drawn from these.
    `subheads`: the share of blocks a sub-heading (`### On …`) opens; `start`: the
    setting `[documents] start` ("run-on": documents run on), else the default."""
    folder.mkdir(parents=True, exist_ok=True)
    writer = Writer(seed, speakers=speakers, subheads=subheads)
    (folder / "edition.toml").write_text(_settings(start), encoding="utf-8")
    (folder / "persons.toml").write_text(_persons_toml(), encoding="utf-8")
    words = 0
    number = 0
    while words < pages * WORDS_PER_PAGE:
        number += 1
        if chapter_every and (number - 1) % chapter_every == 0:
            text = _chapter(writer, (number - 1) // chapter_every + 1)
            words += len(text.split())
            (folder / f"{number:04d}-chapter.md").write_text(text, encoding="utf-8")
        text = _document(writer, number)
        words += len(text.split())
        (folder / f"{number:04d}.md").write_text(text, encoding="utf-8")
    return folder


# Notes per sentence of a dense document: about ten notes a page, 20,000 notes in 7 MB
# (the volume's mix: about three a page, 20,000 notes in 16 MB, over the 10 MB a source
# file may have).
DENSE_NOTE_RATE = 0.8


def write_single(folder: Path, notes: int = 20000, seed: int = 1956,
                 dense: bool = False) -> Path:
    """Write one huge document (a long transcript) with about `notes` notes, for
    measuring how the cost of one layout grows with its pages (bench/scale.py).
    `dense`: a note after most sentences rather than the volume's one in five."""
    folder.mkdir(parents=True, exist_ok=True)
    writer = Writer(seed, DENSE_NOTE_RATE if dense else 0.19)
    (folder / "edition.toml").write_text(_settings(), encoding="utf-8")
    (folder / "persons.toml").write_text(_persons_toml(), encoding="utf-8")
    (folder / "0001.md").write_text(_document(writer, 1, until_notes=notes), encoding="utf-8")
    return folder


def _settings(start: str = "") -> str:
    documents = f'[documents]\nstart = "{start}"\n' if start else ""
    return ('title = "A Synthetic Documentary Edition"\n'
            'subtitle = "Benchmark Volume"\neditors = ["The Benchmark"]\n'
            'publisher = "edition"\nplace = "Nowhere"\nyear = "2026"\n'
            '[notes]\nnumbering = "continuous"\nstart = 1\n' + documents)


def _chapter(writer: Writer, number: int) -> str:
    """A chapter opening: its title and an introduction of two or three paragraphs."""
    notes: list[str] = []
    rng = writer.rng
    topic = CHAPTER_TOPICS[(number - 1) % len(CHAPTER_TOPICS)]
    lines = ["+++", f'number = "c{number}"',
             f'title = "Part {number}: {topic[0].upper() + topic[1:]} and the Crisis"',
             f'short_title = "Part {number}"', 'kind = "chapter"', "+++", ""]
    for _ in range(rng.randint(2, 3)):
        lines += [writer.paragraph(notes, (4, 8)), ""]
    return "\n".join(lines + notes) + "\n"


def _document(writer: Writer, number: int, until_notes: int = 0) -> str:
    """One document; of 8 to 16 blocks, or (`until_notes`) of as many blocks as it takes
    to reach that many notes."""
    notes: list[str] = []
    rng = writer.rng
    lines = ["+++", f'number = "{number}"',
             f'title = "Record of a Meeting, Session {number}"',
             f'short_title = "Session {number}"', "+++", "", "::: headnote"]
    lines += [writer.paragraph(notes, (3, 6)), ":::", ""]
    blocks = rng.randint(8, 16)
    while (len(notes) < until_notes) if until_notes else blocks > 0:
        blocks -= 1
        # Drawn only when asked: the default volume's text stays as it was.
        if writer.subheads and rng.random() < writer.subheads:
            topic = rng.choice(CHAPTER_TOPICS)
            lines += [f"### On {topic}", ""]
        if rng.random() < 0.5:
            speakers = ", ".join(rng.sample(SPEAKERS, rng.choice(writer.speakers)))
            lines.append(f"::: speech {speakers}")
            for _ in range(rng.randint(1, 3)):
                lines += [writer.paragraph(notes), ""]
            lines += [":::", ""]
        else:
            lines += [writer.paragraph(notes), ""]
    lines += ["::: source", f"Archive of the Synthetic Committee, F. {number}, Op. 1, "
              f"D. {rng.randint(1, 999)}, Ll. 1–{rng.randint(2, 40)}.", ":::", ""]
    return "\n".join(lines + notes) + "\n"


def _persons_toml() -> str:
    out = []
    for key, (name, ident, forms) in PERSONS.items():
        quoted = ", ".join(f'"{f}"' for f in forms)
        out.append(f'[{key}]\nname = "{name}"\nidentification = "{ident}"\nforms = [{quoted}]\n')
    return "\n".join(out)
