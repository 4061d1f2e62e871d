"""The last stage: the joined pages → PDF bytes with page labels, metadata and profile parts.

WeasyPrint writes the PDF (fonts, outline from the headings' bookmark levels, tags, the
PDF/A and PDF/X parts). What it lacks, page labels, is added through its `finisher`
hook while the PDF is still a pydyf object, so nothing rewrites the file afterwards and
archival conformance is not disturbed.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pydyf
from weasyprint import Attachment

from edition.model import Volume
from edition.profiles import Profile


@dataclass
class PartPages:
    name: str  # "front", "body", "index"
    labels: list[str]
    blanks_after: int = 0

    @property
    def count(self) -> int:
        return len(self.labels) + self.blanks_after


# PDF variants by profile option value.
ARCHIVE_VARIANTS = {"pdf/a-3b", "pdf/a-2u", "pdf/a-3a", "pdf/a-2b", "pdf/a-3u"}


def finish_pdf(document, parts: list[PartPages], volume: Volume, profile: Profile) -> bytes:
    _metadata(document, volume)
    options = _profile_options(volume, profile.name, profile.pdf_variant)
    return document.write_pdf(finisher=_labeller(parts), **options)


def source_date(volume: Volume) -> datetime:
    """The date written into the PDF: SOURCE_DATE_EPOCH, else the newest source file.

    Fixed by the inputs, so the same sources give a byte-identical PDF.
    """
    if epoch := os.environ.get("SOURCE_DATE_EPOCH"):
        return datetime.fromtimestamp(int(epoch), UTC)
    stamps = [p.stat().st_mtime for p in volume.sources if p.exists()]
    return datetime.fromtimestamp(int(max(stamps, default=0)), UTC)


def _metadata(document, volume: Volume) -> None:
    settings = volume.settings
    meta = document.metadata
    meta.title = settings.title + (f": {settings.subtitle}" if settings.subtitle else "")
    meta.authors = list(settings.editors)
    meta.description = settings.subtitle or settings.title
    meta.keywords = list(settings.keywords)
    meta.generator = "edition"
    meta.lang = settings.language
    stamp = source_date(volume).strftime("%Y-%m-%dT%H:%M:%SZ")
    meta.created = meta.modified = stamp
    if settings.rights:
        meta.xmp_metadata = [_rights_xmp(settings.rights)]


def _rights_xmp(rights: str) -> bytes:
    return (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">'
        f"{escape(rights)}</rdf:li></rdf:Alt></dc:rights>"
        "</rdf:Description></rdf:RDF>").encode()


def _profile_options(volume: Volume, profile: str, variant: str | None) -> dict:
    identifier = _identifier(volume)
    if profile == "archive":
        variant = variant or "pdf/a-3b"
        # PDF/A-2 allows only PDF/A attachments; PDF/A-3 carries the sources themselves.
        attachments = _source_attachments(volume) if variant.startswith("pdf/a-3") else []
        return {"pdf_variant": variant, "pdf_identifier": identifier, "pdf_tags": True,
                "attachments": attachments}
    if profile == "print":
        return {"pdf_variant": variant or "pdf/x-4", "pdf_identifier": identifier}
    return {"pdf_identifier": identifier}


def _identifier(volume: Volume) -> bytes:
    digest = hashlib.sha256()
    for path in sorted(volume.sources):
        if path.exists():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:32].encode()


def _source_attachments(volume: Volume) -> list[Attachment]:
    """The edition's own sources, carried inside the archival PDF (PDF/A-3 associated files)."""
    attachments = []
    for path in sorted(set(volume.sources)):
        if isinstance(path, Path) and path.is_file():
            attachments.append(Attachment(
                filename=str(path), description=f"Source file {path.name}",
                name=path.name, relationship="Source"))
    return attachments


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
