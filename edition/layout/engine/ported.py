"""Check a ported copy of a WeasyPrint function against upstream's source.

A ported copy is upstream's text except inside hunks: the lines between a comment line
`# edition: begin <why>` and the next `# edition: end` (any indentation, not nested).
`check_port(ours, upstream)` diffs the two texts (marker lines left out) and reports:

- a line of ours that differs from upstream outside every hunk (edited, or added);
- upstream lines missing from ours anywhere but inside a hunk, or at an empty one (a hunk
  that only removes lines);
- a hunk whose lines are upstream's own (it changes nothing: drop it);
- a marker out of place (unclosed, nested, unknown `# edition:` comment).

An empty list means that re-porting to a new upstream is re-applying the hunks. Should
the diff ever align a hunk's lines with an equal upstream line next to it, widen the hunk
by that line.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

MARK = "# edition:"
BEGIN = "# edition: begin"
END = "# edition: end"


class PortError(ValueError):
    pass


@dataclass
class Hunk:
    line: int  # 1-based line of its `begin` marker in our source
    why: str
    start: int = 0  # our lines without markers: [start, end)
    end: int = 0

    def holds(self, index: int) -> bool:
        return self.start <= index < self.end

    def takes(self, position: int) -> bool:
        """Upstream lines removed at `position` (between two of our lines) were removed by
        this hunk: strictly inside it, or at it when it is empty (a pure removal). At the
        edge of a hunk that has lines, the removal would be next to an unchanged line (a
        changed one would have joined it in one difflib opcode): outside, as far as the
        diff can tell, so the hunk must be widened over it."""
        if self.start == self.end:
            return position == self.start
        return self.start < position < self.end


def parse(source: str) -> tuple[list[str], list[Hunk]]:
    """Our lines without the markers, and the hunks over them."""
    lines: list[str] = []
    hunks: list[Hunk] = []
    current: Hunk | None = None
    for number, text in enumerate(source.splitlines(), 1):
        mark = text.strip()
        if mark.startswith(BEGIN):
            if current is not None:
                raise PortError(f"line {number}: hunk of line {current.line} is not closed")
            current = Hunk(number, mark[len(BEGIN):].strip(), len(lines), len(lines))
        elif mark == END:
            if current is None:
                raise PortError(f"line {number}: `{END}` without a begin")
            current.end = len(lines)
            hunks.append(current)
            current = None
        elif mark.startswith(MARK):
            raise PortError(f"line {number}: unknown marker {mark!r}")
        else:
            lines.append(text)
    if current is not None:
        raise PortError(f"line {current.line}: hunk is not closed")
    return lines, hunks


def check_port(ours: str, upstream: str) -> list[str]:
    """What in `ours` departs from `upstream` other than through its hunks."""
    try:
        lines, hunks = parse(ours)
    except PortError as exc:
        return [str(exc)]
    problems, _ = _compare(lines, hunks, upstream.splitlines())
    return problems


def replaced(ours: str, upstream: str) -> list[list[str]]:
    """The upstream lines each hunk of `ours` stands in place of ([] for an addition).

    A line removed next to a hunk counts as the hunk's (the diff cannot tell it from one
    the hunk replaces): pinning this list in a test catches that too.
    """
    lines, hunks = parse(ours)
    return _compare(lines, hunks, upstream.splitlines())[1]


def _compare(lines: list[str], hunks: list[Hunk], theirs: list[str],
             ) -> tuple[list[str], list[list[str]]]:
    problems: list[str] = []
    taken: list[list[str]] = [[] for _ in hunks]  # upstream lines each hunk replaces
    changed: set[int] = set()  # hunks that differ from upstream
    matcher = difflib.SequenceMatcher(None, theirs, lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        inside: list[int] = []
        for j in range(j1, j2):
            holding = [k for k, hunk in enumerate(hunks) if hunk.holds(j)]
            if not holding:
                problems.append(f"changed outside a hunk: {lines[j].strip()!r}")
            inside += [k for k in holding if k not in inside]
        if tag == "delete":
            inside = [k for k, hunk in enumerate(hunks) if hunk.takes(j1)]
            if not inside:
                problems.extend(f"upstream line removed outside a hunk: {line.strip()!r}"
                                for line in theirs[i1:i2])
        changed.update(inside)
        if inside:
            taken[inside[0]].extend(line.strip() for line in theirs[i1:i2])
    problems.extend(f"hunk of line {hunk.line} ({hunk.why}) is upstream's text: drop it"
                    for k, hunk in enumerate(hunks) if k not in changed)
    return problems, taken
