"""Python `re` twins of RE2 patterns that both engines read alike: for the groups of a
block-table row that opens with `.*` (`python_twin`), and for short searches such as a
URL's date (`bounded_twin`), where RE2's binding costs more than the search.

RE2 gives the groups of a whole-text match by its NFA, which for a pattern opening with
`.*` (the dateline rows: `… 21.02.2022, Sputnik France`) keeps a thread at every
character: some ten times the cost of asking whether it matches at all. The table asks
RE2 that (the pattern with its groups made plain, `test`) and, on a match, `re` for the
groups: from the end backwards, a few steps past the leading `.*`."""

from __future__ import annotations

import re
import string

# Escapes that mean the same in RE2 and in `re` with re.ASCII: ASCII digits and word
# characters; white space too, but for `\v` (RE2's `\s` leaves it out: the caller keeps
# texts holding one for RE2); escaped punctuation is the character.
_ESCAPES = frozenset("dDsSwWntrf") | frozenset(string.punctuation)
# What `re` reads as set operations (or warns of) inside a class.
_CLASS_OPERATORS = ("[", "&&", "--", "||", "~~")
_ANY_RUN = "(?s:.*"
_OPENINGS = (_ANY_RUN, ".*")
_VARIABLE = "*+?"


def python_twin(source: str) -> tuple[str, re.Pattern[str]] | None:
    """(the test: a pattern without groups that RE2 finds, unanchored, just when the
    source matches the whole text; the `re` pattern of the source) when the source opens
    with `.*` and uses only what both engines read alike (no Unicode classes, flags other
    than `s:`, anchors, boundaries or repeat of a group that repeats: backtracking stays a
    few steps past the `.*`), else None."""
    if not source.startswith(_OPENINGS):
        return None
    plain: list[str] = []
    # For each open group: whether it holds a variable repeat or an alternation.
    varies: list[bool] = [False]
    index, size = 0, len(source)
    while index < size:
        char = source[index]
        if char == "\\":
            if index + 1 >= size or source[index + 1] not in _ESCAPES:
                return None
            plain.append(source[index : index + 2])
            index += 2
        elif char == "[":
            end = _class_end(source, index)
            if end < 0:
                return None
            plain.append(source[index:end])
            index = end
        elif char == "(":
            if source.startswith("(?P<", index):
                close = source.find(">", index)
                if close < 0:
                    return None
                index = close + 1
            elif source.startswith(("(?:", "(?s:"), index):
                opening = 3 if source[index + 2] == ":" else 4
                plain.append(source[index : index + opening])
                index += opening
                varies.append(False)
                continue
            elif source.startswith("(?", index):
                return None
            else:
                index += 1
            plain.append("(?:")
            varies.append(False)
        elif char == ")":
            if len(varies) < 2:
                return None
            inner = varies.pop()
            index += 1
            repeat = _repeat_at(source, index)
            if repeat and inner:
                return None
            varies[-1] = varies[-1] or inner
            plain.append(")")
        elif char in "^$":
            return None
        elif char == "|":
            varies[-1] = True
            plain.append(char)
            index += 1
        elif char in _VARIABLE or char == "{":
            repeat = _repeat_at(source, index)
            if not repeat:
                return None
            text = source[index : index + repeat]
            if text[0] in _VARIABLE or _varies(text):
                varies[-1] = True
            plain.append(text)
            index += repeat
        else:
            plain.append(char)
            index += 1
    if len(varies) != 1:
        return None
    try:
        twin = re.compile(source, re.ASCII)
    except re.error:
        return None
    return _ending_search("".join(plain)), twin


def _ending_search(plain: str) -> str:
    """A pattern RE2 finds (unanchored) just when `plain` matches a whole text. Opening
    with `(?s:.*` and without alternatives, a whole match is a match of the rest that ends
    the text: RE2 searches for one from the end backwards (its reverse program), a few
    characters, where a whole match reads all of a long body."""
    if plain.startswith(_ANY_RUN) and "|" not in plain:
        rest = plain[len(_ANY_RUN):]
        return "(?:(?s:" + (rest[1:] if rest.startswith("?") else rest) + ")\\z"
    return "\\A(?:" + plain + ")\\z"


