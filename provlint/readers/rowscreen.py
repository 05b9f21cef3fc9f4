"""Screens for the block table's rows, derived from each row's pattern when the table loads.

A row's pattern tells which characters a whole-block match can open and close with, and
which characters every match holds (`@` for an e-mail byline, `|` for `NAME | OUTLET`).
A block whose first or last character, or whose characters, rule a row out is never
matched against it: most rows are ruled out so, and the rest are matched one by one.
This replaces one RE2 set over all rows, whose compilation took a tenth of a second per
process and whose lazily built automaton (every row's Unicode classes at once) cost more
per new text than the rows it screened.

The derivation only ever widens: a construct it does not know gives "any character" or
"nothing required", so a screen can let a row through in vain, never turn a match away.
Whether a character is in a class is asked of RE2 itself (the class's own text, compiled),
so no class is translated into another engine's dialect.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from collections.abc import Iterable
from typing import Any, Final

import re2
from re2 import _re2
from mypy_extensions import mypyc_attr

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False
MEMO_SIZE = 10_000
_WHOLE = _re2.RE2.Anchor.ANCHOR_BOTH

_SPECIAL = frozenset("\\.+*?()|[]{}^$")
_LEADING_FLAGS = re.compile(r"\(\?([imsU]+)\)")


class Unknown(Exception):
    """A construct the derivation does not read: the row is not screened."""


@dataclass
class Shape:
    """What a pattern (or part of one) says about the texts it matches: the atoms a
    non-empty match may open (`first`) and close (`last`) with (None: any character),
    whether it can match the empty text, and the characters every match holds (each a
    set of alternatives: one of them occurs)."""

    first: frozenset[str] | None
    last: frozenset[str] | None
    nullable: bool
    required: list[frozenset[str]] = field(default_factory=list)
    # Every atom the pattern may match a character with (None: any character).
    atoms: frozenset[str] | None = None
    # The one text the pattern matches (`Reuters`, `.`), None when it matches more than one.
    literal: str | None = None


def _union(one: frozenset[str] | None, other: frozenset[str] | None) -> frozenset[str] | None:
    return None if one is None or other is None else one | other


def _longest(needs: list[frozenset[str]]) -> frozenset[str]:
    """The need whose shortest text is longest: the one fewest texts meet."""
    return max(needs, key=lambda need: min(map(len, need)))


def _all_atoms(parts: Iterable[frozenset[str] | None]) -> frozenset[str] | None:
    atoms: frozenset[str] | None = frozenset()
    for part in parts:
        atoms = _union(atoms, part)
    return atoms


EMPTY = Shape(frozenset(), frozenset(), True, atoms=frozenset(), literal="")


class _Parser:
    """Reads the subset of RE2's syntax the table's rows use; anything else is `Unknown`."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.at = 0

    def peek(self) -> str:
        return self.source[self.at] if self.at < len(self.source) else ""

    def parse(self) -> Shape:
        shape = self.alternation(False)
        if self.at != len(self.source):
            raise Unknown(self.source[self.at:])
        return shape

    def alternation(self, folded: bool) -> Shape:
        branches = [self.concatenation(folded)]
        while self.peek() == "|":
            self.at += 1
            branches.append(self.concatenation(folded))
        if len(branches) == 1:
            return branches[0]
        first: frozenset[str] | None = frozenset()
        last: frozenset[str] | None = frozenset()
        for branch in branches:
            first, last = _union(first, branch.first), _union(last, branch.last)
        required: list[frozenset[str]] = []
        if all(branch.required for branch in branches):  # one of each branch's longest need
            required = [frozenset().union(*(_longest(branch.required) for branch in branches))]
        return Shape(first, last, any(branch.nullable for branch in branches), required,
                     _all_atoms(branch.atoms for branch in branches))

    def concatenation(self, folded: bool) -> Shape:
        items: list[Shape] = []
        while self.peek() not in ("", "|", ")"):
            items.append(self.quantified(folded))
        if not items:
            return EMPTY
        first: frozenset[str] | None = frozenset()
        for item in items:
            first = _union(first, item.first)
            if not item.nullable:
                break
        last: frozenset[str] | None = frozenset()
        for item in reversed(items):
            last = _union(last, item.last)
            if not item.nullable:
                break
        # A run of items that each match one text is one text every match holds.
        required: list[frozenset[str]] = []
        run = ""
        for item in items:
            if item.literal is not None:
                run += item.literal
                continue
            if run:
                required.append(frozenset([run]))
            run = ""
            required.extend(item.required)
        if run:
            required.append(frozenset([run]))
        literal = "".join(item.literal for item in items if item.literal is not None)
        return Shape(first, last, all(item.nullable for item in items), required,
                     _all_atoms(item.atoms for item in items),
                     literal if all(item.literal is not None for item in items) else None)

    def quantified(self, folded: bool) -> Shape:
        shape = self.atom(folded)
        least = 1
        start = self.at
        while True:
            char = self.peek()
            if char in ("*", "?"):
                least = 0
                self.at += 1
            elif char == "+":
                self.at += 1
            else:
                count = self._repeat() if char == "{" else None
                if count is None:
                    break
                least, self.at = (0 if count[0] == 0 else least), count[1]
            if self.peek() == "?":  # lazy
                self.at += 1
        if least == 0:
            return Shape(shape.first, shape.last, True, atoms=shape.atoms)
        if self.at != start:  # repeated: what it holds, not one text
            return Shape(shape.first, shape.last, shape.nullable, shape.required, shape.atoms)
        return shape

    def _repeat(self) -> tuple[int, int] | None:
        """(least count, position after) of a `{n}`, `{n,}` or `{n,m}` at the cursor."""
        close = self.source.find("}", self.at)
        if close < 0:
            return None
        body = self.source[self.at + 1 : close]
        least = body.split(",", 1)[0]
        if not least.isdigit() or not all(part.isdigit() for part in body.split(",", 1)[1:] if part):
            return None
        return int(least), close + 1

    def atom(self, folded: bool) -> Shape:
        char = self.peek()
        if char == "(":
            return self.group(folded)
        if char == "[":
            return self.char_class(folded)
        if char == "\\":
            return self.escape(folded)
        if char in ("^", "$"):
            self.at += 1
            return EMPTY
        self.at += 1
        if char == ".":
            return Shape(None, None, False, atoms=None)
        if char in ("*", "+", "?", "{", ")"):
            raise Unknown(char)
        atom = "\\" + char if char in _SPECIAL else char
        return self._char(atom, folded, None if folded else char)

    def _char(self, atom: str, folded: bool, literal: str | None, choices: frozenset[str] | None = None) -> Shape:
        atoms = frozenset([f"(?i:{atom})" if folded else atom])
        required = [frozenset([literal])] if literal else [choices] if choices else []
        return Shape(atoms, atoms, False, required, atoms, literal)

    def group(self, folded: bool) -> Shape:
        self.at += 1
        if self.source.startswith("?P<", self.at) or self.source.startswith("?<", self.at):
            self.at = self.source.index(">", self.at) + 1
        elif self.peek() == "?":
            close = self.at + 1
            while close < len(self.source) and self.source[close] not in ":)":
                close += 1
            flags = self.source[self.at + 1 : close]
            if close >= len(self.source) or not set(flags) <= set("ims-U"):
                raise Unknown(flags)
            if self.source[close] == ")":  # flags for the rest of the group: only `s` (`.` is any) is read
                if "i" in flags:
                    raise Unknown(flags)
                self.at = close + 1
                return EMPTY
            on = flags.split("-", 1)[0]
            off = flags.split("-", 1)[1] if "-" in flags else ""
            folded = (folded or "i" in on) and "i" not in off
            self.at = close + 1
        shape = self.alternation(folded)
        if self.peek() != ")":
            raise Unknown("unclosed group")
        self.at += 1
        return shape

    def char_class(self, folded: bool) -> Shape:
        start = self.at
        self.at += 1
        if self.peek() == "^":
            self.at += 1
        if self.peek() == "]":
            self.at += 1
        while self.peek() not in ("]", ""):
            if self.peek() == "\\":
                self.at += 2
                if self.source[self.at - 1] in "pPx" and self.peek() == "{":
                    self.at = self.source.index("}", self.at) + 1
            elif self.source.startswith("[:", self.at):
                self.at = self.source.index(":]", self.at) + 2
            else:
                self.at += 1
        if self.peek() != "]":
            raise Unknown("unclosed class")
        self.at += 1
        body = self.source[start + 1 : self.at - 1]
        # A class of plain characters (`[-–—]`, `[,;]`): a match holds one of them.
        plain = not folded and not body.startswith("^") and not set(body) & {"\\", "["} and "-" not in body[1:-1]
        return self._char(self.source[start : self.at], folded, None, frozenset(body) if plain else None)

    def escape(self, folded: bool) -> Shape:
        start = self.at
        self.at += 2
        code = self.source[start + 1 : start + 2]
        if code in ("b", "B", "A", "z"):
            return EMPTY
        if code in ("p", "P", "x") and self.peek() == "{":
            self.at = self.source.index("}", self.at) + 1
        elif code in ("p", "P"):
            self.at += 1
        elif code == "x":
            self.at += 2
        elif code.isdigit() or code in ("C", "Q", "E", ""):
            raise Unknown("\\" + code)
        atom = self.source[start : self.at]
        literal = code if not code.isalnum() else None
        return self._char(atom, folded, None if folded else literal)


