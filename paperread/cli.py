"""Command line: global options, then a subcommand; no subcommand opens the
reader. Only argument handling and output live here."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from paperread import __version__
from paperread.arxiv_ids import parse_arxiv_id
from paperread.config import ConfigError
from paperread.export import FORMATS, export_papers, paper_record, write_file
from paperread.feedspec import FeedSpecError
from paperread.library import SORT_ORDERS, View
from paperread.model import Paper
from paperread.opml import OpmlError, feeds_to_opml, import_opml
from paperread.paths import default_config_file, default_data_dir
from paperread.query import Query, QueryError, parse_query
from paperread.session import Session, open_session
from paperread.store.errors import LibraryLocked, StoreError

if TYPE_CHECKING:
    from paperread.foryou import Ranking

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_CLOSED_PIPE = 141  # 128 + SIGPIPE, as a shell reports a command SIGPIPE ended
FOR_YOU = "for-you"
SORTS = (*SORT_ORDERS, FOR_YOU)  # the library's orders, and For you's ranking
PROGRESS_AFTER = 2.0  # seconds of vectorising before a backfill says how far it is

# Commands that only read the library: they open it without the lock, so
# they work beside a running reader.
READING_COMMANDS = ("list", "feeds", "export", "import-opml", "export-opml")
# What a command that changes the library can do while another process
# holds it, said after whom the library is in use by.
INSTEAD_WHILE_LOCKED = {
    "refresh": "refresh there if it is the reader, or run this again once it has closed",
    "mark": "mark the papers there if it is the reader, or run this again once it has closed",
}


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


def run(argv: Sequence[str] | None = None) -> int:
    """``main`` for the ``paperread`` command. A reader of standard output
    that stops reading (``paperread list | head -1``) is a normal end: no
    message, and the exit status git and grep have there (SIGPIPE ends them,
    and the shell reports 141). Standard output is flushed here, not at exit,
    so that a pipe closed before the last write is caught too."""
    try:
        code = main(argv)
        sys.stdout.flush()
    except BrokenPipeError:
        # the interpreter flushes stdout once more at exit: into nothing now
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_CLOSED_PIPE
    return code


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        session = open_session(
            args.data_dir, args.config, args.feeds, offline=args.offline,
            readonly=args.readonly or args.command in READING_COMMANDS,
            fast=args.command is None,  # the reader: papers first, abstracts after
            write_vectors=not args.readonly,  # For you's vectors are kept by a reading command too
        )
    except LibraryLocked as error:
        return fail(locked_message(error, args.command))
    except (ConfigError, FeedSpecError, StoreError) as error:
        return fail(str(error))
    for message in session.messages:
        print(f"paperread: {message}", file=sys.stderr)
    reported = None
    try:
        if args.command is None:
            from paperread.tui.app import run_reader

            code = run_reader(session)
        else:
            code = COMMANDS[args.command](session, args)
    except (StoreError, QueryError) as error:
        reported = str(error)
        code = fail(reported)
    except BaseException:
        with contextlib.suppress(StoreError):
            session.close()
        raise
    return close_session(session, code, reported)


def locked_message(error: LibraryLocked, command: str | None) -> str:
    """Advice that works for ``command`` while another process holds the
    library: ``--readonly`` only for the reader, as it cannot change anything."""
    instead = INSTEAD_WHILE_LOCKED.get(command or "")
    if instead is None:
        return str(error)
    return f"{error.in_use}; {instead}"


def close_session(session: Session, code: int, reported: str | None) -> int:
    """Close the session, which saves what is still pending. A failed save
    (a full disk) is an error exit with its message, said once when the
    command already failed with it; never a traceback."""
    try:
        session.close()
    except StoreError as error:
        if str(error) != reported:
            fail(str(error))
        return code or EXIT_FAILED
    return code


def fail(message: str, code: int = EXIT_USAGE) -> int:
    print(f"paperread: error: {message}", file=sys.stderr)
    return code


def cmd_refresh(session: Session, args: argparse.Namespace) -> int:
    from paperread.parser_pool import parser_pool
    from paperread.refresh import FeedOutcome
    from paperread.store.bulk import without_gc

    async def refresh() -> list[FeedOutcome]:
        # only the outcomes leave the coroutine: asyncio.run's clean-up may
        # repr() the finished task, and a report holds every changed paper
        report = await session.refresh(session.feeds, executor=parsers)
        for warning in report.warnings:
            print(f"paperread: {warning}", file=sys.stderr)
        return report.outcomes

    parsers = parser_pool(behind_a_screen=False)
    try:
        # the collector would rescan the growing heap of parsed papers again
        # and again as each feed's come in (0.2-0.3 s of a 20,000-paper run)
        outcomes = without_gc(lambda: asyncio.run(refresh()))
    finally:
        # waited for: a pool thread left running at exit can race its own
        # clean-up there and print an OSError (CPython's ProcessPoolExecutor)
        parsers.shutdown(wait=True, cancel_futures=True)
    for outcome in outcomes:
        print(outcome.summary())
    return EXIT_FAILED if any(outcome.status == "error" for outcome in outcomes) else EXIT_OK


def cmd_list(session: Session, args: argparse.Namespace) -> int:
    query = parse_query(args.query)
    papers, ranking = sorted_papers(session, query, args.sort)
    if args.limit is not None:
        papers = papers[: max(args.limit, 0)]
    if args.json:
        for paper in papers:
            record = paper_json(session, paper)
            if ranking is not None:
                score = ranking.scores.get(paper.id)
                record["score"] = score
                record["why"] = str(ranking.why(paper.id)) if score is not None else ""
            print(json.dumps(record, ensure_ascii=False))
    else:
        print_table(session, papers)
    return EXIT_OK


def sorted_papers(session: Session, query: Query, sort: str) -> tuple[list[Paper], Ranking | None]:
    """The papers ``query`` matches in the order ``sort`` names, and the
    ranking when that is For you's."""
    if sort != FOR_YOU:
        return session.library.select(predicate=session.predicate(query), order=sort), None
    papers = session.library.select(predicate=session.predicate(query))
    return for_you_order(session, papers)


