"""The corpus signature's shortcuts against what they stand for: a host's hint (a dot and a
letter) is found by `str.find` where the pattern it replaced finds it."""

from __future__ import annotations

import random
import re

from provlint.checks.corpus import _host_hint


def test_a_host_hint_is_where_a_dot_and_a_letter_are():
    pattern = re.compile(r"\.[A-Za-z\u0130\u0131\u017f\u212a]")
    draw = random.Random(20)
    bodies = ["", ".", "a.", ".a", "..a", "a..b", "3.14", "x.\u212a", "x.\u0131y", "x.é", "x.\u017f", "x. y.z"]
    bodies += ["".join(draw.choice("a.Z1 \u0130\u0131\u017f\u212aé\u4e00") for _ in range(draw.randrange(30)))
               for _ in range(3000)]
    for body in bodies:
        for start in range(len(body) + 1):
            found = pattern.search(body, start)
            assert _host_hint(body, start) == (found.start() if found else -1), (body, start)
