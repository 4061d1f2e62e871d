"""The output profiles (issue 5), each built from the sample volume and judged on its PDF.

handout: selected documents only, its paper, labels left on every page, "page x of y",
note numbers, line numbers on their lines, no front matter, index only when asked.
archive: PDF/A XMP, output intent, embedded fonts, the sources attached, byte-identical
rebuilds, qpdf --check. print: trim/bleed boxes, crop marks outside the trim, PDF/X-4,
padding to a multiple of 4, truly blank versos, black text only.
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from edition.build import load, typeset
from edition.errors import EditionError

SOURCE = Path(__file__).resolve().parents[1] / "source"
MM = 72 / 25.4
A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)


def _write(tmp_path_factory, name: str, book) -> Path:
    path = tmp_path_factory.mktemp("profiles") / f"{name}.pdf"
    path.write_bytes(book.pdf)
    return path


@pytest.fixture(scope="module")
def handout(tmp_path_factory):
    book = typeset(SOURCE, profile="handout", documents=["53", "54"],
                   handout_line_numbers=True)
    return book, _write(tmp_path_factory, "handout", book)


@pytest.fixture(scope="module")
def handout_letter(tmp_path_factory):
    book = typeset(SOURCE, profile="handout", documents=["54", "55"], handout_paper="letter",
                   handout_notes="restart", handout_index=True)
    return book, _write(tmp_path_factory, "handout-letter", book)


# A reproducible build's date (reproducible-builds.org): with it the same sources give the
# same bytes; without it the PDF's dates are the time it was made (issue 28).
EPOCH = "1700000000"


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", EPOCH)
        book = typeset(SOURCE, profile="archive", rights="CC BY 4.0")
    return book, _write(tmp_path_factory, "archive", book)


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    book = typeset(SOURCE, profile="print", print_bleed=3.0, print_marks="crop",
                   print_pad_to=4, document_start="recto")
    return book, _write(tmp_path_factory, "print", book)


def _texts(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


# ------------------------------------------------------------------ every profile


@pytest.mark.parametrize("name", ["handout", "handout_letter", "archive", "printed"])
def test_preflight_finds_no_displaced_notes_or_errors(name, request):
    book, _ = request.getfixturevalue(name)
    assert not [f for f in book.findings if f.rule == "note-displaced"]
    assert not [f for f in book.findings if f.severity == "error"], book.findings


def test_resolve_makes_each_profiles_choices_fields():
    from edition.profiles import resolve
    from edition.settings import Settings

    book = resolve(Settings())
    assert (book.mirrored, book.label_side, book.label_margin) == (True, "outer", 30.0)
    assert book.front_matter and book.index and book.index_on_recto
    assert (book.paper, book.pdf_variant, book.bleed, book.pad_to) == ("6x9in", None, None, 0)
    assert not (book.line_numbers or book.page_x_of_y or book.job_ticket)
    handout = resolve(Settings(profile="handout", handout_paper="letter",
                               handout_line_numbers=True))
    assert (handout.paper, handout.mirrored, handout.label_side) == ("letter", False, "left")
    assert (handout.margin_left, handout.margin_right, handout.label_margin) == (40, 22, 40)
    assert handout.line_numbers and handout.page_x_of_y and not handout.index_on_recto
    assert not (handout.front_matter or handout.index)
    assert resolve(Settings(profile="handout", handout_index=True)).index
    assert not resolve(Settings(profile="handout", handout_index=True, index=False)).index
    archive = resolve(Settings(profile="archive"))
    assert (archive.pdf_variant, archive.pdf_tags, archive.attach_sources) == (
        "pdf/a-3b", True, True)
    assert not resolve(Settings(profile="archive", archive_variant="pdf/a-2u")).attach_sources
    printed = resolve(Settings(profile="print", print_bleed=3.0, print_marks="crop",
                               print_pad_to=16, front_matter=False))
    assert (printed.bleed, printed.marks, printed.pad_to) == (3.0, "crop", 16)
    assert printed.job_ticket and printed.output_intent and printed.pdf_variant == "pdf/x-4"
    assert not printed.front_matter
    with pytest.raises(EditionError):
        resolve(Settings(profile="print", print_bleed=30.0))


PROFILE_NAME = "(book|handout|archive|print)"
NAME_COMPARED = re.compile(
    rf"[=!]=\s*[\"']{PROFILE_NAME}[\"']|[\"']{PROFILE_NAME}[\"']\s*[=!]="
    rf"|\bin\s*[(\[{{]\s*[\"']{PROFILE_NAME}[\"']|profile\.name\s*[=!]="
    r"|settings\.profile\s*[=!]=")


def test_no_module_but_profiles_compares_a_profile_name():
    """What differs between the profiles is a field of Profile, asked by every module."""
    package = Path(__file__).resolve().parents[1] / "edition"
    found = [f"{path.relative_to(package)}:{number}: {line.strip()}"
             for path in sorted(package.rglob("*.py")) if path.name != "profiles.py"
             for number, line in enumerate(path.read_text().splitlines(), 1)
             if NAME_COMPARED.search(line)]
    assert found == []
    assert NAME_COMPARED.search('if settings.profile == "handout":')
    assert NAME_COMPARED.search("recto = profile.name != 'handout'")


# ------------------------------------------------------------------ handout


def test_handout_has_only_the_selected_documents_and_no_front_matter(handout):
    book, path = handout
    texts = _texts(path)
    assert [d.number for d in book.volume.documents] == ["53", "54"]
    assert "Document No. 53" in texts[0]  # the first page is the document, no title page
    joined = "\n".join(texts)
    assert "Document No. 54" in joined
    assert "Document No. 55" not in joined
    assert "Contents" not in joined and "Editorial Principles" not in joined
    assert book.part("front") is None and book.part("index") is None


def test_handout_paper_is_a4_unless_set(handout, handout_letter):
    for (_, path), size in ((handout, A4), (handout_letter, LETTER)):
        with pikepdf.open(path) as pdf:
            for page in pdf.pages:
                box = [float(v) for v in page.MediaBox]
                assert box[2] - box[0] == pytest.approx(size[0], abs=0.5)
                assert box[3] - box[1] == pytest.approx(size[1], abs=0.5)


def test_handout_footer_is_page_x_of_y(handout):
    texts = _texts(handout[1])
    for number, text in enumerate(texts, 1):
        assert f"page {number} of {len(texts)}" in text


def test_handout_header_has_volume_title_and_document_number(handout):
    book, path = handout
    first_line = _texts(path)[1].splitlines()[0]
    assert book.volume.settings.title.split(",")[0] in first_line
    assert "Document No. 53" in first_line


def _margin_words(path: Path, settings):
    """Per page: (words left of the text block, words right of it)."""
    left_edge = settings.handout_margin_left * MM
    out = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            right_edge = page.width - settings.handout_margin_right * MM
            words = page.extract_words()
            out.append(([w for w in words if w["x1"] < left_edge - 1],
                        [w for w in words if w["x0"] > right_edge + 1]))
    return out


def test_handout_labels_stand_in_the_left_margin_on_every_page(handout):
    book, path = handout
    body = book.body.laid.report
    margins = _margin_words(path, book.volume.settings)
    pages_with_labels = {label.page for label in body.labels}
    assert len(pages_with_labels) >= 2  # recto and verso alike
    for index in pages_with_labels:
        left, right = margins[index]
        assert left, f"page {index + 1}: no label in the left margin"
        # The right margin holds line numbers only, never a label.
        assert all(w["text"].isdigit() for w in right)
    label_words = {w for label in body.labels for w in label.text.replace(",", " ").split()}
    printed = {w["text"].strip(",").lower() for page in margins for w in page[0]}
    assert {w.lower() for w in label_words} <= printed


# Notes are set at 0.82rem of the text's size; the smallest counted text, the colophon,
# at 0.85 (the handout's text is larger than the book's: Profile.font_scale).
NOTE_RATIO = 0.83


def _baselines(page, left: float, right: float, top: float, bottom: float,
               notes: bool = False) -> list[float]:
    """Distinct baselines (pt from the top) of the text block's lines on a pdfplumber page:
    the body's lines, or with `notes` the note area's."""
    found: list[float] = []
    chars = [c for c in page.chars
             # not the labels, line numbers, running head, footer
             if left - 1 <= c["x0"] and c["x1"] <= right + 1
             and top - 1 <= c["top"] and c["bottom"] <= bottom + 1]
    sizes = Counter(round(c["size"], 1) for c in chars)
    note_size = NOTE_RATIO * sizes.most_common(1)[0][0] if sizes else 0
    for char in chars:
        if (char["size"] < note_size) != notes:
            continue
        baseline = page.height - char["matrix"][5]
        if not any(abs(baseline - b) < 0.5 for b in found):
            found.append(baseline)
    return sorted(found)


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def _headings(volume) -> list[str]:
    """The letters of every title and heading of the volume (titles, headings and
    sub-headings are not counted as lines: issue 25)."""
    from edition.model import Attachment, Heading, Paragraph, plain_text, walk

    texts = [f"Document No. {d.number}: " + plain_text(d.title, " ", one_line=True)
             for d in volume.documents]
    for doc in volume.documents:
        for block in walk.blocks(*walk.document_groups(doc)):
            if isinstance(block, Heading) or (isinstance(block, Paragraph)
                                              and "subhead" in block.roles):
                texts.append(plain_text(block.inlines, " ", one_line=True))
            elif isinstance(block, Attachment):
                texts.append(plain_text(block.title, " ", one_line=True))
    return [_letters(t) for t in texts]


def _heading_lines(page, headings: list[str]) -> list[float]:
    """The baselines of the page's lines that begin or end a heading's text."""
    lines: dict[float, str] = {}
    for char in page.chars:
        key = round(page.height - char["matrix"][5], 0)
        lines[key] = lines.get(key, "") + char["text"]
    return [b for b, text in lines.items()
            if _letters(text) and any(h.startswith(_letters(text)) or h.endswith(
                _letters(text)) for h in headings)]


def _margin_numbers(page, right: float) -> dict[float, str]:
    """The line numbers right of the text block: baseline (pt from the top) → digits."""
    numbers: dict[float, str] = {}
    for char in page.chars:
        if char["x0"] > right + 1:
            baseline = round(page.height - char["matrix"][5], 1)
            numbers[baseline] = numbers.get(baseline, "") + char["text"]
    return numbers


def test_handout_line_numbers_sit_on_the_lines_they_count(handout):
    book, path = handout
    settings = book.volume.settings
    assert not [f for f in book.findings if f.rule == "line-number"]
    checked = 0
    headings = _headings(book.volume)
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            left = settings.handout_margin_left * MM
            right = page.width - settings.handout_margin_right * MM
            lines = _baselines(page, left, right, settings.margin_top * MM,
                               page.height - settings.margin_bottom * MM)
            skip = _heading_lines(page, headings)
            lines = [b for b in lines if not any(abs(b - h) < 1.5 for h in skip)]
            numbers = _margin_numbers(page, right)
            for baseline, text in numbers.items():
                k = int(text)
                assert k % 5 == 0
                # The number's baseline is the k-th line's: k lines at or above it.
                assert any(abs(baseline - b) < 0.5 for b in lines), (k, baseline)
                assert sum(1 for b in lines if b < baseline + 0.5) == k
                checked += 1
            # Every 5th line has its number: none is missing at the page's end either.
            assert len(lines) // 5 == len(numbers)
    assert checked >= 10


def test_handout_notes_keep_volume_numbers_or_restart(handout, handout_letter):
    volume, _ = load(SOURCE)
    first_of_54 = min(n.number for d in volume.documents if d.number == "54"
                      for n in d.notes.values())
    first_of_53 = min(n.number for d in volume.documents if d.number == "53"
                      for n in d.notes.values())
    assert first_of_54 > 1
    volume_numbers = [n.number for p in handout[0].parts for n in p.laid.report.notes]
    assert min(volume_numbers) == first_of_53
    restarted = handout_letter[0]
    numbers = sorted(n.number for d in restarted.volume.documents for n in d.notes.values())
    assert numbers == list(range(1, len(numbers) + 1))
    # On the page: the first note of document 54 is printed as 1, not as its volume number.
    text = _texts(handout_letter[1])[0]
    assert re.search(r"^1\s", text, re.M)
    assert not re.search(rf"^{first_of_54}\s", text, re.M)


def test_handout_index_only_when_asked(handout, handout_letter):
    assert "Index" not in "\n".join(_texts(handout[1]))
    book, path = handout_letter
    index = book.part("index")
    assert index.labels
    names = {e.heading if hasattr(e, "heading") else str(e) for e in book.index_entries}
    assert names
    assert "Index" in _texts(path)[-1]
    # Only names from the selected documents are indexed.
    assert {o.document_number for o in book.occurrences} <= {"54", "55"}
    # "page x of y" runs on through the index and counts its pages.
    texts = _texts(path)
    total = len(texts)
    for number, text in enumerate(texts, 1):
        assert f"page {number} of {total}" in text


def test_handout_unknown_document_is_one_line_error():
    with pytest.raises(EditionError) as info:
        typeset(SOURCE, profile="handout", documents=["53", "999"])
    assert "999" in str(info.value) and "\n" not in str(info.value)


# ------------------------------------------------------------------ archive


def test_archive_xmp_declares_pdfa_3b_with_dublin_core(archive):
    _, path = archive
    with pikepdf.open(path) as pdf:
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "3"
        assert meta["pdfaid:conformance"] == "B"
        assert "Soviet Decision-Making" in str(meta["dc:title"])
        assert "CC BY 4.0" in str(meta["dc:rights"])
        assert "en" in str(meta["dc:language"])
        assert meta["dc:creator"]


def test_archive_has_srgb_output_intent_and_tags(archive):
    _, path = archive
    with pikepdf.open(path) as pdf:
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == "/GTS_PDFA1"
        icc = intent.DestOutputProfile.read_bytes()
        assert icc[36:40] == b"acsp" and icc[16:20] == b"RGB "
        assert "/StructTreeRoot" in pdf.Root
        assert pdf.Root.MarkInfo.Marked
        assert "/Encrypt" not in pdf.trailer


def _fonts(pdf: pikepdf.Pdf):
    for page in pdf.pages:
        for font in page.Resources.get("/Font", {}).values():
            yield font
            yield from font.get("/DescendantFonts", [])


def test_archive_embeds_every_font(archive):
    _, path = archive
    with pikepdf.open(path) as pdf:
        fonts = list(_fonts(pdf))
        assert fonts
        for font in fonts:
            if font.Subtype == "/Type0":
                continue  # its descendant carries the descriptor
            descriptor = font.FontDescriptor
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), \
                font.get("/BaseFont")


def test_archive_carries_its_sources_byte_for_byte(archive):
    book, path = archive
    sources = {p.name: p.read_bytes() for p in book.volume.sources}
    assert {"edition.toml", "persons.toml"} <= set(sources)
    with pikepdf.open(path) as pdf:
        attached = {name: spec.get_file().read_bytes()
                    for name, spec in pdf.attachments.items()}
        assert attached == sources
        for ref in pdf.Root.AF:
            assert ref.AFRelationship == "/Source"


def test_archive_lists_each_attachment_once_in_af(archive):
    """The catalog's /AF names each attached file once (WeasyPrint 70 listed it twice)."""
    _, path = archive
    with pikepdf.open(path) as pdf:
        listed = [(ref.objgen, str(ref.UF)) for ref in pdf.Root.AF]
        assert len(listed) == len(pdf.attachments) > 0
        assert len(set(listed)) == len(listed), listed
        assert sorted(name for _, name in listed) == sorted(pdf.attachments)


