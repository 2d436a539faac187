"""The web addresses of a paper: its landing page and its PDF.

A feed's own links win; arXiv papers without them get the canonical arXiv
addresses. Callers still check ``text.is_safe_url`` before opening one.
"""

from __future__ import annotations

from paperread.arxiv_ids import abs_url, parse_arxiv_id, pdf_url
from paperread.model import Paper


def arxiv_id(paper: Paper) -> str | None:
    """The versionless arXiv id, or None for a DOI- or guid-keyed paper."""
    parsed = parse_arxiv_id(paper.id)
    return parsed.base if parsed else None


def paper_doi(paper: Paper) -> str | None:
    """The DOI: the feed's, else the one a ``doi:``-keyed paper is keyed by."""
    if paper.doi:
        return paper.doi
    return paper.id[len("doi:") :] if paper.id.startswith("doi:") else None


def abs_link(paper: Paper) -> str | None:
    """The landing page: the abs page, else the item's own or DOI link, else
    the DOI resolver's address."""
    if paper.links.get("abs"):
        return paper.links["abs"]
    base = arxiv_id(paper)
    if base:
        return abs_url(base)
    link = paper.links.get("source") or paper.links.get("doi")
    if link:
        return link
    doi = paper_doi(paper)
    return f"https://doi.org/{doi}" if doi else None


def pdf_link(paper: Paper) -> str | None:
    if paper.links.get("pdf"):
        return paper.links["pdf"]
    base = arxiv_id(paper)
    return pdf_url(base, paper.version) if base else None
