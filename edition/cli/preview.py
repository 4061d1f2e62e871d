"""`edition preview`: PNG images of the built pages."""

from __future__ import annotations

from edition.cli.discovery import default_output, find_source, output_folder, profile_name
from edition.cli.outputs import check_output_folder
from edition.cli.overrides import settings_overrides, with_profile
from edition.cli.progress import _progress
from edition.cli.summaries import _print_notices, _warn_slow_subsetting, plural


def run_preview(args) -> int:
    from edition.build import quiet_weasyprint, typeset
    from edition.output import write_atomic
    from edition.preview import check_dpi, image_path, parse_pages, render_pages

    check_dpi(args.dpi)  # before anything is laid out
    quiet_weasyprint(args.verbose)
    args.source = find_source(args.source)
    settings = settings_overrides(args)
    profile = profile_name(args.source, args.profile, settings)
    folder = args.output or output_folder(args.source)
    check_output_folder(args.source, folder)
    name = default_output(args.source, profile).stem
    _warn_slow_subsetting(args)
    with _progress(args.quiet) as bar:
        book = typeset(args.source, progress=bar, on_runs=bar.runs,
                       **with_profile(settings, args.profile))
    pages = parse_pages(args.pages, book.page_count)
    images = render_pages(book.pdf, pages, args.dpi)
    paths = [image_path(folder, name, page) for page in pages]
    for path, png in zip(paths, images, strict=True):
        write_atomic(path, png)
    if not args.quiet:
        _print_notices(book.volume)
        print(f"{folder}: {plural(len(paths), 'page')} of {book.page_count} as PNG "
              f"({paths[0].name} …), {profile} profile")
    return 0