def test_archive_is_byte_identical_when_rebuilt(archive, monkeypatch):
    book, _ = archive
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    again = typeset(SOURCE, profile="archive", rights="CC BY 4.0")
    assert again.pdf == book.pdf


@pytest.mark.parametrize("name", ["archive", "printed"])
def test_qpdf_check_passes(name, request):
    _, path = request.getfixturevalue(name)
    result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_archive_variant_is_selectable(tmp_path):
    book = typeset(SOURCE, profile="archive", documents=["53"], archive_variant="pdf/a-2u")
    path = tmp_path / "a2u.pdf"
    path.write_bytes(book.pdf)
    with pikepdf.open(path) as pdf:
        meta = pdf.open_metadata()
        assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("2", "U")
        assert not pdf.attachments  # PDF/A-2 carries no non-PDF attachments


# ------------------------------------------------------------------ print


# With crop marks the MediaBox reaches 10 mm past the trim: the 3 mm bleed, then the
# 5 mm marks standing 5 mm off the trim (Profile.media_margin).
MEDIA_MARGIN = 10 * MM


def test_print_boxes_trim_plus_bleed(printed):
    book, path = printed
    width, height = (v * MM for v in book.volume.settings.trim_mm)
    bleed = 3 * MM
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            trim = [float(v) for v in page.TrimBox]
            media = [float(v) for v in page.MediaBox]
            box = [float(v) for v in page.BleedBox]
            assert trim[2] - trim[0] == pytest.approx(width, abs=0.1)
            assert trim[3] - trim[1] == pytest.approx(height, abs=0.1)
            assert media[2] - media[0] == pytest.approx(width + 2 * MEDIA_MARGIN, abs=0.1)
            assert media[3] - media[1] == pytest.approx(height + 2 * MEDIA_MARGIN, abs=0.1)
            assert box == pytest.approx([trim[0] - bleed, trim[1] - bleed,
                                         trim[2] + bleed, trim[3] + bleed], abs=0.01)


