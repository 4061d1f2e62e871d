"""The small generated stylesheet: only the values of the settings, never the look."""

from __future__ import annotations

from edition.settings import Settings

# The family of the bundled @font-face rules (styles/base.css). It always closes the
# font-family list, so no glyph falls through to a generic (system) family.
BUNDLED_FAMILY = "Linux Libertine"

_BREAKS = {"new-page": "page", "recto": "recto", "run-on": "auto"}


def css_string(value: str) -> str:
    """A CSS string literal."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ")
    return f'"{escaped}"'


def font_stack(settings: Settings) -> str:
    families = [settings.font_family.strip() or BUNDLED_FAMILY]
    if BUNDLED_FAMILY not in families:
        families.append(BUNDLED_FAMILY)
    return ", ".join(css_string(f) for f in families)


def settings_css(settings: Settings) -> str:
    width, height = settings.trim_mm
    stack = font_stack(settings)
    pages = "inline" if settings.show_original_pages else "none"
    return f"""
@page {{
  size: {width:g}mm {height:g}mm;
  margin-top: {settings.margin_top:g}mm;
  margin-bottom: {settings.margin_bottom:g}mm;
}}
/* Mirrored margins: the outer margin is the wide one, it carries the speaker labels. */
@page :left {{
  margin-left: {settings.margin_outer:g}mm;
  margin-right: {settings.margin_inner:g}mm;
}}
@page :right {{
  margin-left: {settings.margin_inner:g}mm;
  margin-right: {settings.margin_outer:g}mm;
}}
html {{
  font-family: {stack};
  font-size: {settings.font_size:g}pt;
}}
pre, code, kbd, samp, tt {{ font-family: {stack}; }}
/* The label's width is the outer margin less the gap to the text and a little air. */
.speaker {{ width: calc({settings.margin_outer:g}mm - var(--label-gap) - 2mm); }}
section.document {{ break-before: {_BREAKS[settings.document_start]}; }}
.orig-page {{ display: {pages}; }}
"""
