"""What one ``fetch_all`` run may do (``FetchLimits``), and the gates that
keep to it: one request at a time per host, at most ``max_parallel`` at
once, and spacing for rate-limited hosts."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

#: Hosts that ask for at most one request every few seconds over one connection.
ARXIV_HOSTS: frozenset[str] = frozenset({"rss.arxiv.org", "export.arxiv.org", "arxiv.org"})


@dataclass(frozen=True)
class FetchLimits:
    """Limits for one ``fetch_all`` run.

    ``rate_limited_hosts`` are the hosts whose requests start at least
    ``arxiv_min_interval`` seconds apart (arXiv's by default).
    """

    total_timeout: float = 60.0
    connect_timeout: float = 10.0
    max_bytes: int = 20 * 2**20
    arxiv_min_interval: float = 3.0
    max_redirects: int = 5
    max_parallel: int = 8
    rate_limited_hosts: frozenset[str] = ARXIV_HOSTS


class _HostGates:
    """One request at a time per host, a global cap, and spacing for rate-limited hosts."""

    def __init__(self, limits: FetchLimits) -> None:
        self._limits = limits
        self._locks: dict[str, asyncio.Lock] = {}
        self._last_start: dict[str, float] = {}
        self._parallel = asyncio.Semaphore(limits.max_parallel)

    @asynccontextmanager
    async def turn(self, host: str) -> AsyncIterator[None]:
        loop = asyncio.get_running_loop()
        lock = self._locks.setdefault(host, asyncio.Lock())
        async with lock:
            if host in self._limits.rate_limited_hosts and host in self._last_start:
                wait = self._last_start[host] + self._limits.arxiv_min_interval - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
            async with self._parallel:
                self._last_start[host] = loop.time()
                yield
