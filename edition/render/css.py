"""The small generated stylesheet: only the values of the settings, never the look."""

from __future__ import annotations

from edition.profiles import Profile, resolve
from edition.settings import Settings, parse_trim

# The family of the bundled @font-face rules (styles/base.css). It always closes the
# font-family list, so no glyph falls through to a generic (system) family.
BUNDLED_FAMILY = "Linux Libertine"

_BREAKS = {"new-page": "page", "recto": "recto", "run-on": "auto"}


def css_string(value: str) -> str:
    """A CSS string literal that no value can leave.

    Settings are untrusted (edition/settings.py checks them first): everything but
    letters, digits, spaces and a few harmless marks becomes a hexadecimal escape, so
    quotes, backslashes, line breaks (CR and FF too), braces and semicolons stay text.
    """
    return '"' + "".join(ch if _plain(ch) else f"\\{ord(ch):x} " for ch in value) + '"'


def _plain(ch: str) -> bool:
    return ch.isalnum() or ch in " -_.,"


def font_stack(settings: Settings) -> str:
    families = [settings.font_family.strip() or BUNDLED_FAMILY]
    if BUNDLED_FAMILY not in families:
        families.append(BUNDLED_FAMILY)
    return ", ".join(css_string(f) for f in families)


def settings_css(settings: Settings, profile: Profile | None = None) -> str:
    """The page, the type and the margins `settings` and the (resolved) `profile` give;
    without a profile, the one `settings` names."""
    profile = profile or resolve(settings)
    width, height = parse_trim(profile.paper or settings.trim, settings.source)
    stack = font_stack(settings)
    pages = "block" if settings.show_original_pages else "none"
    label_width = profile.label_margin - profile.label_edge
    return f"""
@page {{
  size: {width:g}mm {height:g}mm;
  margin-top: {settings.margin_top:g}mm;
  margin-bottom: {settings.margin_bottom:g}mm;
}}
{side_margins_css(settings, profile)}{marks_css(profile)}html {{
  font-family: {stack};
  font-size: {settings.font_size * profile.font_scale:g}pt;
}}
pre, code, kbd, samp, tt {{ font-family: {stack}; }}
/* The label's width is its margin less the gap to the text and the room it keeps
   from the paper's edge. */
.speaker {{ width: calc({label_width:g}mm - var(--label-gap)); }}
section.document {{ break-before: {_BREAKS[settings.document_start]}; }}
.copyright-page {{ height: {height - settings.margin_top - settings.margin_bottom - 2:g}mm; }}
.orig-page {{ display: {pages}; }}
/* Original page numbers stand in the inner margin, the outer one being the labels'. */
.orig-page {{ width: {max(settings.margin_inner - 3, 4):g}mm; }}
.orig-page-left {{ left: -{max(settings.margin_inner - 1, 5):g}mm; }}
.orig-page-right {{ right: -{max(settings.margin_inner - 1, 5):g}mm; }}
"""


def side_margins_css(settings: Settings, profile: Profile) -> str:
    """Mirrored margins for books; the same margins on every page when not mirrored."""
    if not profile.mirrored:
        # No recto/verso: labels always in the left margin, line numbers in the right.
        return f"""@page {{
  margin-left: {profile.margin_left:g}mm;
  margin-right: {profile.margin_right:g}mm;
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


def marks_css(profile: Profile) -> str:
    """Bleed and printer's marks, for a profile with a bleed box (they change the MediaBox)."""
    if profile.bleed is None:
        return ""
    # CSS `bleed` is the MediaBox's margin: the bleed, and room for the marks outside
    # it. The PDF's BleedBox is set to the bleed itself by edition/pdf/finish.py
    # (WeasyPrint would cap it at 10pt).
    bleed = f"{profile.media_margin:g}mm"
    # WeasyPrint draws marks with the page's background, and a blank page has none.
    return f"@page {{ bleed: {bleed}; marks: {profile.marks}; background: white; }}\n"