def _class_end(source: str, start: int, escapes: frozenset[str] = _ESCAPES) -> int:
    """Where the class opening at `start` ends (past its `]`), -1 for one this module does
    not read alike in both engines (POSIX classes, set operations, a leading `]`, an
    escape not in `escapes`)."""
    index = start + 1
    if source.startswith("^", index):
        index += 1
    if source.startswith("]", index):
        return -1
    while index < len(source):
        char = source[index]
        if char == "\\":
            if index + 1 >= len(source) or source[index + 1] not in escapes:
                return -1
            index += 2
            continue
        if char == "]":
            return index + 1
        if source.startswith(_CLASS_OPERATORS, index):
            return -1
        index += 1
    return -1


def _repeat_at(source: str, index: int) -> int:
    """The length of the repeat (`*`, `+?`, `{2,5}`) at `index`, 0 when none is there."""
    if index >= len(source):
        return 0
    if source[index] in _VARIABLE:
        size = 1
    elif source[index] == "{":
        close = source.find("}", index)
        inside = source[index + 1 : close] if close > 0 else ""
        low, comma, high = inside.partition(",")
        if not low.isdigit() or (high and not high.isdigit()) or not low.isascii() or not high.isascii():
            return 0
        size = close + 1 - index
    else:
        return 0
    return size + 1 if source.startswith("?", index + size) else size


def _varies(repeat: str) -> bool:
    """Whether a `{m}`, `{m,}` or `{m,n}` repeat takes more than one count."""
    low, comma, high = repeat.strip("{}?").partition(",")
    return bool(comma) and low != high


# `_ESCAPES` less white space: a text searched by a bounded twin may hold `\v`.
_BOUNDED_ESCAPES = frozenset("dDwW") | frozenset(string.punctuation)
_TWIN_REPEAT = re.compile(r"(?:\?|\{[0-9]{1,3}(?:,[0-9]{1,3})?\})\??")
_TWIN_GROUP = re.compile(r"\((?:\?:|\?P<\w+>)?")


def bounded_twin(source: str) -> re.Pattern[str] | None:
    """A Python `re` pattern that finds in ASCII text what RE2 finds with `source`, when
    `source` is ASCII and uses only what the two engines read alike: literals, `.`,
    classes, `\\d`, `\\w` and escaped punctuation, groups that do not repeat, `|`, `^`,
    `$` (RE2's end of text, `re`'s `\\Z`), and only bounded repeats (`?`, `{m}`, `{m,n}`,
    lazy or not) of one character or class: `re`'s backtracking stays a few steps at
    each position. Else None."""
    if not source.isascii():
        return None
    plain: list[str] = []
    index, size = 0, len(source)
    repeatable = False  # whether the last item is one character or class
    while index < size:
        char = source[index]
        found = None
        if char == "\\":
            if index + 1 >= size or source[index + 1] not in _BOUNDED_ESCAPES:
                return None
            item = source[index : index + 2]
        elif char == "[":
            end = _class_end(source, index, _BOUNDED_ESCAPES)
            if end < 0:
                return None
            item = source[index:end]
        elif char == "(":
            found = _TWIN_GROUP.match(source, index)
            if found is None or source.startswith("(?", index) and found.end() == index + 1:  # look-around, flags
                return None
        elif char in "?{":
            found = _TWIN_REPEAT.match(source, index)
            if found is None or not repeatable:
                return None
        elif char in "*+]}":
            return None
        else:  # a literal, `.`, `)`, `|`, `^` or `$`
            item = char
        if found is not None:
            item = found.group()
        plain.append("\\Z" if item == "$" else item)
        repeatable = char not in "({?)|^$"
        index += len(item)
    try:
        return re.compile("".join(plain), re.ASCII)
    except re.error:
        return None
