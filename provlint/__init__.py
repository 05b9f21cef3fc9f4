"""provlint: lint scraped news-article dumps for trustworthy provenance metadata."""

from __future__ import annotations

__version__ = "0.1.0"