def shape_of(source: str) -> Shape:
    """The shape of a whole pattern; what it cannot read widens to "any". Flags that open
    the pattern (`(?i)lorem`) hold for all of it, as a group of those flags would (`(?i:lorem)`)."""
    lead = _LEADING_FLAGS.match(source)
    if lead is not None:
        source = f"(?{lead[1]}:{source[lead.end():]})"
    try:
        return _Parser(source).parse()
    except (Unknown, ValueError, IndexError):
        return Shape(None, None, True, atoms=None)


_CLASSES: dict[frozenset[str], Any] = {}


def _class_test(atoms: frozenset[str]) -> Any:
    """RE2's compiled core of the atoms' alternation, asked of one character at a time
    (None: RE2 refuses it, and every character may fit)."""
    if atoms in _CLASSES:
        return _CLASSES[atoms]
    core = _re2.RE2(("(?:" + "|".join(sorted(atoms)) + ")").encode("utf-8"), _OPTIONS)
    compiled = _CLASSES[atoms] = core if core.ok() else None
    return compiled


def may_hold_below(source: str, limit: int) -> bool:
    """Whether a match of the pattern (RE2's syntax) may hold a character below `limit`
    (at most U+D800; True when the derivation cannot tell): its atoms asked of RE2 over
    every such character at once."""
    atoms = shape_of(source).atoms
    if atoms is None:
        return True
    if not atoms:
        return False
    core = _class_test(atoms)
    if core is None:
        return True
    below = "".join(map(chr, range(limit))).encode("utf-8")
    return bool(core.Match(_re2.RE2.Anchor.UNANCHORED, below, 0, len(below))[0][0] >= 0)


