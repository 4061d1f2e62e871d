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
    pages = "block" if settings.show_original_pages else "none"
    return f"""
@page {{
  size: {width:g}mm {height:g}mm;
  margin-top: {settings.margin_top:g}mm;
  margin-bottom: {settings.margin_bottom:g}mm;
}}
{side_margins_css(settings)}{marks_css(settings)}html {{
  font-family: {stack};
  font-size: {settings.font_size:g}pt;
}}
pre, code, kbd, samp, tt {{ font-family: {stack}; }}
/* The label's width is the outer margin less the gap to the text and a little air. */
.speaker {{ width: calc({_label_margin(settings):g}mm - var(--label-gap) - 2mm); }}
section.document {{ break-before: {_BREAKS[settings.document_start]}; }}
.copyright-page {{ height: {height - settings.margin_top - settings.margin_bottom - 2:g}mm; }}
.orig-page {{ display: {pages}; }}
/* Original page numbers stand in the inner margin, the outer one being the labels'. */
.orig-page {{ width: {max(settings.margin_inner - 3, 4):g}mm; }}
.orig-page-left {{ left: -{max(settings.margin_inner - 1, 5):g}mm; }}
.orig-page-right {{ right: -{max(settings.margin_inner - 1, 5):g}mm; }}
"""


def side_margins_css(settings: Settings) -> str:
    """Mirrored margins for books; the same margins on every page of a handout."""
    if settings.profile == "handout":
        # No recto/verso: labels always in the left margin, line numbers in the right.
        return f"""@page {{
  margin-left: {settings.handout_margin_left:g}mm;
  margin-right: {settings.handout_margin_right:g}mm;
}}
"""
    return f"""/* Mirrored margins: the outer margin is the wide one, it carries the labels. */
@page :left {{
  margin-left: {settings.margin_outer:g}mm;
  margin-right: {settings.margin_inner:g}mm;
}}
@page :right {{
  margin-left: {settings.margin_inner:g}mm;
  margin-right: {settings.margin_outer:g}mm;
}}
"""


def marks_css(settings: Settings) -> str:
    """Bleed and printer's marks, for the print profile only (they change the MediaBox)."""
    if settings.profile != "print":
        return ""
    # No bleed asked but marks: `auto` gives the marks WeasyPrint's 6pt of room.
    bleed = f"{settings.print_bleed:g}mm" if settings.print_bleed else "auto"
    # WeasyPrint draws marks with the page's background, and a blank page has none.
    return f"@page {{ bleed: {bleed}; marks: {settings.print_marks}; background: white; }}\n"


def _label_margin(settings: Settings) -> float:
    if settings.profile == "handout":
        return settings.handout_margin_left
    return settings.margin_outer
