"""Fetch feeds over HTTP(S) with httpx: concurrency, politeness, limits, errors.

``fetch_all`` takes a list of URLs (with the validators of the last fetch) and
returns one ``FetchResult`` per URL, in the same order. It never raises for a
feed's failure: every failure becomes a result with a one-line ``error``.

Rules it keeps:

- one ``httpx.AsyncClient`` for the whole run;
- feeds on different hosts run in parallel (at most ``max_parallel`` at once),
  requests to the same host run one at a time, and requests to a rate-limited
  host (arXiv's by default) start at least ``arxiv_min_interval`` apart;
- a total time limit per feed (httpx's timeouts are per phase, so a server
  that drips one byte every few seconds would otherwise never time out);
- a body size cap that also holds for compressed bodies: the raw stream is
  decompressed here with a bounded ``zlib`` decompressor, so a gzip bomb is
  never inflated beyond ``max_bytes + 1`` bytes;
- conditional GET (``If-None-Match`` / ``If-Modified-Since``), 304 becomes
  ``"not-modified"``;
- redirects followed by hand (each hop waits for its own host's turn), with
  clear errors for loops and for too many hops.

Local paths and ``file://`` URLs are not handled here; the caller reads those.

This module names the package's public names; the work is done in its
modules: ``client`` (the requests and results, the run, redirects),
``limits`` (the limits and the per-host gates), ``body`` (the bounded
body) and ``errors`` (one line for each failure).
"""

from __future__ import annotations

from paperread.fetch.client import USER_AGENT, FeedRequest, FetchResult, fetch_all
from paperread.fetch.client import (
    _new_client as _new_client,  # refresh.py makes its client in a thread
)
from paperread.fetch.errors import MAX_RETRY_AFTER, format_size, parse_retry_after
from paperread.fetch.limits import ARXIV_HOSTS, FetchLimits

__all__ = [
    "ARXIV_HOSTS",
    "MAX_RETRY_AFTER",
    "USER_AGENT",
    "FeedRequest",
    "FetchLimits",
    "FetchResult",
    "fetch_all",
    "format_size",
    "parse_retry_after",
]
