from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from provlint.checks.base import at_value, finding, in_source, shorten
from provlint.checks.pattern import Screen, pack_screen
from provlint.lexicons import CUE_TYPES, Cue, Language, Lexicons, QuoteMarks
from provlint.model import Document, FieldValue, Finding
from provlint.patterns import Pattern
from provlint.rulepack import Rule, Ruleset
from provlint.sources import Registry, name_key

DOC = """`attribution`: who is quoted and how, with the multilingual cue lexicons (`lexicons:`).

The body's language comes from the locale field when a lexicon exists for it,
otherwise from a guess on common words; with no lexicon for the language the check
says nothing. Options: `report`, one of
  `unattributed`        a body of at least `min_sentences` (default 5) sentences with
                        no cue at all; skipped for opinion/analysis sections;
  `vague`               vague cues number at least `min_vague` and `min_share` of all
                        cues (`max_vague` caps the count, for a separate single-cue rule);
  `unbalanced_quotes`   quotation marks that do not pair up (`quotes:` in the lexicons:
                        « », „ “, “ ”, ‹ ›, " ");
  `unattributed_quotes` a quotation with no cue in its sentence or a neighbouring one;
  `byline`              an author that is an e-mail, the outlet's own name, a wire agency
                        or a staff placeholder (`agencies`, `staff` lists in the rule).
"""

OPTIONS_SCHEMA: dict[str, Any] = {
    "required": ["report"],
    "properties": {
        "report": {"enum": ["unattributed", "vague", "unbalanced_quotes", "unattributed_quotes", "byline"],
                   "description": "What to report."},
        "min_sentences": {"type": "integer", "minimum": 1,
                          "description": "With `report: unattributed`: shortest body checked, in sentences."},
        "min_vague": {"type": "integer", "minimum": 1, "description": "With `report: vague`: fewest vague cues reported."},
        "max_vague": {"type": "integer", "minimum": 1, "description": "With `report: vague`: most vague cues reported."},
        "min_share": {"type": "number", "minimum": 0, "maximum": 1,
                      "description": "With `report: vague`: vague cues' least share of all cues."},
        "min_words": {"type": "integer", "minimum": 1,
                      "description": "With `report: unattributed_quotes`: shortest quotation checked, in words."},
        "agencies": {"type": "array", "items": {"type": "string"}, "description": "With `report: byline`: wire agency names."},
        "staff": {"type": "array", "items": {"type": "string"}, "description": "With `report: byline`: staff placeholders."},
    },
}
VALUES = {"language": "the body's language", "cue": "the cue found; for `unattributed`, cues the language has",
          "count": "vague cues found", "total": "all cues found", "sentences": "the body's sentences",
          "quote": "the quotation, shortened", "mark": "the unpaired marks", "value": "the author value",
          "reason": "why it names nobody"}


@dataclass(frozen=True)
class Prepared:
    """What an attribution rule reads besides the document, taken from the pack at load."""

    lexicons: Lexicons
    sources: Registry
    sentence_end: Pattern | None  # the block table's `sentence_end`: one sentence end for the whole pack
    agencies: frozenset[str]  # name keys of the rule's `agencies`
    staff: frozenset[str]  # and of its `staff` placeholders
    # For `vague`: the pack's one screen of the blocks, which holds every language's vague
    # cues: a body that is a block's text where it rules them out (most) is not scanned.
    pack_screen: Screen | None = None


def prepare(rule: Rule, pack: Ruleset) -> Prepared:
    screen: Screen | None = None
    if rule.options.get("report") == "vague":
        screen = pack_screen(pack)
        for language in pack.lexicons.languages.values():
            for pattern in language.patterns()["vague"]:
                screen.add(pattern)
    return Prepared(pack.lexicons, pack.sources, pack.table.sentence_end,
                    frozenset(name_key(a) for a in rule.options.get("agencies", [])),
                    frozenset(name_key(s) for s in rule.options.get("staff", [])), screen)


def check(rule: Rule, document: Document, prepared: Prepared) -> Iterator[Finding]:
    report = rule.options.get("report")
    if report == "byline":
        yield from _byline(rule, document, prepared)
        return
    language = _document_language(prepared.lexicons, document)
    if language is None:
        return
    yield from _bodies(rule, document, prepared, language, report)


def prepare_group(rules: list[Rule]) -> Callable[[Document], list[Finding]]:
    """The attribution rules in one pass: the body's language is read once for them all,
    and not at all for a document without a body (only `byline` reads other fields)."""
    chosen = [(rule, rule.options.get("report")) for rule in rules]

    def run(document: Document) -> list[Finding]:
        findings: list[Finding] = []
        bodies = bool(document.values("body"))
        # The language, read once for the rules that share the pack's lexicons.
        read_with: Lexicons | None = None
        language: Language | None = None
        for rule, report in chosen:
            prepared = rule.prepared
            if report == "byline":
                findings.extend(_byline(rule, document, prepared))
                continue
            if not bodies:
                continue
            if prepared.lexicons is not read_with:
                read_with = prepared.lexicons
                language = _document_language(read_with, document)
            if language is not None:
                findings.extend(_bodies(rule, document, prepared, language, report))
        return findings

    return run


