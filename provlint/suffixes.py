"""Host names split at their public suffix, from the Public Suffix List snapshot that
tldextract bundles, with tldextract's rules (`TLDExtract(suffix_list_urls=())`).

tldextract itself is not imported: its module pulls in requests, urllib3 and filelock
(about a third of a one-file run's imports) for a list this reads from a file. Only the
snapshot file and tldextract's lookup are used; tests/test_suffixes.py holds the two
answers equal on every registry domain and the edge cases.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from urllib.parse import scheme_chars

# The separator and the entry pattern of tldextract's `extract_tlds_from_suffix_list`
# (there `^...` over the whole text in MULTILINE mode; here matched at each line's start).
_PRIVATE_SEPARATOR = "// ===BEGIN PRIVATE DOMAINS==="
_ENTRY = re.compile(r"[.*!]*\w[\S]*", re.UNICODE)
_IPV4 = re.compile(r"^(?:(?:[0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])\.)"
                   r"{3}(?:[0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])$", re.ASCII)
_SCHEME_CHARS = frozenset(scheme_chars)


def snapshot_path() -> Path:
    """The suffix list tldextract ships, found without importing tldextract."""
    spec = importlib.util.find_spec("tldextract")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("tldextract is not installed: provlint reads its public suffix list")
    return Path(next(iter(spec.submodule_search_locations))) / ".tld_set_snapshot"


def entries(text: str) -> list[str]:
    """The suffixes a part of the list names, in its order."""
    found: list[str] = []
    for line in text.split("\n"):
        if line and line[0] != "/":  # comments, the most lines, cannot match
            entry = _ENTRY.match(line)
            if entry is not None:
                found.append(entry.group())
    return found


# Nodes asked of the list's text before the whole trie is built: a one-file run asks a
# handful (building the trie was a tenth of its time), a corpus run many thousands.
TREE_AFTER = 256


class SuffixList:
    """The nodes of tldextract's suffix trie, each named by its labels ("co.uk"): whether
    a node is a suffix (True), a label on the way to one ("uk" of "*.sch.uk" alone: False)
    or not in the trie (None). The first `tree_after` nodes are looked up in the list's
    text; after that the whole trie is built, once, and asked instead."""

    def __init__(self, texts: list[str], tree_after: int = TREE_AFTER) -> None:
        # Each part of the list led by a line break, so that every line starts after one.
        self._texts = ["\n" + text for text in texts]
        self._tree: dict[str, bool] | None = None
        self._known: dict[str, bool | None] = {}
        self._tree_after = tree_after

    def get(self, node: str) -> bool | None:
        if self._tree is not None:
            return self._tree.get(node)
        if node in self._known:
            return self._known[node]
        return self._looked_up(node)

    def __contains__(self, node: str) -> bool:
        return self.get(node) is not None

    def _looked_up(self, node: str) -> bool | None:
        if len(self._known) >= self._tree_after:
            tree = self._tree = self.tree()
            return tree.get(node)
        found = self._known[node] = self._search(node)
        return found

    def _search(self, node: str) -> bool | None:
        """The node's answer from the text: a line whose entry is the node makes it a
        suffix; an entry ending in "." and the node, a label on the way to one."""
        if any(char.isspace() for char in node):  # no entry holds a space
            return None
        if _ENTRY.fullmatch(node) is not None and any(self._entry_at_line_start(text, node) for text in self._texts):
            return True
        return False if self._ends_an_entry(node) else None

    @staticmethod
    def _entry_at_line_start(text: str, node: str) -> bool:
        return next(_ending_entries(text, "\n" + node), None) is not None

    def _ends_an_entry(self, node: str) -> bool:
        ending = "." + node
        for text in self._texts:
            for at in _ending_entries(text, ending):
                line_start = text.rfind("\n", 0, at) + 1
                if _ENTRY.fullmatch(text, line_start, at + len(ending)) is not None:
                    return True
        return False

    def build(self) -> None:
        """Build the whole trie now: a process about to fork workers builds it once for all."""
        if self._tree is None:
            self._tree = self.tree()

    def tree(self) -> dict[str, bool]:
        """Every node of the trie and whether it is a suffix."""
        tree: dict[str, bool] = {}
        for text in self._texts:
            for entry in entries(text):
                tree[entry] = True
                dot = entry.find(".")
                while dot >= 0:
                    tree.setdefault(entry[dot + 1 :], False)
                    dot = entry.find(".", dot + 1)
        return tree


def _ending_entries(text: str, needle: str) -> Iterator[int]:
    """Where `needle` stands in the list's text with the end of an entry after it (white
    space, or the end of the text)."""
    at = text.find(needle)
    while at >= 0:
        after = at + len(needle)
        if after == len(text) or text[after].isspace():
            yield at
        at = text.find(needle, at + 1)


@lru_cache(maxsize=2)
def _suffix_list(private: bool) -> SuffixList:
    """tldextract's suffix list; with `private`, private suffixes (blogspot.com) are suffixes too."""
    public_text, _, private_text = snapshot_path().read_bytes().decode("utf-8").partition(_PRIVATE_SEPARATOR)
    return SuffixList([public_text, private_text] if private else [public_text])


