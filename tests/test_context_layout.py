"""The context rows' Layout kept up to date as rows change kinds (`Layout.moved`): after
each change, the kinds' lists, the title zone and the tail are those a Layout built from
scratch over the same blocks gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from provlint.model import Block
from provlint.readers.context import Layout
from provlint.ruleset import load_ruleset

TABLE = load_ruleset().table
KINDS = ["title", "body", "byline", "text", "header", "url", "description", *sorted(TABLE.title_zone_ends)[:3]]


def _state(layout: Layout) -> tuple[object, ...]:
    return ({kind: list(indices) for kind, indices in layout.of_kind.items()}, layout.zone_start, layout.zone_end,
            layout.tail_start)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(KINDS), min_size=1, max_size=12), st.lists(st.tuples(st.integers(0, 11),
                                                                                      st.sampled_from(KINDS)),
                                                                            max_size=8))
def test_a_layout_kept_up_to_date_is_the_layout_built_again(kinds, changes):
    blocks = [Block(f"block {number}", number + 1, number + 1, kind) for number, kind in enumerate(kinds)]
    layout = Layout(blocks, TABLE)
    layout.refresh()
    for index, kind in changes:
        index %= len(blocks)
        lists = [(indices, list(indices)) for indices in layout.of_kind.values()]
        old, blocks[index].kind = blocks[index].kind, kind
        layout.moved(index, old)
        assert all(indices == kept for indices, kept in lists)  # the lists a row goes through never change
        again = Layout(blocks, TABLE)
        again.refresh()
        assert _state(layout) == _state(again)
