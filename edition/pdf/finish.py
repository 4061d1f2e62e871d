"""The last stage: the joined pages → PDF bytes with page labels, metadata and profile parts.

WeasyPrint writes the PDF (fonts, outline from the headings' bookmark levels, tags, the
PDF/A and PDF/X parts). What it lacks, page labels, is added through its `finisher`
hook while the PDF is still a pydyf object, so nothing rewrites the file afterwards and
archival conformance is not disturbed.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import uuid
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pydyf
from weasyprint import Attachment

from edition import safeio
from edition.errors import EditionError
from edition.layout.engine import ColorProfile, tagging, whole_fonts
from edition.model import Volume
from edition.pdf.fonts import FontStore
from edition.profiles import MM_PER_INCH, PressProfile, Profile, output_profile
from edition.readers.base import MAX_MARKUP_BYTES


@dataclass
class PartPages:
    name: str  # "front", "body", "index"
    labels: list[str]
    blanks_after: int = 0

    @property
    def count(self) -> int:
        return len(self.labels) + self.blanks_after


def finish_pdf(document, parts: list[PartPages], volume: Volume, profile: Profile) -> bytes:
    _metadata(document, volume)
    icc = output_profile(volume.settings, profile)
    _press_profile(document, icc)
    options = _profile_options(volume, profile, icc)
    labeller = _labeller(parts)
    xmp = _xmp_finisher(options["pdf_identifier"], volume.settings, _year(volume))

    def finisher(weasy_document, pdf: pydyf.PDF) -> None:
        labeller(weasy_document, pdf)
        xmp(weasy_document, pdf)
        _associated_files_once(pdf)
        if profile.bleed is not None:
            _bleed_boxes(pdf, profile.bleed)
    # A tagged PDF as PDF/UA expects it: notes, headings, artifacts (layout/engine/tagging.py).
    tagged = tagging(document) if profile.pdf_tags else nullcontext()
    with fonts_dated(source_date(volume)), tagged:
        return document.write_pdf(finisher=finisher, **options)


def write_part(document, settings, profile: Profile, fonts: FontStore) -> bytes:
    """One part's pages as a PDF to be joined with the others (merge.py): the profile's
    PDF variant and colour, its own bleed boxes, and every link to another part kept
    (a placeholder names the target, which the join points at the right page). Its font
    files are kept in `fonts`, the part names them (pdf/fonts.py)."""
    _name_missing_targets(document)
    icc = output_profile(settings, profile)
    _press_profile(document, icc)
    options: dict = {}
    if profile.pdf_variant:
        options["pdf_variant"] = profile.pdf_variant
    if profile.output_intent:
        options["output_intent"] = "device-cmyk" if icc else "srgb"

    def finisher(_document, pdf: pydyf.PDF) -> None:
        if profile.bleed is not None:
            _bleed_boxes(pdf, profile.bleed)
    with whole_fonts(fonts.stub):
        return document.write_pdf(finisher=finisher, **options)


def _name_missing_targets(document) -> None:
    """WeasyPrint drops a link whose target is not among the document's anchors: give
    each such target a placeholder anchor on the first page."""
    if not document.pages:
        return
    anchors = {name for page in document.pages for name in page.anchors}
    for page in document.pages:
        for kind, target, *_ in page.links:
            if kind == "internal" and target not in anchors:
                document.pages[0].anchors[target] = (0, 0, 0, 0)
                anchors.add(target)


@contextmanager
def fonts_dated(date: datetime):
    """Font subsets (fontTools) stamp their `head` table with the time of writing, unless
    SOURCE_DATE_EPOCH is set: set it to the sources' date while the PDF is written."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(date.timestamp()))
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def source_date(volume: Volume) -> datetime:
    """The date of the sources, fixed by the inputs so that the same sources give the same
    bytes: SOURCE_DATE_EPOCH; else 1 January of the edition's `year`; else the newest
    source file's modification time (which a fresh checkout changes). It dates what comes
    from the sources (the attachments, the font subsets), not the file (`file_date`).
    """
    if (epoch := _source_date_epoch()) is not None:
        return epoch
    if (year := _year(volume)) is not None:
        return datetime(year, 1, 1, tzinfo=UTC)
    stamps = [p.stat().st_mtime for p in volume.sources if p.exists()]
    return datetime.fromtimestamp(int(max(stamps, default=0)), UTC)


