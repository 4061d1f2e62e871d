"""`edition preview`: PNG images of the built pages."""

from __future__ import annotations

from pathlib import Path

from edition.cli.discovery import default_output, find_source, output_folder, profile_name
from edition.cli.outputs import check_output_folder
from edition.cli.overrides import settings_overrides, with_profile
from edition.cli.progress import _progress
from edition.cli.summaries import _print_notices, _warn_slow_subsetting, plural


def run_preview(args) -> int:
    from edition.build import quiet_weasyprint
    from edition.output import write_atomic
    from edition.preview import check_dpi, image_path, page_count, parse_pages, render_pages

    check_dpi(args.dpi)  # before anything is laid out
    quiet_weasyprint(args.verbose)
    args.source = find_source(args.source)
    settings = settings_overrides(args)
    profile = profile_name(args.source, args.profile, settings)
    folder = args.output or output_folder(args.source)
    check_output_folder(args.source, folder)
    built = default_output(args.source, profile)
    _warn_slow_subsetting(args)
    pdf, reused = _pdf(args, built, profile, settings)
    count = page_count(pdf)
    pages = parse_pages(args.pages, count)
    images = render_pages(pdf, pages, args.dpi)
    paths = [image_path(folder, built.stem, page) for page in pages]
    for path, png in zip(paths, images, strict=True):
        write_atomic(path, png)
    if not args.quiet:
        drawn = f", drawn from {built}, which is current" if reused else ""
        print(f"{folder}: {plural(len(paths), 'page')} of {count} as PNG "
              f"({paths[0].name} …), {profile} profile{drawn}")
    return 0


def _pdf(args, built: Path, profile: str, settings: dict) -> tuple[bytes, bool]:
    """The PDF to draw: the one a build wrote at `built` while it is current (stamped
    with the inputs this preview would build from: edition/current.py), else the book
    laid out here (its runs from the build's cache); and whether it was reused."""
    from edition.build import cache_folder, typeset
    from edition.current import current_pdf, inputs_digest

    cache = cache_folder(built)
    inputs = inputs_digest(args.source, output_folder(args.source), profile, settings, {})
    pdf = current_pdf(cache, inputs, built)
    if pdf is not None:
        return pdf, True
    with _progress(args.quiet) as bar:
        book = typeset(args.source, progress=bar, on_runs=bar.runs, cache_dir=cache,
                       **with_profile(settings, args.profile))
    if not args.quiet:
        _print_notices(book.volume)
    return book.pdf, False
