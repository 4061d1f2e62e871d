"""The apparatus at the foot, as the page makes it: the same word twice on one printed
line told apart by a superior figure in the entry, read back from the PDF."""

from __future__ import annotations

import json
import re
from pathlib import Path

from edition.cli import main
from tests.test_apparatus import BODY_SIZE
from tests.test_apparatus_markdown import edition
from tests.test_apparatus_text import rules_of

WITNESSES = '[A]\ndescription = "a"\n\n[B]\ndescription = "b"\n'


def build(tmp_path: Path, body: str, settings: str = 'title = "T"\n',
          ) -> tuple[Path, dict]:
    folder = edition(tmp_path, body, WITNESSES, settings)
    pdf, report = tmp_path / "out.pdf", tmp_path / "out.json"
    code = main(["build", str(folder), "-o", str(pdf), "--report", str(report),
                 "--no-cache", "--strict", "--quiet"])
    assert code == 0
    return pdf, json.loads(report.read_text(encoding="utf-8"))


def foot_chars(page) -> list[dict]:
    """The characters of the note area and the margins (below the body's size), in
    reading order."""
    small = [c for c in page.chars if c["size"] < BODY_SIZE]
    return sorted(small, key=lambda c: (round(c["bottom"]), c["x0"]))


def after_lemma(chars: list[dict], lemma: str) -> str:
    """What the entry prints between its lemma and the bracket."""
    text = "".join(c["text"] for c in chars)
    start = text.index(lemma) + len(lemma)
    return text[start:text.index("]", start)].strip()


SAME = """Ἀκούσατε ἡμέραν τὴν [ἡμέραν]{app=a} πάντες καὶ λόγον. Word [alpha]{app=b} beta
gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau
upsilon phi chi psi omega and more words to fill the line fully so that the next alpha
stands on another line than the first one does in this paragraph of text. At the end
[alpha]{app=c} alpha and [omega]{app=d}.

[app:a]: ἡμέρα {B}
[app:b]: beta {B}
[app:c]: prius {B}
[app:d]: ultimum {B}
"""


def test_the_same_word_twice_on_a_line_is_told_apart_by_a_superior_figure(tmp_path):
    import pdfplumber

    pdf, report = build(tmp_path, SAME)
    with pdfplumber.open(pdf) as doc:
        page = next(p for p in doc.pages if "Ἀκούσατε" in (p.extract_text() or ""))
        chars = foot_chars(page)
        body = page.extract_text()
    assert "ἡμέραν τὴν ἡμέραν" in body
    entries = "".join(c["text"] for c in chars)
    # The second ἡμέραν of its line; the first alpha of the last line; an alpha whose
    # block repeats it on other lines only, and a word the block has once, have none.
    assert after_lemma(chars, "ἡμέραν") == "2", entries
    assert after_lemma(chars, "alpha") == "", entries
    assert "alpha1]" in entries.replace(" ", ""), entries
    assert after_lemma(chars, "omega") == "", entries
    same = {e["anchor"]: e["same"] for e in report["parts"]["body"]["apparatus"]}
    assert sorted(same.values()) == [0, 0, 1, 2]


def long_apparatus(lemmas: int = 14, words: int = 60) -> str:
    """One paragraph whose every other word is a lemma with a reading of `words` words:
    more entries than any page's foot holds below the lines that carry their lemmas."""
    reading = " ".join(f"word{i}" for i in range(words))
    text = " ".join(f"[Lem{k}]{{app=e{k}}} text" for k in range(lemmas))
    entries = "\n".join(f"[app:e{k}]: Var{k} {reading} {{B}}" for k in range(lemmas))
    return f"{text}.\n\n{entries}\n"


