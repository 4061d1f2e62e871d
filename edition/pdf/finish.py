"""The last stage: the joined pages → PDF bytes with page labels and metadata.

WeasyPrint writes the PDF (fonts, outline from the headings' bookmark levels, tags and
PDF/A parts); pypdf then adds what WeasyPrint cannot: page labels matching the printed
folios in every part.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from pypdf.constants import PageLabelStyle

from edition.model import Volume


@dataclass
class PartPages:
    name: str  # "front", "body", "index"
    labels: list[str]
    blanks_after: int = 0

    @property
    def count(self) -> int:
        return len(self.labels) + self.blanks_after


def finish_pdf(document, parts: list[PartPages], volume: Volume, profile: str) -> bytes:
    pdf = document.write_pdf(**_weasy_options(volume, profile))
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    _page_labels(writer, parts)
    _metadata(writer, volume)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _weasy_options(volume: Volume, profile: str) -> dict:
    return {}


def _page_labels(writer: PdfWriter, parts: list[PartPages]) -> None:
    start = 0
    for part in parts:
        if not part.count:
            continue
        style = PageLabelStyle.LOWERCASE_ROMAN if part.name == "front" else PageLabelStyle.DECIMAL
        first = 1 if part.name == "front" else int(part.labels[0])
        writer.set_page_label(start, start + part.count - 1, style=style, start=first)
        start += part.count


def _metadata(writer: PdfWriter, volume: Volume) -> None:
    settings = volume.settings
    title = settings.title + (f": {settings.subtitle}" if settings.subtitle else "")
    info = {"/Title": title, "/Author": ", ".join(settings.editors),
            "/Subject": settings.subtitle or settings.title,
            "/Keywords": ", ".join(settings.keywords), "/Creator": "edition"}
    writer.add_metadata({k: v for k, v in info.items() if v})
    writer._root_object[_name("/Lang")] = _text(settings.language)


def _name(value: str):
    from pypdf.generic import NameObject

    return NameObject(value)


def _text(value: str):
    from pypdf.generic import TextStringObject

    return TextStringObject(value)
