"""Where a command may write: checked before any layout, then written atomically."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from edition.cli.discovery import output_folder
from edition.errors import EditionError

# `-o -`: the PDF on standard output.
STDOUT = "-"


def check_output(output: Path, allowed: tuple[str, ...], command: str,
                 stdout: bool = True) -> None:
    """Refuse, before any layout, an output the command cannot write (`-o x.html`)."""
    if stdout and str(output) == STDOUT:
        return
    if output.suffix.lower() not in allowed:
        kinds = " or ".join(allowed) + (" (or - for standard output)" if stdout else "")
        found = output.suffix or "a name without an extension"
        raise EditionError(f"{command} writes {kinds}, not {found}", output)


def _cache_dir(args, output: Path):
    """The cache's `store.Folder` for `output`, or None."""
    from edition.build import cache_folder

    return None if args.no_cache or str(output) == "-" else cache_folder(output)


def _write_pdf(output: Path, pdf: bytes) -> None:
    """The PDF to standard output, or atomically to its file."""
    if str(output) == STDOUT:
        sys.stdout.buffer.write(pdf)
        sys.stdout.buffer.flush()
        return
    from edition.output import write_atomic

    write_atomic(output, pdf)


# Not places for a PDF: the kernel's and devices' pseudo-files.
SPECIAL_ROOTS = (Path("/proc"), Path("/sys"), Path("/dev"))


def _check_outputs(source: Path, output: Path, report: Path | None = None) -> None:
    """Refuse, before anything is read or laid out, outputs that would replace a source
    of the edition or cannot be written: the old PDF stays and no work is lost."""
    if str(output) != STDOUT:  # standard output is always writable
        _check_output(source, output, "output")
    if report is not None:
        _check_output(source, report, "report")
        if str(output) != STDOUT and report.resolve() == output.resolve():
            raise EditionError("the report and the PDF would be the same file", report)


def _check_output(source: Path, target: Path, what: str) -> None:
    _refuse_linked_output(source, target)
    place = target.resolve()
    _refuse_place(source, place, target, what)
    if target.exists() or target.is_symlink():
        if target.is_dir():
            raise EditionError(f"the {what} is a folder; give a file name", target)
        if not place.is_file():
            raise EditionError(f"the {what} is not a regular file (a device, a pipe, "
                               "or a link to nowhere)", target)
    _check_writable(place, target, what)


def check_output_folder(source: Path, folder: Path) -> None:
    """The rules of `build -o` for a folder of files (`preview -o DIR`), checked before
    anything is laid out: not among the sources, not a system folder, a folder (or to be
    made one) that may be written."""
    _refuse_linked_output(source, folder)
    probe = folder.resolve() / "NAME-p001.png"  # what will be written there
    _refuse_place(source, probe, folder, "output")
    if folder.exists() and not folder.is_dir():
        raise EditionError("the output is not a folder; give a folder for the images",
                           folder)
    _check_writable(probe, folder, "output")


def _refuse_place(source: Path, place: Path, target: Path, what: str) -> None:
    """A place among the edition's sources or in a system folder is never written."""
    folder = (source if source.is_dir() else source.parent).resolve()
    if _among_sources(place, folder, whole_folder=source.is_dir()):
        raise EditionError(f"the {what} would be written into the edition's sources; "
                           f"write it outside {folder} or into its output/ folder", target)
    if any(place.is_relative_to(root) for root in SPECIAL_ROOTS):
        raise EditionError(f"the {what} cannot be written to a system folder", target)


def _refuse_linked_output(source: Path, target: Path) -> None:
    """The default output folder is the edition's `output/`, which an edition shared
    with its output brings along: a link there would take the PDF and the cache outside.
    A place named with -o elsewhere is the user's choice."""
    folder = output_folder(source)
    inside = Path(os.path.normpath(target)).is_relative_to(os.path.normpath(folder))
    if inside and folder.is_symlink():
        raise EditionError("the output folder is a link; remove it, or name the output "
                           "with -o", folder)


# What a build of a single file may read beside it: the file, its folder's settings,
# register, front pages (Markdown) and output profile.
SOURCE_SUFFIXES = (".md", ".xml", ".toml", ".icc", ".icm")


def _among_sources(place: Path, folder: Path, whole_folder: bool) -> bool:
    """Whether `place` may be a source: for a folder, anything in it but its output/
    folder; for a single file (whose folder may hold anything), the files a build reads."""
    if not place.is_relative_to(folder) or place.is_relative_to(folder / "output"):
        return False
    return whole_folder or place.suffix.lower() in SOURCE_SUFFIXES


def _check_writable(place: Path, target: Path, what: str) -> None:
    """The nearest existing folder must be a folder we may create files in (the atomic
    writer makes the missing ones and a temporary file beside the target)."""
    parent = place.parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        raise EditionError(f"cannot write the {what}: {parent} is not a folder", target)
    if not os.access(parent, os.W_OK | os.X_OK):
        raise EditionError(f"cannot write the {what}: no permission to write in {parent}",
                           target)