def test_print_is_pdfx4_with_output_intent(printed):
    _, path = printed
    with pikepdf.open(path) as pdf:
        xmp = bytes(pdf.Root.Metadata.read_bytes())
        assert b"GTS_PDFXVersion>PDF/X-4<" in xmp
        assert pdf.Root.OutputIntents[0].S == "/GTS_PDFX"


def test_print_page_count_is_padded_to_a_multiple_of_4(printed):
    book, path = printed
    with pikepdf.open(path) as pdf:
        count = len(pdf.pages)
    assert count % 4 == 0 and count == book.page_count
    assert 0 <= book.padding < 4


def _dark_pixels(path: Path, page: int, dpi: int = 72):
    """(x, y) in points of the dark pixels of a page rendered over its MediaBox."""
    from PIL import Image

    out = path.with_suffix(f".p{page}")
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", "-singlefile", "-f",
                    str(page), "-l", str(page), str(path), str(out)], check=True)
    image = Image.open(f"{out}.png").convert("L")
    pixels = image.load()
    scale = 72 / dpi
    return [(x * scale, y * scale) for y in range(image.height) for x in range(image.width)
            if pixels[x, y] < 128]


def _blank_pages(path: Path) -> list[int]:
    with pdfplumber.open(path) as pdf:
        return [i for i, page in enumerate(pdf.pages, 1) if not page.chars]


