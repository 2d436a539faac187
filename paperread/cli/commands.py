"""The subcommands: each takes the open session and the parsed arguments
and returns the exit status."""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from paperread.arxiv_ids import parse_arxiv_id
from paperread.cli.arguments import FOR_YOU
from paperread.config import ConfigError
from paperread.export import export_papers, paper_record, write_file
from paperread.library import View
from paperread.model import Paper
from paperread.opml import OpmlError, feeds_to_opml, import_opml
from paperread.query import Query, parse_query
from paperread.session import Session

if TYPE_CHECKING:
    from paperread.foryou import Ranking

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
PROGRESS_AFTER = 2.0  # seconds of vectorising before a backfill says how far it is


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
