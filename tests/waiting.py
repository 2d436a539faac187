"""Waiting on the reader under Pilot: on a condition, with a deadline, never
on a fixed pause (a pause long enough on a quiet machine is too short on a
busy one)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.pilot import Pilot

POLL = 0.02  # seconds between two looks at the condition; the app runs meanwhile


async def wait_for(pilot: Pilot, condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Let the app run until ``condition()`` holds; AssertionError after ``timeout`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"condition not met within {timeout:g} s")
        await pilot.pause(POLL)
