"""`edition help [TOPIC]` and `edition completion SHELL`: the documentation and the
shell's completion, both reachable from an installed program without the repository."""

from __future__ import annotations

import argparse
import sys

from edition.resources import doc_text, doc_topics

# What every --help ends with: where the rest of the documentation is. The project has
# no public home yet (pyproject.toml): the pages ship inside the package.
EPILOG = """documentation, shipped with the program:
  edition help settings        every key of edition.toml
  edition help source-format   the sources: Markdown, TEI, persons.toml, witnesses.toml
  edition help profiles        book, handout, archive, print
the README and CHANGELOG.md are in the edition repository"""

# The shells shtab writes a completion script for.
SHELLS = ("bash", "zsh", "tcsh")


def run_help(args) -> int:
    """The topic's page (Markdown) on standard output; no topic: the topics."""
    if args.topic is None:
        print("edition help TOPIC, one of: " + ", ".join(["settings", *doc_topics()]))
        return 0
    if args.topic == "settings":
        from edition.settings_reference import reference_markdown

        sys.stdout.write(reference_markdown())
        return 0
    sys.stdout.write(doc_text(args.topic))
    return 0


def run_completion(args) -> int:
    """The shell's completion script for every command and option, generated from the
    parser itself (so it cannot drift from it), printed for `eval` or a file."""
    import shtab

    from edition.cli.arguments import _parser

    parser = _parser()
    _complete_paths(parser)
    sys.stdout.write(shtab.complete(parser, shell=args.shell))
    return 0


def _complete_paths(parser: argparse.ArgumentParser) -> None:
    """Paths complete as files (SOURCE, -o, --defaults, --report), folders for `new`."""
    import shtab

    for action in _actions(parser):
        if action.dest in ("source", "output", "report", "defaults"):
            action.complete = shtab.FILE  # type: ignore[attr-defined]
        elif action.dest == "folder":
            action.complete = shtab.DIRECTORY  # type: ignore[attr-defined]


def _actions(parser: argparse.ArgumentParser):
    for action in parser._actions:
        yield action
        choices = getattr(action, "choices", None)
        for sub in choices.values() if isinstance(choices, dict) else ():
            if isinstance(sub, argparse.ArgumentParser):
                yield from _actions(sub)
