"""The web addresses of a paper: the one rule for its landing page, PDF,
DOI and code links.

A feed's own links win; an arXiv id gives the canonical arXiv addresses
and a DOI its resolver's address where the feed gave none. The stored
summaries leave out the links this rule makes again (``lean_links``).
Callers still check ``text.is_safe_url`` before opening one.
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


def derived_links(paper: Paper) -> dict[str, str]:
    """The links the arXiv id (abs, pdf) and the DOI (doi) give."""
    made = {}
    base = arxiv_id(paper)
    if base:
        made["abs"], made["pdf"] = abs_url(base), pdf_url(base, paper.version)
    if paper.doi:
        made["doi"] = f"https://doi.org/{paper.doi}"
    return made


def standard_links(paper: Paper) -> dict[str, str | None]:
    """abs, pdf and doi: the feed's own, else the derived one."""
    made = derived_links(paper)
    return {name: paper.links.get(name) or made.get(name) for name in ("abs", "pdf", "doi")}


def lean_links(paper: Paper) -> dict[str, str] | None:
    """``paper.links`` without the links ``derived_links`` makes again
    (for a paper keyed by its versionless arXiv id); None when none can go.
    Three strings fewer for nearly every paper of a summary library."""
    links = paper.links
    if not links or arxiv_id(paper) != paper.id:
        return None
    derived = derived_links(paper)
    lean = {name: url for name, url in links.items() if derived.get(name) != url}
    return lean if len(lean) < len(links) else None


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


def doi_link(paper: Paper) -> str | None:
    """The DOI's page: the feed's DOI link, else the resolver's address for
    the DOI (also for a ``doi:``-keyed paper)."""
    link = standard_links(paper)["doi"]
    if link:
        return link
    doi = paper_doi(paper)
    return f"https://doi.org/{doi}" if doi else None


def code_links(paper: Paper) -> list[tuple[str, str]]:
    """(label, url) for the paper's code and its project page: the links to
    code, models and data its text gives and the repository its feed names
    ("code"), then the project page ("project page"); in that order, each
    once."""
    candidates = [*paper.code_links, paper.github_repo]
    found = {url: "code" for url in candidates if url}
    project = paper.links.get("project")
    if project and project not in found:
        found[project] = "project page"
    return [(label, url) for url, label in found.items()]
