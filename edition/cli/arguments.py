"""The command line's arguments: one parser, a subparser per command."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from edition.cli.build import run_build, run_handout, run_watch
from edition.cli.check import run_check
from edition.cli.help import EPILOG, SHELLS, run_completion, run_help
from edition.cli.index import run_index
from edition.cli.new import run_new
from edition.cli.overrides import add_options as _settings_options
from edition.cli.preview import run_preview


def _parser() -> argparse.ArgumentParser:
    # No option prefixes: `--profil archive` is an error, not `--profile archive`.
    parser = argparse.ArgumentParser(
        prog="edition", description="Typeset documentary editions as print-ready PDF.",
        allow_abbrev=False, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    from edition import __version__

    parser.add_argument("--version", action="version", version=f"edition {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Command)

    build = sub.add_parser("build", help="typeset a source folder or file into a PDF",
                           allow_abbrev=False)
    _build_options(build, watching=False)
    from edition.cli.series import add_scheduler, add_series_options

    add_scheduler(build)
    build.set_defaults(run=run_build)
    add_series_options(sub.add_parser(
        "build-series", allow_abbrev=False, help="build several volumes, each one's "
        "documents laid out on a Dask cluster (--scheduler) or here"))

    watch = sub.add_parser("watch", help="build, then rebuild on every save of a source",
                           allow_abbrev=False)
    _build_options(watch, watching=True)
    watch.set_defaults(run=run_watch)

    handout = sub.add_parser("handout", help="a handout of one or a few documents",
                             allow_abbrev=False)
    # SOURCE first, as for every command; told from a document number in run_handout
    # (argparse cannot: both are plain words).
    handout.add_argument("documents", nargs="+", metavar="[SOURCE] NUMBER",
                         help="the edition folder or file (default: the edition found "
                         "from here), then document numbers, e.g. 53 54")
    handout.add_argument("-s", "--source", type=Path, default=None,
                         help="deprecated: give SOURCE before the numbers")
    handout.add_argument("-o", "--output", type=Path, help="the PDF to write, - for "
                         "standard output (default: the edition's output/NAME-handout-NUMBERS.pdf)")
    handout.add_argument("--paper", choices=["a4", "letter"], default=None,
                         help="the paper (default: a4, or [handout] paper)")
    handout.add_argument("--notes", choices=["restart", "volume"], default=None,
                         help="note numbers from 1, or the volume's (default)")
    handout.add_argument("--line-numbers", action="store_true", default=None,
                         help="number every 5th line of each page in the right margin")
    handout.add_argument("--index", action="store_true", default=None,
                         help="add the index of names of these documents")
    for flag, kwargs in _COMMON_FLAGS:
        handout.add_argument(*flag, **kwargs)
    _verbosity(handout)
    _speed(handout)
    _settings_options(handout)
    handout.set_defaults(run=run_handout)

    check = sub.add_parser("check", help="check sources and the register without typesetting",
                           allow_abbrev=False)
    _source_argument(check)
    _verbosity(check)
    _settings_options(check)
    check.set_defaults(run=run_check)

    index = sub.add_parser("index", help="write the index of names standalone",
                           allow_abbrev=False)
    _source_argument(index)
    index.add_argument("-o", "--output", type=Path,
                       help="PDF, .csv or .json, - for a PDF on standard output "
                       "(default: the edition's output/NAME-index.pdf)")
    _verbosity(index)
    _settings_options(index)
    index.set_defaults(run=run_index)

    new = sub.add_parser("new", help="start an edition: a folder with settings, a register "
                         "and one document", allow_abbrev=False)
    new.add_argument("folder", type=Path, metavar="DIR", help="a new or empty folder")
    new.add_argument("--critical", action="store_true",
                     help="a critical edition: a text with apparatus entries and witnesses.toml")
    _verbosity(new)
    new.set_defaults(run=run_new)

    preview = sub.add_parser("preview", help="PNG images of the built pages",
                             allow_abbrev=False)
    _source_argument(preview)
    preview.add_argument("--pages", default=None, metavar="RANGE",
                         help="pages to draw, e.g. 1-4 or 2,5-6 (default: all)")
    preview.add_argument("-o", "--output", type=Path, default=None, metavar="DIR",
                         help="the folder for NAME-p001.png … (default: the edition's output/)")
    preview.add_argument("--dpi", type=float, default=96.0,
                         help="resolution of the images (default 96)")
    preview.add_argument("--profile", default=None,
                         help="book (default), handout, archive or print")
    _verbosity(preview)
    _settings_options(preview)
    preview.set_defaults(run=run_preview)
    _help_commands(sub)
    return parser


class _Command(argparse.ArgumentParser):
    """A command's parser: its --help ends with where the documentation is."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("epilog", EPILOG)
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)


def _help_commands(sub) -> None:
    """`edition help [TOPIC]` and `edition completion SHELL`."""
    from edition.resources import doc_topics

    help_ = sub.add_parser("help", help="the documentation: every setting, the source "
                           "format, the profiles", allow_abbrev=False)
    help_.add_argument("topic", nargs="?", choices=["settings", *doc_topics()],
                       help="the page to print (default: list the topics)")
    help_.set_defaults(run=run_help)
    completion = sub.add_parser("completion", help="the shell's completion script: "
                                "eval \"$(edition completion bash)\"", allow_abbrev=False)
    completion.add_argument("shell", choices=SHELLS)
    completion.set_defaults(run=run_completion)


