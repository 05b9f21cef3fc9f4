"""Whether two values state the same fact, whatever their spelling: one place for every
rule that compares (conflicts, duplicates, the main entity of a page).

- URLs: scheme, `www.` and the other hosts of one registered domain (`m.`, `social.`),
  the host's case, a default port, a trailing slash, the fragment, percent-encoding, the
  order of query parameters and tracking parameters (`utm_*`, `fbclid`, …) do not count;
  a relative URL agrees with an absolute one of the same path.
- Titles: case, white space, quotation marks and a site-name prefix or suffix (after `|`,
  `-`, `–`, `—`, `:`, `»`, `·`, taken from og:site_name, the publisher or the domain) do
  not count; a title cut short agrees with the full one, and a title agrees with a
  longer one that holds it between separators (`Section | Title`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

TRACKING_PARAMETERS = ("fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "mc_cid",
                       "mc_eid", "_ga", "_gl", "ocid", "cmpid", "ncid", "ito", "ns_campaign", "ns_mchannel",
                       "ns_source", "ns_linkname", "ns_fee", "sr_share", "smid", "soc_src", "soc_trk")
DEFAULT_PORTS = {"http": 80, "https": 443}

_SEPARATOR = re.compile(r"\s+(?:[|\-–—:»·•~/]|::)\s+|\s*[|»·•]\s*|:\s+")
# Quotation marks and apostrophes in any style read as a space: `Swift’s` = `Swift's`.
# Not the lexicons' quote pairs (which say where a quotation opens and closes in a
# language): comparing two values folds every mark, in any language, the same way.
_QUOTES = str.maketrans(dict.fromkeys("\"'‘’‚‛“”„‟«»‹›′″`´", " "))
_SQUASH = re.compile(r"[\W_]+")
_WORD = re.compile(r"\w+")
# Thai, Lao, Myanmar, Khmer, kana, CJK: scripts written without spaces between words. Compiled
# on first use (`re` marks each code point of the ranges one by one as it compiles: 28 M
# instructions, a fortieth of a one-file run) and asked only of a word that holds a code
# point from the first of them on.
_NO_SPACE_FIRST = "\u0e00"
_NO_SPACE_SCRIPT = (r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf"
                    r"\u4e00-\u9fff\uf900-\ufaff]")


@lru_cache(maxsize=4096)
def url_key(url: str) -> str:
    """A URL as the fact it names: `https://www.Example.com:443/a/?utm_source=x#top` and
    `http://example.com/a` give the same key. A relative URL gives its path and query."""
    text = url.strip()
    try:
        location = urlsplit(text if "//" in text or text.startswith("/") else "//" + text)
        host = (location.hostname or "").rstrip(".").removeprefix("www.")
        port = location.port
    except ValueError:  # a malformed URL names only itself
        return " ".join(text.split()).casefold()
    if port is not None and port != DEFAULT_PORTS.get(location.scheme.lower(), port):
        host = f"{host}:{port}"
    path = location.path.rstrip("/")
    query = "&".join(sorted(
        part for part in location.query.split("&")
        if part and not (part.split("=", 1)[0].lower().startswith("utm_")
                         or part.split("=", 1)[0].lower() in TRACKING_PARAMETERS)))
    try:
        from w3lib.url import canonicalize_url

        # w3lib normalises percent-encoding the way browsers do; host and scheme are ours.
        normal = canonicalize_url(f"http://h{path or '/'}{'?' + query if query else ''}")
        path_and_query = normal[len("http://h"):]
    except ValueError:
        path_and_query = f"{path}?{query}"
    return f"{host}|{path_and_query.rstrip('/') or '/'}"


def looks_like_url(text: str) -> bool:
    """An absolute URL, a host with a path, or a path: not a sentence in a URL field."""
    return bool(text) and not any(char.isspace() for char in text.strip()) and ("/" in text or "." in text)


def same_url(first: str, second: str) -> bool:
    one, other = url_key(first), url_key(second)
    if one == other:
        return True
    host_one, path_one = one.split("|", 1) if "|" in one else ("", one)
    host_other, path_other = other.split("|", 1) if "|" in other else ("", other)
    # A relative URL (no host) names a path on the page's own site; the same path on
    # another host of the site (`social.`, `m.`, `amp.`) is the same article.
    if host_one and host_other and host_one != host_other and not same_site(first, second):
        return False
    if path_one == path_other:
        return True
    # `/a?slide=1` and `/a`: a view of the page, and the page.
    bare_one, bare_other = path_one.split("?", 1)[0], path_other.split("?", 1)[0]
    return bare_one == bare_other and ("?" not in path_one or "?" not in path_other)


def same_site(first: str, second: str) -> bool:
    """Both URLs on one registered domain (`social.techcrunch.com`, `techcrunch.com`); a
    relative URL is on the page's own site."""
    from provlint.readers.fields import registered_domain

    hosts = []
    for url in (first, second):
        try:
            host = urlsplit(url.strip() if "//" in url else "//" + url.strip()).hostname or ""
        except ValueError:
            return False
        hosts.append(registered_domain(host)[0] if host and not url.strip().startswith("/") else "")
    return not hosts[0] or not hosts[1] or hosts[0] == hosts[1]


def _squash(text: str) -> str:
    return _SQUASH.sub("", text.casefold()).removeprefix("the")


