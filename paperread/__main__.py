"""``python -m paperread`` and the ``paperread`` command.

A parser worker process (spawned) runs the program's main module again
before its first task, so this module imports nothing at its top: a worker
then loads only the parsers, not the command line and everything behind it.
"""


def run() -> int:
    from paperread.cli import run as run_command

    return run_command()


if __name__ == "__main__":
    raise SystemExit(run())