# `--bleed` alone is 3 mm.
BLEED_ALONE = 3.0
# Options whose value may be left out, with the type of that value and the value taken
# when it is: `--bleed myed` must not take the edition as the number of millimetres.
OPTIONAL_VALUES: dict[str, tuple[type, object]] = {"--bleed": (float, BLEED_ALONE)}


def parse(parser: argparse.ArgumentParser, argv: list[str] | None) -> argparse.Namespace:
    """The arguments, with `handout SOURCE --strict 96 97` allowed: argparse takes a
    command's positionals in one stretch, so numbers after an option come back as
    unrecognized words; they are the documents'. Anything else unknown is an error."""
    words = sys.argv[1:] if argv is None else list(argv)
    args, extra = parser.parse_known_args(_values_left_out(words))
    if extra and (any(word.startswith("-") for word in extra)
                  or not hasattr(args, "documents")):
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if extra:
        args.documents += extra
    return args


def _values_left_out(words: list[str]) -> list[str]:
    """`--bleed WORD` where WORD is no value of its type (a source, a document number
    are not millimetres… but a number is): the option alone, written `--bleed=3`, so
    that argparse leaves WORD where it belongs."""
    out = list(words)
    for index, word in enumerate(words[:-1]):
        if word in OPTIONAL_VALUES:
            kind, alone = OPTIONAL_VALUES[word]
            try:
                kind(words[index + 1])
            except ValueError:
                out[index] = f"{word}={alone:g}"
    return out


def _build_options(parser: argparse.ArgumentParser, watching: bool) -> None:
    """What `build` and `watch` take: `watch` writes a file, again after every save."""
    _source_argument(parser)
    standard_output = "" if watching else ", - for standard output"
    parser.add_argument("-o", "--output", type=Path, help=f"the PDF to write{standard_output} "
                        "(default: the edition's output/NAME.pdf, NAME-archive.pdf, "
                        "NAME-print.pdf)")
    parser.add_argument("--profile", default=None,
                        help="book (default), handout, archive or print")
    if not watching:
        for flag, kwargs in _STRICT_FLAGS:
            parser.add_argument(*flag, **kwargs)
    parser.add_argument("--report", type=Path, help="write the preflight findings as JSON"
                        + (" after each build" if watching else ""))
    _verbosity(parser)
    parser.add_argument("--allow-remote", action="store_true",
                        help="let the layout fetch http(s) resources (off: sources are "
                        "untrusted)")
    _profile_options(parser)
    _speed(parser)
    _settings_options(parser)


_STRICT_FLAGS = [
    (("--strict",), {"action": "store_true",
                     "help": "exit 1 when the preflight finds any problem"}),
    # An option string of its own (argparse takes it whole before splitting at "="), so
    # that a plain --strict never swallows the document number after it.
    (("--strict=makeup",), {"action": "store_true", "dest": "strict_makeup",
                            "help": "as --strict, and also exit 1 on pages that end "
                            "short (2 lines or more) and facing pages that end unlevel"}),
]


_COMMON_FLAGS = [
    *_STRICT_FLAGS,
    (("--report",), {"type": Path, "help": "write the preflight findings as JSON"}),
]


def _source_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", nargs="?", type=Path, default=None,
                        help="the edition folder or one .md/.xml file (default: the folder "
                        "with edition.toml here or above, or source/)")


def _speed(parser: argparse.ArgumentParser) -> None:
    """--jobs and --no-cache, the same on every command that lays out documents."""
    parser.add_argument("-j", "--jobs", type=_positive, default=None, metavar="N",
                        help="worker processes laying out the documents (default: the "
                        "machine's cores)")
    parser.add_argument("--no-cache", action="store_true",
                        help="lay out every document afresh and keep no cache (default: "
                        "laid-out documents are kept in .edition-cache/ beside the PDF)")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return value


def _verbosity(parser: argparse.ArgumentParser) -> None:
    """-q and -v, the same on every command."""
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="print nothing when all is well (errors still show)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="also show WeasyPrint's own warnings")


def _profile_options(build: argparse.ArgumentParser) -> None:
    """The archive and print profiles' choices; each overrides its edition.toml key."""
    build.add_argument("--pdf-variant", choices=["pdf/a-3b", "pdf/a-2u", "pdf/a-3a"],
                       default=None, help="archive: the PDF/A variant (default pdf/a-3b)")
    build.add_argument("--bleed", type=float, nargs="?", const=BLEED_ALONE, default=None,
                       metavar="MM", help="print: bleed in mm (3 when given alone)")
    build.add_argument("--marks", choices=["crop", "cross", "crop cross", "none"],
                       default=None, help="print: printer's marks")
    build.add_argument("--pad-to", type=int, choices=[4, 16], default=None,
                       help="print: blank pages at the end to a multiple of 4 or 16")
