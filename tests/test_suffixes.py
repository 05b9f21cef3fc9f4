"""provlint's public-suffix split (provlint.suffixes, read from tldextract's bundled
list without importing tldextract's network code) gives tldextract's answer."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
import tldextract
import yaml

from provlint.suffixes import split_host

REPO = Path(__file__).resolve().parent.parent
EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

EDGE_CASES = [
    "", ".", "..", "com", "example.com", "EXAMPLE.COM", "www.bbc.co.uk", "http://forums.bbc.co.uk/path?q#f",
    "https://user:pw@fr.sputniknews.com:8080/a", "//news.example.org/x", "ftp://a.b.example.net",
    "mailto:someone@example.com", "a:b//c.com", "1http://x.com//y", "example.com.", "example.com\u3002",
    "www\uff0eexample\uff61com", "127.0.0.1", "256.1.1.1", "127.0.0.1.1", "http://10.0.0.1:80/", "1.2.3.com",
    "[::1]", "http://[2001:db8::1]:443/", "[not-ip]", "[]", "localhost", "http://localhost:8080",
    "www.ck", "foo.www.ck", "bar.foo.ck", "a.b.c.kawasaki.jp", "city.kawasaki.jp", "x.city.kawasaki.jp",
    "bild.eu.com", "myblog.blogspot.com", "a.b.blogspot.co.uk", "github.io", "user.github.io",
    "xn--mnchen-3ya.de", "www.xn--mnchen-3ya.de", "xn--p1ai", "сайт.рф", "www.сайт.рф", "xn--90a3ac.xn--p1ai",
    "xn--broken--.com", "xn--", "a..b.com", "  spaced.example.com  ", "host:notaport", "@example.com",
    "example.com#frag", "example.com?x=http://y.org", "s3.amazonaws.com", "bucket.s3.amazonaws.com",
    "compute.amazonaws.com", "x.compute-1.amazonaws.com", "foo.bar.baz.qux", "ria.ru", "www.rt.com",
    "arabic.rt.com", "tass.ru", "news.yahoo.co.jp", "example.co", "a.gov.uk", "b.sch.uk", "c.d.sch.uk",
]


@functools.lru_cache(maxsize=1)
def registry_hosts() -> tuple[str, ...]:
    """Every domain and host the built-in source registry names."""
    hosts: list[str] = []
    for path in sorted((REPO / "rules").rglob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        if isinstance(data, dict) and isinstance(data.get("sources"), list):
            for entry in data["sources"]:
                hosts.append(entry["domain"])
                hosts.extend(entry.get("hosts", []))
    return tuple(hosts)


@pytest.mark.parametrize("private", [False, True])
def test_split_is_tldextracts_on_edge_cases(private: bool) -> None:
    for host in EDGE_CASES:
        expected = EXTRACT(host, include_psl_private_domains=private)
        assert split_host(host, private) == (expected.subdomain, expected.domain, expected.suffix), host


@pytest.mark.parametrize("private", [False, True])
def test_split_is_tldextracts_on_every_registry_domain(private: bool) -> None:
    hosts = registry_hosts()
    assert len(hosts) > 100
    for host in [*hosts, *(f"www.{host}" for host in hosts), *(f"https://news.{host}/a" for host in hosts)]:
        expected = EXTRACT(host, include_psl_private_domains=private)
        assert split_host(host, private) == (expected.subdomain, expected.domain, expected.suffix), host


def test_the_entries_are_tldextracts() -> None:
    from tldextract.suffix_list import extract_tlds_from_suffix_list

    from provlint.suffixes import entries, snapshot_path

    text = snapshot_path().read_text(encoding="utf-8")
    public, _, private = text.partition("// ===BEGIN PRIVATE DOMAINS===")
    assert (entries(public), entries(private)) == extract_tlds_from_suffix_list(text)
    assert len(entries(public)) > 5000


@pytest.mark.parametrize("private", [False, True])
def test_nodes_looked_up_in_the_text_are_the_tries(private: bool) -> None:
    """A run's first lookups read the list's text instead of building the trie: the same
    answer for nodes of the trie, nodes just outside it and strings no entry can be."""
    from provlint.suffixes import SuffixList, snapshot_path

    public, _, private_part = snapshot_path().read_text(encoding="utf-8").partition("// ===BEGIN PRIVATE DOMAINS===")
    texts = [public, private_part] if private else [public]
    trie = SuffixList(texts).tree()
    looked_up = SuffixList(texts, tree_after=10**9)
    nodes = sorted(trie)[::97]
    assert len(nodes) > 60
    asked = [*nodes, *(f"x.{node}" for node in nodes), *(f"*.{node}" for node in nodes),
             *(f"!{node}" for node in nodes), *(node[1:] for node in nodes), *(node[:-1] for node in nodes),
             "", ".", "com.", " com", "com ", "a b", "\ncom", "//", "/com", "*", "!", "html", "org>", "ck", "*.ck",
             "!www.ck", "kawasaki.jp", "*.kawasaki.jp", "!city.kawasaki.jp", "blogspot.com", "sch.uk"]
    assert [looked_up.get(node) for node in asked] == [trie.get(node) for node in asked]
    assert {trie.get(node) for node in asked} == {True, False, None}


def test_a_process_about_to_fork_builds_both_tries():
    """Workers fork after `load_shared_data`: the tries are built there once, not in each worker."""
    from provlint.readers import load_shared_data
    from provlint.suffixes import _suffix_list

    load_shared_data()
    assert all(_suffix_list(private).tree() == _suffix_list(private)._tree for private in (False, True))
    assert split_host("news.bbc.co.uk") == ("news", "bbc", "co.uk")