def for_you_order(session: Session, papers: list[Paper]) -> tuple[list[Paper], Ranking]:
    """``papers`` ranked for you, read ones too; those the ranking leaves out
    (dismissed) after the others, newest first. Vectorises the papers that
    have no vector yet first; says how the ranking was made on stderr."""
    backfill(session)
    ranking = session.for_you(include_read=True, among={paper.id for paper in papers})
    for warning in session.vector_warnings:
        print(f"paperread: {warning}", file=sys.stderr)
    print(f"for you: {ranking.description}", file=sys.stderr)
    by_id = {paper.id: paper for paper in papers}
    ranked = [by_id[paper_id] for paper_id in ranking.order if paper_id in by_id]
    placed = {paper.id for paper in ranked}
    return ranked + [paper for paper in papers if paper.id not in placed], ranking


def backfill(session: Session) -> None:
    """Vectorise the papers without a stored vector, saying how far it is on
    stderr once it has taken a while."""
    started = said = time.monotonic()
    total = session.for_you_missing()
    spoke = False
    for done in session.for_you_backfill(chunk=2000):
        now = time.monotonic()
        if now - said >= PROGRESS_AFTER:
            print(f"for you: vectorising the library, {done:,} of {max(total, done):,} papers", file=sys.stderr)
            said, spoke = now, True
    if spoke:
        print(f"for you: vectorised in {time.monotonic() - started:.0f} s", file=sys.stderr)


def paper_json(session: Session, paper: Paper) -> dict[str, object]:
    return paper_record(paper, session.library.state(paper.id))