def test_print_blank_versos_are_truly_blank_with_crop_marks_outside_the_trim(printed):
    book, path = printed
    blanks = _blank_pages(path)
    versos = [n for n in blanks if n <= book.page_count - book.padding]
    assert len(versos) >= 3, "documents start on a recto: blank versos before them"
    assert all(number % 2 == 0 for number in versos)
    # The padding pages at the end are blank too.
    assert blanks[-book.padding:] == list(range(book.page_count - book.padding + 1,
                                                book.page_count + 1))
    bleed = MEDIA_MARGIN  # where the trim stands in the rendered MediaBox
    with pikepdf.open(path) as pdf:
        trim = [float(v) for v in pdf.pages[0].TrimBox]
    width, height = trim[2] - trim[0], trim[3] - trim[1]
    for number in [*versos[:3], blanks[-1]]:
        dark = _dark_pixels(path, number)
        assert dark, "crop marks are drawn"
        # Nothing inside the trim: every mark lies in the bleed, outside the TrimBox.
        inside = [(x, y) for x, y in dark if bleed + 1 < x < bleed + width - 1
                  and bleed + 1 < y < bleed + height - 1]
        assert not inside


def test_print_body_pages_have_crop_marks_outside_the_trim(printed):
    _, path = printed
    dark = _dark_pixels(path, 5)
    corner = [(x, y) for x, y in dark if x < MEDIA_MARGIN and y < MEDIA_MARGIN]
    assert corner