def build_tries() -> None:
    """Both tries (public suffixes, and with private ones) built now, before workers fork."""
    for private in (False, True):
        _suffix_list(private).build()


def _decoded(label: str) -> str:
    lowered = label.lower()
    if lowered.startswith("xn--"):
        import idna  # only for punycode labels

        try:
            return idna.decode(lowered)
        except (UnicodeError, IndexError):
            pass
    return lowered


def _suffix_index(labels: list[str], private: bool) -> int | None:
    """The first label of the public suffix, None without one: tldextract's `suffix_index`
    (a label never holds a dot, so a node's name stands for its path in the trie)."""
    tree = _suffix_list(private)
    suffix_index = label_index = len(labels)
    path = ""
    for label in reversed(labels):
        decoded = _decoded(label)
        node = f"{decoded}.{path}" if path else decoded
        is_suffix = tree.get(node)
        if is_suffix is not None:
            label_index -= 1
            path = node
            if is_suffix:
                suffix_index = label_index
            continue
        if (f"*.{path}" if path else "*") in tree:
            exception = f"!{decoded}.{path}" if path else f"!{decoded}"
            return label_index if exception in tree else label_index - 1
        break
    return None if suffix_index == len(labels) else suffix_index


def _host(url: str) -> str:
    """tldextract's `lenient_netloc`: the host of a URL or host, case and brackets kept."""
    double_slashes = url.find("//")
    if double_slashes == 0:
        url = url[2:]
    elif double_slashes >= 2 and url[double_slashes - 1] == ":" and not set(url[: double_slashes - 1]) - _SCHEME_CHARS:
        url = url[double_slashes + 2 :]
    authority = url.partition("/")[0].partition("?")[0].partition("#")[0]
    after_userinfo = authority.rpartition("@")[-1]
    if after_userinfo and after_userinfo[0] == "[":
        maybe_ipv6 = after_userinfo.partition("]")
        if maybe_ipv6[1] == "]":
            return f"{maybe_ipv6[0]}]"
    return after_userinfo.partition(":")[0].strip().rstrip(".\u3002\uff0e\uff61")


def _is_ipv6(text: str) -> bool:
    from ipaddress import AddressValueError, IPv6Address

    try:
        IPv6Address(text)
    except AddressValueError:
        return False
    return True


def split_host(url: str, private: bool = False) -> tuple[str, str, str]:
    """(subdomain, domain, suffix) of a URL or host, as tldextract's `extract` gives them;
    with `private`, private suffixes (blogspot.com) count as suffixes."""
    host = _host(url).replace("\u3002", ".").replace("\uff0e", ".").replace("\uff61", ".")
    if len(host) >= 4 and host[0] == "[" and host[-1] == "]" and _is_ipv6(host[1:-1]):
        return "", host, ""
    labels = host.split(".")
    suffix_index = _suffix_index(labels, private)
    if suffix_index is None:
        if len(labels) == 4 and host[0].isdecimal() and _IPV4.fullmatch(host):
            return "", host, ""
        return ".".join(labels[:-1]), labels[-1], ""
    subdomain = ".".join(labels[: suffix_index - 1]) if suffix_index >= 2 else ""
    domain = labels[suffix_index - 1] if suffix_index > 0 else ""
    return subdomain, domain, ".".join(labels[suffix_index:])