def _bodies(rule: Rule, document: Document, prepared: Prepared, language: Language, report: Any) -> Iterator[Finding]:
    for body in document.values("body"):
        text = body.value
        if report == "unattributed":
            yield from _unattributed(rule, document, body, text, language, prepared)
        elif report == "vague":
            yield from _vague(rule, document, body, text, language, prepared.pack_screen)
        elif report == "unbalanced_quotes":
            yield from _unbalanced(rule, document, body, text, language, prepared.lexicons.quote_marks(language))
        elif report == "unattributed_quotes":
            yield from _quotes(rule, document, body, text, language, prepared)


def _document_language(lexicons: Lexicons, document: Document) -> Language | None:
    """`_language`, read once per document for all the attribution rules."""
    return document.derived("language", lambda: _language(lexicons, document))


def _language(lexicons: Lexicons, document: Document) -> Language | None:
    if not lexicons.languages:
        return None
    for locale in document.values("locale"):
        code = str(locale.value).replace("-", "_").split("_")[0].lower()
        if code in lexicons.languages:
            return lexicons.languages[code]
    text = " ".join(str(v.value) for v in document.values("body"))
    guessed = lexicons.guess(text)
    return lexicons.languages.get(guessed) if guessed else None


def _cue_kinds(document: Document, language: Language, text: str) -> frozenset[str]:
    """The kinds of the body's cues, from one set match per body shared by every
    attribution rule: where each cue is, only a rule that needs it looks for."""
    return document.derived(f"cue-kinds:{language.code}:{hash(text)}", lambda: language.cue_kinds(text))


def _cues(document: Document, language: Language, text: str, kinds: tuple[str, ...] = CUE_TYPES) -> list[Cue]:
    """The body's cues of `kinds`, found once per document for every attribution rule;
    kinds the body has no cue of are not searched for (without them, `find` finds the
    same cues of the others)."""
    present = _cue_kinds(document, language, text)
    kinds = tuple(kind for kind in kinds if kind in present)
    if not kinds:
        return []
    key = f"cues:{language.code}:{hash(text)}:"
    every = document.memo.get(key + "+".join(kind for kind in CUE_TYPES if kind in present))
    if every is not None:
        return [cue for cue in every if cue.kind in kinds]
    return document.derived(key + "+".join(kinds), lambda: language.find(text, kinds))


def _sentences(document: Document, text: str, sentence_end: Pattern | None) -> list[tuple[int, int]]:
    """The body's sentence spans, found once per document for every attribution rule."""
    return document.derived(f"sentences:{hash(text)}", lambda: _split_sentences(text, sentence_end))


def _split_sentences(text: str, sentence_end: Pattern | None) -> list[tuple[int, int]]:
    spans, start = [], 0
    for _, end in sentence_end.every_span(text) if sentence_end is not None else ():
        if text[start:end].strip():
            spans.append((start, end))
        start = end
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def _at(rule: Rule, document: Document, body: FieldValue, start: int, end: int, **values) -> Finding:
    line = body.line + body.value.count("\n", 0, start)
    line_start = body.value.rfind("\n", 0, start) + 1
    column = (body.column if line == body.line else 1) + start - line_start
    placed = (line, column, line, column + (end - start))
    if body.origin != "block":
        placed = in_source(document, body.value, start, end, placed, (body.line, body.column, body.end_line,
                                                                       body.end_column))
    return finding(rule, document, *placed, **values)


def _opinion(lexicons: Lexicons, document: Document) -> bool:
    sections = lexicons.opinion_sections
    return any(str(s.value).casefold() in sections for s in document.values("section"))


def _unattributed(rule, document, body, text, language, prepared: Prepared) -> Iterator[Finding]:
    lexicons = prepared.lexicons
    # Cheapest question first: most bodies have a cue, found by the first search.
    if _cue_kinds(document, language, text):
        return
    sentences = len(_sentences(document, text, prepared.sentence_end))
    if sentences < rule.options.get("min_sentences", 5) or _opinion(lexicons, document):
        return
    examples = ", ".join(repr(c) for c in language.cues["reporting"][:2] if not c.startswith("re:"))
    yield at_value(rule, document, body, language=language.code, sentences=sentences, cue=examples)


