"""What the layout knows after pagination, and the preflight rules checked against it.

Positions are in CSS pixels (1/96 in) from the top-left corner of the page; `page` is the
0-based index of the page within the laid-out part (front matter, body or index).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Rect:
    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    def overlaps(self, other: Rect) -> bool:
        return (self.x < other.right and other.x < self.right
                and self.y < other.bottom and other.y < self.bottom)


@dataclass
class PageInfo:
    index: int
    label: str  # the printed folio: "iv", "17"
    recto: bool
    width: float
    height: float
    # The text block (page content box) and the outer margin's usable band.
    text_block: Rect
    outer_margin: Rect
    # Make-up (makeup.py): where the running text ends, where it may end (the note
    # area's top, else the text block's foot), one line's height, whether the page has
    # notes, and whether a forced break or the part's end follows the page.
    text_bottom: float = 0.0
    text_foot: float = 0.0
    line_pitch: float = 0.0
    has_notes: bool = False
    before_break: bool = False
    # The page's last line of running text is a heading's or a sub-heading's.
    ends_with_heading: bool = False
    # The page's text runs on in a block broken at its foot (the make-up leaves such a
    # page as it is: what is left below its last line is less than what the next page
    # had to take with it).
    runs_on: bool = False

    @property
    def short_by(self) -> float:
        """How many lines short of the foot the running text ends."""
        if not self.line_pitch:
            return 0.0
        return max(self.text_foot - self.text_bottom, 0.0) / self.line_pitch

    @property
    def fill(self) -> float:
        """The share of the text block the page's type covers: its running text from
        the top, its notes from the foot."""
        if self.text_block.height <= 0:
            return 1.0
        text = max(self.text_bottom - self.text_block.y, 0.0)
        notes = self.text_block.bottom - self.text_foot if self.has_notes else 0.0
        return min((text + notes) / self.text_block.height, 1.0)

    @property
    def notes_only(self) -> bool:
        """The page holds notes and no running text (a long note's continuation)."""
        return self.has_notes and self.text_bottom <= self.text_block.y + 0.5

    @property
    def ends_at(self) -> float:
        """Where the page's type ends: the foot of the text block with notes."""
        return self.text_block.bottom if self.has_notes else self.text_bottom


@dataclass
class NotePlacement:
    number: int
    anchor: str  # the note's HTML id
    call_page: int
    note_page: int  # where the note starts
    continued_on: list[int] = field(default_factory=list)  # pages of continuations


@dataclass
class EntryPlacement:
    """An apparatus entry: the page of its lemma's first word and the page it stands on;
    the lemma's line on its page and the number the entry prints, once the lines are
    numbered (edition/pdf/lines.py; 0 until then)."""

    anchor: str  # the lemma's HTML id
    lemma_page: int
    entry_page: int
    line: int = 0
    printed: int = 0
    # The entry was reported to a later page than its lemma's: the apparatus continued
    # there, the last resort of a page whose entries do not all fit (a warning).
    continued: bool = False
    # The superscript drawn after a one-word lemma: its place among the same words on
    # its printed line (0: none, the word stands there once).
    same: int = 0


@dataclass
class LabelPlacement:
    anchor: str
    text: str
    page: int
    box: Rect
    first_line_y: float  # top of the first line of the speech it labels
    lines: int = 1  # lines the label is set in
    turn_height: float = 0.0  # height of the speech's first fragment


@dataclass
class Finding:
    """One breach of a preflight rule."""

    rule: str  # "note-displaced", "label-outside-margin", "label-collision", "overflow", …
    page: int
    message: str
    # "error" breaks a rule of the book and fails --strict; "warning" is worth a look.
    severity: str = "error"


@dataclass
class LayoutReport:
    pages: list[PageInfo] = field(default_factory=list)
    notes: list[NotePlacement] = field(default_factory=list)
    # The critical apparatus's entries, in the order of their lemmas.
    entries: list[EntryPlacement] = field(default_factory=list)
    labels: list[LabelPlacement] = field(default_factory=list)
    # Every element id the HTML carries → (page index, x, y) of its first box.
    anchors: dict[str, tuple[int, float, float]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    # The text drawn on each page (body, notes, labels), one line per line box.
    page_texts: dict[int, str] = field(default_factory=dict)
    # The pages are running text made level (the documents): the make-up is judged.
    levelled: bool = False

    def label_of(self, page: int) -> str:
        return self.pages[page].label if 0 <= page < len(self.pages) else ""

    def to_data(self) -> dict:
        """Everything, as JSON can hold it (the run cache keeps reports as data)."""
        data = asdict(self)
        data["page_texts"] = {str(page): text for page, text in self.page_texts.items()}
        return data

    @classmethod
    def from_data(cls, data: dict) -> LayoutReport:
        """The report `to_data` gave; TypeError, KeyError or ValueError when it is not."""
        return cls(
            pages=[PageInfo(**page | {"text_block": Rect(**page["text_block"]),
                                      "outer_margin": Rect(**page["outer_margin"])})
                   for page in data["pages"]],
            notes=[NotePlacement(**note) for note in data["notes"]],
            entries=[EntryPlacement(**entry) for entry in data["entries"]],
            labels=[LabelPlacement(**label | {"box": Rect(**label["box"])})
                    for label in data["labels"]],
            anchors={str(anchor): (int(page), float(x), float(y))
                     for anchor, (page, x, y) in data["anchors"].items()},
            findings=[Finding(**finding) for finding in data["findings"]],
            page_texts={int(page): str(text) for page, text in data["page_texts"].items()},
            levelled=bool(data["levelled"]))

    def to_json(self) -> dict:
        """Per note and per label, with the printed folio beside each 0-based page index."""
        notes = [asdict(n) | {"call_folio": self.label_of(n.call_page),
                              "note_folio": self.label_of(n.note_page),
                              "on_call_page": n.note_page == n.call_page}
                 for n in self.notes]
        labels = [asdict(lab) | {"folio": self.label_of(lab.page),
                                 "recto": self.pages[lab.page].recto}
                  for lab in self.labels]
        entries = [asdict(e) | {"lemma_folio": self.label_of(e.lemma_page),
                                "entry_folio": self.label_of(e.entry_page)}
                   for e in self.entries]
        return {"pages": [p.label for p in self.pages], "notes": notes,
                "apparatus": entries, "labels": labels,
                "findings": [asdict(f) for f in self.findings]}