# Characters (a digit for the last) that many texts hold and many rows' patterns never
# match (no space in `RBC`, no digit or `:` in a name): a text holding one is not tried
# against such a row. Each is a bit of `probe_mask` and of `RowScreen.refuses`.
# Final: compiled, read as constants, not looked up in the module's dict on each call.
_CHAR_PROBES: Final = (" ", ",", ".", ":", "/")
PROBES = (*_CHAR_PROBES, "0123456789")
_DIGITS: Final = tuple(PROBES[-1])
_ESCAPED = {"t": "\t", "n": "\n", "r": "\r", "f": "\f", "v": "\v", "a": "\a"}
_PERL_CLASSES = {"s": "\t\n\f\r ", "d": "0123456789"}


def probe_mask(text: str) -> int:
    """The bits of the probes `text` holds."""
    mask = 0
    bit = 1  # no slice of PROBES nor enumerate's tuples a call: each block of a dump is probed
    for probe in _CHAR_PROBES:
        if probe in text:
            mask |= bit
        bit <<= 1
    # Compiled, up to ten `in` (some 200 instructions each) cost less than a `re` search.
    for digit in _DIGITS:
        if digit in text:
            return mask | bit
    return mask


def _refused(atoms: frozenset[str] | None) -> int:
    """The bits of the probes none of whose characters any of the atoms matches."""
    if atoms is None:
        return 0
    refused = 0
    for bit, probe in enumerate(PROBES):
        if not any(_atom_may_match(atom, char) for atom in atoms for char in probe):
            refused |= 1 << bit
    return refused


def _atom_may_match(atom: str, char: str) -> bool:
    """Whether an atom may match `char`, an ASCII character that is no letter (so case
    folding leaves it as it is); True for what this does not read."""
    if atom.startswith("(?i:") and atom.endswith(")"):
        atom = atom[4:-1]
    if atom.startswith("[") and atom.endswith("]"):
        found = _class_may_match(atom[1:-1], char)
        return True if found is None else found
    found = _item_matches(atom, char)
    return True if found is None else found