_COLOUR_OPS = {"rg", "RG", "sc", "SC", "scn", "SCN", "k", "K"}


def _is_gray(operator: str, operands: list[float]) -> bool:
    if operator in ("k", "K"):
        return operands[:3] == [0, 0, 0]
    return len(operands) < 3 or max(operands) - min(operands) < 1e-6


def _content_streams(pdf: pikepdf.Pdf):
    for page in pdf.pages:
        yield page
        for xobject in page.Resources.get("/XObject", {}).values():
            if xobject.get("/Subtype") == "/Form":
                yield xobject


def test_print_text_and_rules_are_black_or_gray_only(printed):
    _, path = printed
    with pikepdf.open(path) as pdf:
        for stream in _content_streams(pdf):
            for operands, operator in pikepdf.parse_content_stream(stream):
                name = str(operator)
                if name in _COLOUR_OPS:
                    values = [float(v) for v in operands if isinstance(v, int | float)
                              or hasattr(v, "__float__")]
                    assert _is_gray(name, values), (name, values)


def test_print_job_ticket_lines(printed):
    from edition.profiles import job_ticket, resolve

    book, _ = printed
    settings = book.volume.settings
    lines = job_ticket(settings, resolve(settings), book.page_count - book.padding,
                       book.page_count)
    text = "\n".join(lines)
    assert "152.4 × 228.6 mm (6 × 9 in)" in text
    assert "bleed:    3 mm, marks: crop" in text
    assert "PDF/X-4" in text
    assert f"= {book.page_count}" in text or book.padding == 0