def _no_vague_cue(document: Document, language: Language, text: str, screen: Screen | None) -> bool:
    """True when the body surely holds no vague cue of its language, from the pack's one
    screen of the blocks (matched once per document): asked only of a body that is the
    text of one of the blocks the screen reads."""
    if screen is None or not any(block.text == text for block in document.blocks):
        return False
    return not any(screen.may_occur(pattern, document) for pattern in language.patterns()["vague"])


def _vague(rule, document, body, text, language, screen: Screen | None) -> Iterator[Finding]:
    if _no_vague_cue(document, language, text, screen):
        return
    if "vague" not in _cue_kinds(document, language, text):  # most bodies: no vague cue, nothing to find
        return
    vague = _cues(document, language, text, ("vague",))
    if not vague or len(vague) < rule.options.get("min_vague", 1):
        return
    if len(vague) > rule.options.get("max_vague", len(vague)):
        return
    total = len(_cues(document, language, text))  # reporting cues too: only for bodies with vague ones
    if len(vague) < rule.options.get("min_share", 0) * total:
        return
    first: Cue = vague[0]
    yield _at(rule, document, body, first.start, first.end, language=language.code, cue=first.text,
              count=len(vague), total=total)


def _unbalanced(rule, document, body, text, language, marks: QuoteMarks) -> Iterator[Finding]:
    problems = marks.unbalanced(text)
    if problems:
        yield at_value(rule, document, body, language=language.code, mark=" ".join(problems))


def _quotes(rule, document, body, text, language, prepared: Prepared) -> Iterator[Finding]:
    marks = prepared.lexicons.quote_marks(language)
    if not any(mark in text for mark in marks.openings):  # most bodies: no scan at all
        return
    min_words = rule.options.get("min_words", 4)
    quotes = []
    for match in marks.quotation.finditer(text):
        quote = next(g for g in match.groups() if g is not None)
        if len(quote.split()) >= min_words:
            quotes.append((match.start(), match.end(), quote))
    if not quotes:  # a scare-quoted word or a title is not a quotation
        return
    sentences = _sentences(document, text, prepared.sentence_end)
    starts = [start for start, _ in sentences]
    cue_starts = [c.start for c in _cues(document, language, text)]

    def sentence_of(offset: int) -> int:
        index = bisect.bisect_right(starts, offset) - 1
        return index if index >= 0 and offset < sentences[index][1] else len(sentences) - 1

    cued = {sentence_of(start) for start in cue_starts}
    for start, end, quote in quotes:
        first, last = sentence_of(start), sentence_of(end - 1)
        if cued & set(range(first - 1, last + 2)):
            continue
        yield _at(rule, document, body, start, end, language=language.code, quote=shorten(quote, 50))


def _among(key: str, names: frozenset[str]) -> bool:
    """`key` is one of `names`, or starts or ends with one of them as whole words."""
    if key in names:
        return True
    words = key.split(" ")
    return any(" ".join(words[:cut]) in names or " ".join(words[cut:]) in names for cut in range(1, len(words)))


def _byline(rule: Rule, document: Document, prepared: Prepared) -> Iterator[Finding]:
    authors = document.values("authors")
    if not authors:
        return
    agencies, staff = prepared.agencies, prepared.staff
    outlet: set[str] | None = None  # the outlet's own names: looked up for the first byline that is no e-mail
    unnamed: dict[str, tuple[FieldValue, str]] = {}  # one finding per byline, not per repeated block
    named: set[str] = set()  # where the authors that name a person were read
    for author in authors:
        name = author.value.get("name") or author.value.get("email") or ""
        if author.raw in unnamed:
            continue
        if author.value.get("email"):
            reason = "an e-mail address"
        else:
            key = name_key(name)
            if not key:
                continue
            if outlet is None:
                outlet = _outlet_names(document, prepared.sources)
            if key in outlet:
                reason = "the outlet's own name"
            elif _among(key, agencies):
                reason = "a wire agency"
            elif _among(key, staff):
                reason = "a staff placeholder"
            else:
                named.add(author.origin)
                continue
        unnamed[author.raw] = (author, reason)
    for author, reason in unnamed.values():
        # A person named by another source (a site's default `VOGUE` in its author tag, its
        # writer in the JSON-LD) is the named author; within one list, another name may be
        # a scraper's misreading (newspaper's `Print`, `on December`).
        if not named - {author.origin}:
            yield at_value(rule, document, author, value=author.raw, reason=reason)


def _outlet_names(document: Document, sources: Registry) -> set[str]:
    """Name keys of the outlet: its publisher blocks' names and the registry's for its domain."""
    outlet = {name_key(p.value.get("name") or "") for p in document.values("publisher")} - {""}
    source = None
    if document.values("domain"):
        source = sources.lookup(document.values("domain")[0].value)
    if source:
        outlet |= {name_key(n) for n in source.names}
    return outlet