def file_date() -> datetime:
    """When the PDF was made, as its document info and XMP (CreateDate, ModifyDate) say:
    now, or SOURCE_DATE_EPOCH when set (reproducible builds: the same sources and epoch
    give the same bytes). The volume's own year is dc:date, not this."""
    epoch = _source_date_epoch()
    return epoch if epoch is not None else datetime.now(UTC).replace(microsecond=0)


def _source_date_epoch() -> datetime | None:
    """SOURCE_DATE_EPOCH (reproducible-builds.org): whole seconds since 1970, UTC."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise EditionError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970, "
                           f"not {value!r}")
    return datetime.fromtimestamp(int(value), UTC)


def _year(volume: Volume) -> int | None:
    """The edition's `year` when it is one (four digits)."""
    year = volume.settings.year.strip()
    return int(year) if year.isdigit() and 1000 <= int(year) <= 9999 else None


def _metadata(document, volume: Volume) -> None:
    settings = volume.settings
    meta = document.metadata
    meta.title = settings.title + (f": {settings.subtitle}" if settings.subtitle else "")
    meta.authors = list(settings.editors)
    meta.description = settings.subtitle or settings.title
    meta.keywords = list(settings.keywords)
    meta.generator = "edition"
    meta.lang = settings.language
    # The file's dates (dc:date, the volume's year, is added with the XMP: _xmp_finisher).
    meta.created = meta.modified = file_date().strftime("%Y-%m-%dT%H:%M:%SZ")


def _dublin_core_xmp(language: str, rights: str, year: int | None) -> bytes:
    """dc:language, dc:rights and dc:date (the volume's year), which WeasyPrint's XMP
    packet does not carry: one more rdf:Description for its rdf:RDF (a second rdf:RDF
    would not be read)."""
    dublin = ('<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">'
              f"{escape(rights)}</rdf:li></rdf:Alt></dc:rights>") if rights else ""
    if year is not None:
        dublin += f"<dc:date><rdf:Seq><rdf:li>{year}</rdf:li></rdf:Seq></dc:date>"
    return (
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:language><rdf:Bag><rdf:li>{escape(language)}</rdf:li></rdf:Bag></dc:language>"
        f"{dublin}</rdf:Description>").encode()


def _press_profile(document, icc: PressProfile | None) -> None:
    """Make the printer's ICC profile (`[print] output_profile`), if any, the document's
    CMYK profile and output intent."""
    if icc is None:
        return
    document.color_profiles["device-cmyk"] = ColorProfile(
        io.BytesIO(icc.data), icc.name, "relative-colorimetric", (["c"], ["m"], ["y"], ["k"]))
    document.output_intent = "device-cmyk"


def _profile_options(volume: Volume, profile: Profile, icc: PressProfile | None) -> dict:
    """WeasyPrint's write_pdf options for the profile's PDF variant and parts."""
    sources = _read_sources(volume)
    options: dict = {"pdf_identifier": _identifier(sources)}
    if profile.pdf_variant:
        options["pdf_variant"] = profile.pdf_variant
    if profile.pdf_tags:
        options["pdf_tags"] = True
    if profile.attach_sources:
        options["attachments"] = _source_attachments(volume, sources)
    if profile.output_intent:
        # The press condition: the printer's CMYK profile when given (_press_profile),
        # else WeasyPrint's sRGB profile.
        options["output_intent"] = "device-cmyk" if icc else "srgb"
    return options


def _read_sources(volume: Volume) -> dict[Path, bytes]:
    """The volume's source files read again (for the identifier and the attachments),
    each from inside the edition folder only: a source swapped for a link or a FIFO
    since it was read is refused, never followed or waited for (edition/safeio.py)."""
    return {path: safeio.read_capped(path, MAX_MARKUP_BYTES, volume.folder)
            for path in sorted(set(volume.sources)) if path.exists()}


