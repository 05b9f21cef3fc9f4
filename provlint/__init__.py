"""provlint: lint scraped news-article dumps for trustworthy provenance metadata.

The Python API (`lint_paths`, `lint_text`) is in `provlint.api`; both are imported
lazily here so that `provlint --version` stays fast.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["__version__", "lint_paths", "lint_text"]


def __getattr__(name: str) -> Any:
    if name in ("lint_paths", "lint_text"):
        from provlint import api

        return getattr(api, name)
    raise AttributeError(name)
