"""`-M KEY=VALUE` and `--defaults FILE`: settings given beside edition.toml, on every
command that reads an edition (edition/settings_overrides.py reads and checks them)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def add_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-M", "--metadata", action="append", default=[], metavar="KEY=VALUE",
                        help="a setting of edition.toml, over it and --defaults (repeatable; "
                        "dotted keys into tables: -M page.trim=a4 -M notes.start=235)")
    parser.add_argument("--defaults", type=Path, default=None, metavar="FILE",
                        help="a TOML file of settings, as edition.toml, merged over it")


def settings_overrides(args: argparse.Namespace) -> dict[str, Any]:
    """The settings of --defaults and -M by attribute, checked (bad ones are errors at
    their line or option), for `typeset` and `load_volume`."""
    from edition.settings_overrides import overrides

    return overrides(args.defaults, args.metadata)


def with_profile(settings: dict[str, Any], profile: str | None) -> dict[str, Any]:
    """The settings as `typeset`'s keywords: it takes the profile as a keyword of its own,
    --profile over a profile of -M or --defaults."""
    options = dict(settings)
    given = options.pop("profile", None)
    options["profile"] = profile or given
    return options