def _identifier(sources: dict[Path, bytes]) -> bytes:
    digest = hashlib.sha256()
    for path, data in sources.items():
        digest.update(path.name.encode())
        digest.update(data)
    return digest.hexdigest()[:32].encode()


def _source_attachments(volume: Volume, sources: dict[Path, bytes]) -> list[Attachment]:
    """The edition's own sources, carried inside the archival PDF (PDF/A-3 associated
    files): the bytes read, not the file names, which WeasyPrint would open itself."""
    stamp = source_date(volume)
    # Dated like the PDF: the file's ctime would make every build differ.
    return [Attachment(string=data, description=f"Source file {path.name}", name=path.name,
                       relationship="Source", created=stamp, modified=stamp)
            for path, data in sources.items()]


def _xmp_finisher(identifier: bytes, settings, year: int | None):
    """A finisher completing the XMP packet the PDF/A and PDF/X variants write: the
    language, rights and the volume's year (Dublin Core), and instead of the random
    xmpMM:DocumentID of PDF/X-4 (uuid4 in WeasyPrint) one derived from the sources, for
    identical bytes."""
    fixed = f"xmp.did:{uuid.UUID(hex=identifier.decode()[:32])}".encode()
    dublin_core = _dublin_core_xmp(settings.language, settings.rights, year)

    def finisher(_document, pdf: pydyf.PDF) -> None:
        reference = pdf.catalog.get("Metadata")
        if reference is None:
            return  # a plain PDF has no XMP packet
        stream = pdf.objects[int(reference.split()[0])]  # b"12 0 R"
        packet = b"".join(_bytes(chunk) for chunk in stream.stream)
        packet = re.sub(rb"xmp\.did:[0-9a-fA-F-]{36}", fixed, packet)
        packet = packet.replace(b"</rdf:RDF>", dublin_core + b"</rdf:RDF>", 1)
        stream.stream = [packet]
    return finisher


def _associated_files_once(pdf: pydyf.PDF) -> None:
    """Each attachment once in the catalog's /AF.

    WeasyPrint 70's PDF/A-3 variant (pdf/pdfa.py) adds every file specification twice:
    once from the EmbeddedFiles name tree, once from its walk over all the objects."""
    listed = pdf.catalog.get("AF")
    if not listed:
        return
    seen: set[bytes] = set()
    unique = pydyf.Array()
    for reference in listed:
        key = b" ".join(_bytes(reference).split())
        if key not in seen:
            seen.add(key)
            unique.append(reference)
    pdf.catalog["AF"] = unique


def _bleed_boxes(pdf: pydyf.PDF, bleed_mm: float) -> None:
    """Every page's BleedBox: its TrimBox grown by the bleed asked for.

    WeasyPrint sets it between the TrimBox and the MediaBox, at most 10pt past the
    trim; the MediaBox (CSS `bleed`, render/css.py) also holds the crop marks.
    """
    bleed = bleed_mm * 72 / MM_PER_INCH
    for number in pdf.pages["Kids"][::3]:  # [number, 0, "R", …]
        page = pdf.objects[number]
        left, top, right, bottom = (float(v) for v in page["TrimBox"])
        media = [float(v) for v in page["MediaBox"]]
        page["BleedBox"] = pydyf.Array([
            max(left - bleed, media[0]), max(top - bleed, media[1]),
            min(right + bleed, media[2]), min(bottom + bleed, media[3])])


def _bytes(chunk) -> bytes:
    return chunk if isinstance(chunk, bytes) else str(chunk).encode()


def _labeller(parts: list[PartPages]):
    """A WeasyPrint finisher adding /PageLabels that match the printed folios."""
    def finisher(_document, pdf: pydyf.PDF) -> None:
        nums = pydyf.Array()
        start = 0
        for part in parts:
            if not part.count:
                continue
            if part.name == "front":
                label = pydyf.Dictionary({"S": "/r"})
            else:
                label = pydyf.Dictionary({"S": "/D", "St": int(part.labels[0])})
            nums.extend([start, label])
            start += part.count
        pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": nums})
    return finisher