@lru_cache(maxsize=1024)
def _site_keys(site_names: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    """The squashed site names, and the bare labels (`cnbc` of cnbc.com) that a segment
    may start with (`CNBC.com`, `BBC News`)."""
    keys = {_squash(name) for name in site_names if _squash(name)}
    return frozenset(keys), frozenset(key for key in keys if len(key) >= 3)


def _is_site(segment: str, site_names: tuple[str, ...]) -> bool:
    keys, labels = _site_keys(site_names)
    squashed = _squash(segment)
    if not squashed:
        return False
    if squashed in keys:
        return True
    # `CNBC.com`, `BBC News`, `Reuters UK`: the label and a short tail, not a headline
    # that happens to start with the outlet's name. Looked up by the segment's prefixes
    # (nine at most), not label by label: a file of many outlets has many labels.
    return any(squashed[:length] in labels for length in range(max(3, len(squashed) - 8), len(squashed) + 1))


def is_site_name(text: str, site_names: tuple[str, ...]) -> bool:
    """A title that is only the site's name (`<title>Quanta Magazine</title>`)."""
    return _is_site(" ".join(text.split()), site_names)


def names_site(text: str, site_names: tuple[str, ...]) -> bool:
    """The text is exactly one of the site's names, whatever its case, spaces and dots
    (`The New Yorker` for newyorker.com, `Backstage.com`); `CNN Wire` is not CNN."""
    squashed = _squash(text.strip().casefold().removeprefix("www."))
    return bool(squashed) and squashed in _site_keys(site_names)[0]


def _segments(text: str) -> list[str]:
    return [part for part in _SEPARATOR.split(" ".join(text.split())) if part.strip()]


MAX_UNESCAPES = 3  # `&amp;amp;#039;` takes three


def title_key(title: str, site_names: tuple[str, ...] = ()) -> str:
    """A title without its site-name prefix or suffix, in one case, quotes and white space;
    an HTML character reference left in the text (`&#8211;`) reads as its character, also
    when escaped twice over (`&amp;amp;#039;`, a CMS's double encoding: no rewording)."""
    if "&" in title:
        import html  # here: most titles hold no reference, and the table of entities is large

        for _ in range(MAX_UNESCAPES):
            unescaped = html.unescape(title)
            if unescaped == title:
                break
            title = unescaped
    segments = _segments(title)
    while len(segments) > 1 and _is_site(segments[-1], site_names):
        segments.pop()
    while len(segments) > 1 and _is_site(segments[0], site_names):
        segments.pop(0)
    return _fold(" | ".join(segments))


def _fold(text: str) -> str:
    return " ".join(text.translate(_QUOTES).casefold().split()).rstrip(" .…!?").strip()


def same_headline(first: str, one: str, second: str, other: str) -> bool:
    """The same headline, given two titles and their `title_key`s (made once for a title
    compared with many): equal once normalised, one cut short of the other (at a word
    boundary, or ending in an ellipsis), or one standing between separators in the other."""
    if one == other:
        return True
    short, long = sorted((one, other), key=len)
    if not short:
        return False
    cut = first.rstrip().endswith(("…", "...")) if one == short else second.rstrip().endswith(("…", "..."))
    if long.startswith(short) and (cut or not long[len(short)].isalnum()):
        return True
    parts = [_fold(part) for part in long.split(" | ")]
    return any(" | ".join(parts[start:end]) == short
               for start in range(len(parts)) for end in range(start + 1, len(parts) + 1))


@lru_cache(maxsize=1)
def _no_space_script() -> re.Pattern[str]:
    return re.compile(_NO_SPACE_SCRIPT)


def content_words(text: str) -> set[str]:
    """Content words, cut to six characters (a crude stem: `stock`/`stocks`), and character
    pairs of scripts written without spaces."""
    tokens: set[str] = set()
    for word in _WORD.findall(text.casefold()):
        if max(word) >= _NO_SPACE_FIRST and _no_space_script().search(word):
            tokens.update(word[i:i + 2] for i in range(max(len(word) - 1, 1)))
        elif len(word) >= 4 or word.isdigit():
            tokens.add(word[:6])
    return tokens


def headline_words(title: str, site_names: tuple[str, ...] = ()) -> list[set[str]]:
    """The content words of the whole title, and of each part between separators that has
    two or more (the headline in `Headline | Section | Tagline`)."""
    key = title_key(title, site_names)
    parts = [content_words(part) for part in key.split(" | ")]
    return [content_words(key)] + [part for part in parts if len(part) >= 2 and len(parts) > 1]


def related_titles(first: str, second: str, site_names: tuple[str, ...] = (), share: float = 0.5) -> bool:
    """Two wordings of one story: at least `share` of the shorter title's content words
    (or of one of its parts between separators) are in the other, or two of them, one a
    word (`Stars of 2014` in `Style Stars of 2014`)."""
    return related_headlines(headline_words(first, site_names), headline_words(second, site_names), share)


def related_headlines(first: list[set[str]], second: list[set[str]], share: float = 0.5) -> bool:
    """`related_titles` over the `headline_words` of each title, for callers that compare
    a title with many."""
    for one in first:
        for other in second:
            shared = one & other
            if shared and (len(shared) >= share * min(len(one), len(other))
                           or (len(shared) >= 2 and not all(token.isdigit() for token in shared))):
                return True
    return False


def shares_words(title: str, words: set[str], site_names: tuple[str, ...] = (), share: float = 0.5) -> bool:
    """At least `share` of a title's content words are among `words`, the `content_words`
    of its article's body, description or page. The whole title counts, not a part of
    it: a page's text holds the common words of any short part (`So Many Ways to Play`)."""
    own = content_words(title_key(title, site_names))
    return bool(own) and len(own & words) >= share * len(own)
