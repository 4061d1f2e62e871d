"""`edition new`: a folder with settings, a register and one document."""

from __future__ import annotations

from edition.cli.summaries import plural


def run_new(args) -> int:
    from edition.new import create_edition

    written = create_edition(args.folder, args.critical)
    if not args.quiet:
        print(f"{args.folder}: a new edition, {plural(len(written), 'file')} "
              f"({', '.join(p.name for p in written)}); build it with "
              f"`edition build {args.folder}`")
    return 0
