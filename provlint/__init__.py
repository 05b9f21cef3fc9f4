"""provlint: lint scraped news-article dumps for trustworthy provenance metadata.

The Python API (`lint_paths`, `lint_text`) is in `provlint.api`; both are imported
lazily here so that `provlint --version` stays fast.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["__version__", "compiled", "lint_paths", "lint_text"]


def compiled() -> bool:
    """Whether the per-document hot path runs compiled (a wheel built with mypyc) or as Python."""
    from importlib.util import find_spec

    spec = find_spec("provlint.patterns")
    return spec is not None and spec.origin is not None and not spec.origin.endswith(".py")


def __getattr__(name: str) -> Any:
    if name in ("lint_paths", "lint_text"):
        from provlint import api

        return getattr(api, name)
    raise AttributeError(name)