def _item_matches(item: str, char: str) -> bool | None:
    """Whether one character, escape or Unicode class matches `char` (None: not known)."""
    if len(item) == 1:
        return item == char
    if item[0] != "\\":
        return None
    code = item[1:]
    if len(code) == 1:
        if not code.isalnum():
            return code == char
        if code in _ESCAPED:
            return _ESCAPED[code] == char
        if code.lower() in _PERL_CLASSES:
            return (char in _PERL_CLASSES[code.lower()]) != code.isupper()
        if code in ("w", "W"):
            return (char.isalnum() or char == "_") != (code == "W")
        return None
    if code[0] in ("p", "P"):
        name = code[2:-1] if code[1:2] == "{" else code[1:]
        negated = (code[0] == "P") != name.startswith("^")
        name = name.lstrip("^")
        if name in _CATEGORIES:
            return unicodedata.category(char).startswith(name) != negated
        return None
    return None


# Unicode general categories (`\p{L}`, `\p{Nd}`), which `unicodedata.category` names as RE2 does.
_CATEGORIES = frozenset((
    "L", "Lu", "Ll", "Lt", "Lm", "Lo", "M", "Mn", "Mc", "Me", "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Ps", "Pe",
    "Pi", "Pf", "Po", "S", "Sm", "Sc", "Sk", "So", "Z", "Zs", "Zl", "Zp", "C", "Cc", "Cf", "Cs", "Co", "Cn"))


def _class_may_match(body: str, char: str) -> bool | None:
    """Whether a bracketed class (its text between the brackets) matches `char`: each item
    read as `_item_matches` reads it, ranges of plain characters compared; None when some
    item is not read and none matched."""
    negated = body.startswith("^")
    at = 1 if negated else 0
    items: list[str] = []
    while at < len(body):
        if body[at] == "\\":
            end = at + 2
            if body[at + 1 : at + 2] in ("p", "P", "x") and body[end : end + 1] == "{":
                end = body.index("}", end) + 1
            elif body[at + 1 : at + 2] in ("p", "P"):
                end += 1
            elif body[at + 1 : at + 2] == "x":
                end += 2
            items.append(body[at:end])
            at = end
        elif body.startswith("[:", at):
            end = body.index(":]", at) + 2
            items.append(body[at:end])
            at = end
        else:
            items.append(body[at])
            at += 1
    found: bool | None = False
    index = 0
    while index < len(items):
        item = items[index]
        if index + 2 < len(items) and items[index + 1] == "-":
            low, high = items[index], items[index + 2]
            index += 3
            if len(low) == 1 and len(high) == 1:
                answer: bool | None = low <= char <= high
            else:
                answer = None
        else:
            index += 1
            answer = _item_matches(item, char)
        if answer:
            return not negated
        if answer is None:
            found = None
    return None if found is None else negated


# The characters a kept pack's screens answer for ahead (`RowScreen.prepare`): what most
# blocks open and close with. A run compiles a screen's class only for another character.
COMMON_CHARS = "".join(map(chr, [*range(0x20, 0x7F), *range(0xA0, 0x100), 0x401, *range(0x410, 0x450), 0x451,
                                 *range(0x2010, 0x2028), *range(0x2030, 0x203B)]))


@mypyc_attr(serializable=True)  # kept with the pack: see `blocktable.Row`
class RowScreen:
    """One row's screen: its first- and last-character classes (each answer kept per
    character; a class is compiled when a character is first asked of it), the characters
    it needs and the probes it never matches."""

    def __init__(self, source: str | None) -> None:
        shape = shape_of(source) if source is not None else Shape(None, None, True, atoms=None)
        self._first = shape.first
        self._last = shape.last
        self.required = [tuple(need) for need in shape.required if all(need)]
        self.refuses = _refused(shape.atoms)
        self._opens: dict[str, bool] = {}
        self._closes: dict[str, bool] = {}
        self.open = self._first is None and self._last is None and not self.required

    def prepare(self, chars: str) -> None:
        """Answer for each of `chars` now (a kept pack keeps the answers, not the classes)."""
        for char in chars:
            self.opens(char)
            self.closes(char)

    def opens(self, char: str) -> bool:
        """Whether a match may start with `char`."""
        known = self._opens.get(char)
        if known is None:
            known = self._opens[char] = self._first is None or _fits(_class_test(self._first), char)
        return known

    def closes(self, char: str) -> bool:
        known = self._closes.get(char)
        if known is None:
            known = self._closes[char] = self._last is None or _fits(_class_test(self._last), char)
        return known


def _fits(core: Any, char: str) -> bool:
    if core is None:
        return True
    try:
        data = char.encode("utf-8")
    except UnicodeError:  # a lone surrogate: the row is tried, and says what it says of it
        return True
    return core.Match(_WHOLE, data, 0, len(data))[0][0] >= 0