# ------------------------------------------------------------------ press condition

SYSTEM_CMYK = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")


def _print_edition(tmp_path, profile_bytes: bytes | None, name: str = "press.icc") -> Path:
    import shutil

    folder = tmp_path / "ed"
    shutil.copytree(SOURCE, folder)
    if profile_bytes is not None:
        (folder / name).write_bytes(profile_bytes)
    with (folder / "edition.toml").open("a", encoding="utf-8") as toml:
        toml.write(f'\n[print]\noutput_profile = "{name}"\n')
    return folder


@pytest.mark.skipif(not SYSTEM_CMYK.is_file(), reason="no CMYK ICC profile on this machine "
                    "(Debian's libgs-common has one)")
def test_print_output_intent_is_the_printers_cmyk_profile(tmp_path):
    import io

    import pikepdf

    folder = _print_edition(tmp_path, SYSTEM_CMYK.read_bytes())
    book = typeset(folder, profile="print")
    with pikepdf.open(io.BytesIO(book.pdf)) as pdf:
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == "/GTS_PDFX"
        profile = intent.DestOutputProfile
        assert int(profile.N) == 4
        data = profile.read_bytes()
        assert data[12:16] == b"prtr" and data[16:20] == b"CMYK"


def test_print_output_profile_must_be_a_cmyk_printer_profile(tmp_path):
    from edition.render import STYLES_DIR  # noqa: F401  (the package's sRGB is not one)

    srgb = Path(pytest.importorskip("weasyprint").__file__).parent / "pdf" / "sRGB2014.icc"
    folder = _print_edition(tmp_path, srgb.read_bytes())
    with pytest.raises(EditionError) as info:
        typeset(folder, profile="print")
    assert "not a CMYK printer" in str(info.value)
    assert info.value.line == len((folder / "edition.toml").read_text().splitlines())


def test_print_output_profile_missing_is_an_error(tmp_path):
    folder = _print_edition(tmp_path, None, "absent.icc")
    with pytest.raises(EditionError) as info:
        typeset(folder, profile="print")
    assert "absent.icc" in str(info.value) and info.value.file.endswith("edition.toml")


def test_archive_is_identical_from_two_checkouts_of_the_same_sources(tmp_path, monkeypatch):
    """Different folders and file times (a fresh clone), same sources and
    SOURCE_DATE_EPOCH: the same bytes."""
    import os
    import shutil

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    first, second = tmp_path / "a", tmp_path / "elsewhere" / "b"
    shutil.copytree(SOURCE, first)
    shutil.copytree(SOURCE, second)
    for path in second.iterdir():
        os.utime(path, (1_000_000_000, 1_000_000_000))
    assert typeset(first, profile="archive").pdf == typeset(second, profile="archive").pdf
