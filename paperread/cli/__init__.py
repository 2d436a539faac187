"""Command line: global options, then a subcommand; no subcommand opens the
reader. Only argument handling and output live here: the arguments in
``arguments``, the subcommands in ``commands``, and here the run of one."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence

from paperread.cli.arguments import parse_args
from paperread.cli.commands import COMMANDS, EXIT_FAILED, fail
from paperread.config import ConfigError
from paperread.feedspec import FeedSpecError
from paperread.query import QueryError
from paperread.session import Session, open_session
from paperread.store.errors import LibraryLocked, StoreError

EXIT_CLOSED_PIPE = 141  # 128 + SIGPIPE, as a shell reports a command SIGPIPE ended

# Commands that only read the library: they open it without the lock, so
# they work beside a running reader.
READING_COMMANDS = ("list", "feeds", "export", "import-opml", "export-opml")
# What a command that changes the library can do while another process
# holds it, said after whom the library is in use by.
INSTEAD_WHILE_LOCKED = {
    "refresh": "refresh there if it is the reader, or run this again once it has closed",
    "mark": "mark the papers there if it is the reader, or run this again once it has closed",
}


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
