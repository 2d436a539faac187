"""The command line's arguments: global options, then a subcommand (none
opens the reader)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from paperread import __version__
from paperread.export import FORMATS
from paperread.library import SORT_ORDERS
from paperread.paths import default_config_file, default_data_dir

FOR_YOU = "for-you"
SORTS = (*SORT_ORDERS, FOR_YOU)  # the library's orders, and For you's ranking


def add_global_options(parser: argparse.ArgumentParser, after_command: bool = False) -> None:
    """The options every command takes, before its name or after it.

    The copies after a command's name have no defaults: argparse parses a
    subcommand into a namespace of its own and copies all of it over, so a
    default there would replace a value given before the name. For the same
    reason their ``--feed`` values go to ``feeds_after`` (an append there
    does not see the feeds given before the name); ``parse_args`` joins them."""
    group = parser.add_argument_group("global options (also before the command)") if after_command else parser
    unset = {"default": argparse.SUPPRESS} if after_command else {}
    group.add_argument("--data-dir", type=Path, help=f"library folder (default: {default_data_dir()})", **unset)
    group.add_argument("--config", type=Path, help=f"config file (default: {default_config_file()})", **unset)
    group.add_argument("--feed", action="append", metavar="SPEC", dest="feeds_after" if after_command else "feeds",
                       help="feed for this run, replacing the configured ones (repeatable): "
                       "a URL, a file, arxiv:cs.LG[+cs.CL], arxiv-query:QUERY or hf:daily", **unset)
    group.add_argument("--offline", action="store_true", help="do not use the network", **unset)
    group.add_argument("--readonly", action="store_true",
                       help="open the library without changing it (works beside a running reader)", **unset)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="paperread",
        description="A keyboard-first terminal reader for research papers.",
    )
    parser.add_argument("--version", action="version", version=f"paperread {__version__}")
    add_global_options(parser)
    parser.set_defaults(data_dir=default_data_dir(), config=default_config_file())
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, summary: str) -> argparse.ArgumentParser:
        subparser = commands.add_parser(name, help=summary)
        add_global_options(subparser, after_command=True)
        return subparser

    command("refresh", "fetch all feeds and store new papers")

    listing = command("list", "list papers")
    listing.add_argument("--query", "-q", default="", help="filter with the query language")
    listing.add_argument("--json", action="store_true", help="JSON Lines, one paper per line")
    listing.add_argument("--limit", "-n", type=int, default=None, help="at most N papers")
    listing.add_argument("--sort", choices=SORTS, default="newest",
                         help="order (default: %(default)s; for-you: ranked for you, with --json a score and why)")

    mark = command("mark", "change the state of papers")
    mark.add_argument("ids", nargs="+", metavar="ID", help="arXiv id, abs URL or stored id")
    read = mark.add_mutually_exclusive_group()
    read.add_argument("--read", action="store_const", const=True, dest="read")
    read.add_argument("--unread", action="store_const", const=False, dest="read")
    star = mark.add_mutually_exclusive_group()
    star.add_argument("--star", action="store_const", const=True, dest="starred")
    star.add_argument("--unstar", action="store_const", const=False, dest="starred")
    dismiss = mark.add_mutually_exclusive_group()
    dismiss.add_argument("--dismiss", action="store_const", const=True, dest="dismissed",
                         help="not interested: hidden from For you, a signal for its ranking")
    dismiss.add_argument("--undismiss", action="store_const", const=False, dest="dismissed",
                         help="take back --dismiss")
    mark.add_argument("--tag", action="append", default=[], metavar="TAG")
    mark.add_argument("--untag", action="append", default=[], metavar="TAG")

    command("feeds", "the feeds with their last fetch")

    export = command("export", "write papers as BibTeX, Markdown, CSV or JSON")
    export.add_argument("--format", "-f", choices=FORMATS, default="bibtex",
                        help="output format (default: %(default)s)")
    export.add_argument("--query", "-q", default=None,
                        help="the papers to export, in the query language (default: is:starred)")
    export.add_argument("--sort", choices=SORTS, default="newest",
                        help="order (default: %(default)s; for-you: ranked for you)")
    export.add_argument("--output", "-o", type=Path, metavar="FILE",
                        help="write to FILE (replaced atomically) instead of standard output")

    import_opml_parser = command("import-opml", "add the feeds of an OPML file to the config file")
    import_opml_parser.add_argument("file", type=Path, metavar="FILE")

    export_opml = command("export-opml", "write the feeds as OPML 2.0")
    export_opml.add_argument("--output", "-o", type=Path, metavar="FILE",
                             help="write to FILE (replaced atomically) instead of standard output")
    return parser


def join_query_values(argv: Sequence[str]) -> list[str]:
    """``argv`` with each ``--query Q`` / ``-q Q`` written ``--query=Q``.
    argparse takes a value that begins with '-' for an option, but ``-word``
    is the query language's negation (``-q -cat:quant-ph``). A value that
    begins with '--' stays an option (``-q --json`` is a query forgotten;
    ``--query=--x`` still gives such a query). Nothing after ``--`` is touched."""
    tokens = list(argv)
    joined: list[str] = []
    at = 0
    while at < len(tokens):
        token = tokens[at]
        if token == "--":
            return joined + tokens[at:]
        value = tokens[at + 1] if at + 1 < len(tokens) else None
        if token in ("--query", "-q") and value is not None and not value.startswith("--"):
            joined.append(f"--query={value}")
            at += 2
        else:
            joined.append(token)
            at += 1
    return joined


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line parsed, with the global options given after the
    command's name merged into those given before it."""
    args = build_parser().parse_args(join_query_values(sys.argv[1:] if argv is None else argv))
    later_feeds = vars(args).pop("feeds_after", None)
    if later_feeds:
        args.feeds = (args.feeds or []) + later_feeds
    return args