def test_an_apparatus_continued_on_the_next_page_is_marked_and_warned_of(tmp_path):
    import pdfplumber

    folder = edition(tmp_path, long_apparatus(), WITNESSES,
                     'title = "T"\nlanguage = "de"\n')
    pdf, report = tmp_path / "out.pdf", tmp_path / "out.json"
    assert main(["build", str(folder), "-o", str(pdf), "--report", str(report),
                 "--no-cache", "--quiet"]) == 0
    data = json.loads(report.read_text(encoding="utf-8"))
    body = data["parts"]["body"]
    front = len(data["parts"]["front"]["pages"])
    continued = [e for e in body["apparatus"] if e["continued"]]
    assert continued and all(e["entry_page"] == e["lemma_page"] + 1 and e["printed"] == e["line"]
                             for e in continued)
    rules = {f["rule"]: f["severity"] for f in body["findings"]}
    assert rules.get("apparatus-continued") == "warning"
    assert "apparatus-displaced" not in rules
    pages = sorted({e["entry_page"] for e in continued})
    with pdfplumber.open(pdf) as doc:
        for index in pages:
            page = doc.pages[front + index]
            rule = rules_of(page)[0]  # the note area's
            foot = "".join(c["text"] for c in foot_chars(page)
                           if c["top"] > rule).replace(" ", "")
            # The page's foot begins with the German term, then the first continued
            # entry's line and lemma; the lemma stands on the page before, on that line.
            mark = re.match(r"\(Forts\.\)(\d+)(Lem\d+)\]", foot)
            assert mark, foot[:40]
            first = next(e for e in continued if e["entry_page"] == index)
            assert int(mark.group(1)) == first["line"]
            before = doc.pages[front + first["lemma_page"]].extract_text()
            assert f"{mark.group(2)} " in before


def long_lemmas(count: int = 60, words: int = 14) -> str:
    """Lemmas of `words` words with four words between them: most page breaks fall
    inside one."""
    filler = "the river rose and the brethren carried the books up".split()
    parts, entries = [], []
    for k in range(count):
        parts.append(" ".join(filler[(k + j) % len(filler)] for j in range(4)))
        parts.append("[" + " ".join(f"W{k}x{j}" for j in range(words)) + f"]{{app=x{k}}}")
        entries.append(f"[app:x{k}]: Alt{k} {{B}}")
    return " ".join(parts) + ".\n\n" + "\n".join(entries) + "\n"


def test_a_lemma_across_a_page_break_is_cited_by_both_ends(tmp_path):
    """`28–p. 5, 2`: the entry, on the page of the lemma's first word, cites that line,
    then the folio and line of the lemma's last word."""
    import pdfplumber

    from tests.test_apparatus import line_of, page_lines

    pdf, _ = build(tmp_path, long_lemmas())
    cited = 0
    with pdfplumber.open(pdf) as doc:
        texts = [p.extract_text() or "" for p in doc.pages]
        folios = [(t.strip().splitlines() or [""])[-1] for t in texts]
        for index, page in enumerate(doc.pages):
            # The foot's words in reading order (the slots' figures are drawn last).
            foot = " ".join(w["text"] for w in sorted(
                page_lines(page)[1], key=lambda w: (round(w["bottom"]), w["x0"])))
            for line, folio, end, k in re.findall(r"(\d+)–p\. (\d+), (\d+) W(\d+)x0", foot):
                words = page.extract_words(x_tolerance=1, extra_attrs=["size"])
                first = next(w for w in words if w["text"] == f"W{k}x0")
                assert line_of(page_lines(page)[0], first) == int(line)
                later = doc.pages[folios.index(folio)]
                assert folios.index(folio) == index + 1
                last = next(w for w in later.extract_words(x_tolerance=1)
                            if w["text"].startswith(f"W{k}x13"))
                assert line_of(page_lines(later)[0], last) == int(end)
                cited += 1
    assert cited >= 2


def test_a_bad_across_form_is_an_error_with_its_line(tmp_path, capsys):
    folder = edition(tmp_path, "[Two words]{app=a}.\n\n[app:a]: x {B}\n", WITNESSES,
                     'title = "T"\n\n[apparatus]\nacross = "{line} {folio}"\n')
    assert main(["build", str(folder), "-o", str(tmp_path / "out.pdf")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"edition: {folder / 'edition.toml'}:4: ")
    assert "must name {line}" in err[0] and "{folio}" in err[0]
    assert not (tmp_path / "out.pdf").exists()