def print_table(session: Session, papers: list[Paper]) -> None:
    width = shutil.get_terminal_size((120, 24)).columns
    id_width = max((len(paper.id) for paper in papers), default=10)
    title_width = max(width - id_width - 2 - 11 - 22 - 4, 20)
    for paper in papers:
        state = session.library.state(paper.id)
        flags = ("*" if state.starred else " ") + (" " if state.read else "N")
        day = (paper.announced or (paper.published or "")[:10]).ljust(10)
        title = _fit(paper.title, title_width)
        print(f"{flags} {paper.id:<{id_width}} {day} {title:<{title_width}} {_fit(paper.first_author, 22)}")


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def cmd_mark(session: Session, args: argparse.Namespace) -> int:
    flags = (args.read, args.starred, args.dismissed)
    if all(flag is None for flag in flags) and not args.tag and not args.untag:
        return fail(
            "say what to change: --read/--unread, --star/--unstar, --dismiss/--undismiss, --tag, --untag"
        )
    ids, unknown = [], []
    for given in args.ids:
        parsed = parse_arxiv_id(given)
        paper_id = parsed.base if parsed else given
        (ids if paper_id in session.library.papers else unknown).append(paper_id)
    if unknown:
        return fail(f"not in the library: {', '.join(unknown)} (nothing changed)", EXIT_FAILED)
    actions = session.actions
    changed = 0
    if args.read is not None:
        changed += actions.set_read(ids, args.read)
    if args.starred is not None:
        changed += actions.set_starred(ids, args.starred)
    if args.dismissed is not None:
        changed += actions.set_dismissed(ids, args.dismissed)
    if args.tag:
        changed += actions.add_tags(ids, args.tag)
    if args.untag:
        changed += actions.remove_tags(ids, args.untag)
    session.flush()
    print(f"{len(ids)} paper(s), {changed} change(s) saved")
    return EXIT_OK


def cmd_feeds(session: Session, args: argparse.Namespace) -> int:
    for feed in session.feed_entries():
        meta = feed.meta
        count = session.library.count(View("feed", feed.label, feed.url))
        if meta.last_attempt is None:
            status = "never fetched"
        elif meta.last_status == "error":
            status = f"failed {meta.last_attempt}: {meta.last_error}"
        else:
            status = f"ok {meta.last_success}"
        mark = "" if feed.configured else "\tnot configured"
        print(f"{feed.label}\t{feed.url}\t{count.unread} unread / {count.total}\t{status}{mark}")
    return EXIT_OK


def write_output(text: str, output: Path | None) -> None:
    """``text`` to standard output, or to ``output`` through a temporary
    file and a rename, so that the file is whole or untouched.

    Line by line to standard output: unbuffered (PYTHONUNBUFFERED) it is
    written by one call per write, and a long text cut short there (a pipe
    closed by its reader) would lose its rest without an error."""
    if output is None or str(output) == "-":
        sys.stdout.writelines(text.splitlines(keepends=True))
    else:
        write_file(output, text)


def cmd_export(session: Session, args: argparse.Namespace) -> int:
    query = parse_query("is:starred" if args.query is None else args.query)
    papers, _ = sorted_papers(session, query, args.sort)
    text = export_papers(papers, session.library.states(), args.format, session.library.feed_names)
    write_output(text, args.output)
    if args.output is not None:
        print(f"{len(papers)} paper(s) written to {args.output}", file=sys.stderr)
    return EXIT_OK


def cmd_import_opml(session: Session, args: argparse.Namespace) -> int:
    try:
        report = import_opml(args.config, args.file)
    except (OpmlError, ConfigError) as error:
        return fail(str(error))
    if report.defaults_written:
        print(f"wrote the {len(report.defaults_written)} default feeds into {args.config} first,"
              " so that they stay followed")
    for outline, reason in report.unusable:
        print(f"paperread: skipped {outline.url!r}: {reason}", file=sys.stderr)
    print(f"{len(report.added)} feed(s) added, {len(report.already_configured)} skipped"
          f" (already configured), {len(report.unusable)} skipped (unusable)")
    return EXIT_OK


def cmd_export_opml(session: Session, args: argparse.Namespace) -> int:
    write_output(feeds_to_opml(session.feeds), args.output)
    return EXIT_OK


COMMANDS = {
    "refresh": cmd_refresh,
    "list": cmd_list,
    "mark": cmd_mark,
    "feeds": cmd_feeds,
    "export": cmd_export,
    "import-opml": cmd_import_opml,
    "export-opml": cmd_export_opml,
}
