"""Where the reader's stylesheet lives.

Installed, ``styles/`` is the package ``paperread.styles`` (see pyproject's
package-dir); in a source checkout it is the top-level ``styles/`` folder
beside the ``paperread`` package.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

STYLESHEET = "paperread.tcss"


def stylesheet_path() -> Path:
    """The path of ``paperread.tcss`` (Textual needs a real file)."""
    try:
        resource = resources.files("paperread.styles").joinpath(STYLESHEET)
    except ModuleNotFoundError:
        resource = None
    if resource is not None and resource.is_file():
        return Path(str(resource))
    return Path(__file__).resolve().parents[2] / "styles" / STYLESHEET
