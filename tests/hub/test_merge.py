"""Property tests of the shared merge rules (station and hub run the same functions)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from station_console.sync import merge
from station_console.sync.merge import FAULT_STATUS_ORDER, FieldValue

stamps = st.builds(
    lambda ms, c, n: f"{ms:015d}-{c:06d}-{n}",
    st.integers(0, 50),
    st.integers(0, 3),
    st.sampled_from(["a", "b", "hub"]),
)
field_values = st.one_of(st.integers(-3, 3), st.text(max_size=3), st.none())
states = st.dictionaries(
    st.sampled_from(["summary", "assignee", "note", merge.DELETED]),
    st.builds(FieldValue, field_values, stamps),
    max_size=4,
).flatmap(
    lambda d: st.one_of(
        st.just(d),
        st.builds(
            lambda s, h: {**d, "status": FieldValue(s, h)},
            st.sampled_from(FAULT_STATUS_ORDER),
            stamps,
        ),
    )
)


def m(a, b):
    return merge.merge_states("fault", a, b)[0]


@given(states, states)
def test_commutative(a, b) -> None:
    assert m(a, b) == m(b, a)
    losers_ab = {(x.field, repr(x.value), x.hlc) for x in merge.merge_states("fault", a, b)[1]}
    losers_ba = {(x.field, repr(x.value), x.hlc) for x in merge.merge_states("fault", b, a)[1]}
    assert losers_ab == losers_ba


@given(states, states, states)
def test_associative(a, b, c) -> None:
    assert m(m(a, b), c) == m(a, m(b, c))


@given(states, states)
def test_idempotent(a, b) -> None:
    assert m(a, a) == a
    assert merge.merge_states("fault", a, a)[1] == []
    ab = m(a, b)
    assert m(ab, b) == ab


@given(states, states)
def test_status_never_moves_backwards(a, b) -> None:
    out = m(a, b)
    for side in (a, b):
        if "status" in side:
            assert merge.status_rank(out["status"].value) >= merge.status_rank(side["status"].value)


@given(states, states)
def test_every_losing_value_is_reported(a, b) -> None:
    out, losers = merge.merge_states("fault", a, b)
    lost = {(x.field, repr(x.value)) for x in losers}
    for side in (a, b):
        for name, fv in side.items():
            if repr(out[name].value) != repr(fv.value):
                assert (name, repr(fv.value)) in lost


def test_later_stamp_wins_but_status_is_one_way() -> None:
    old = merge.change_to_state({"status": "in_repair", "note": "old"}, "000000000000001-000000-a")
    new = merge.change_to_state({"status": "open", "note": "new"}, "000000000000002-000000-b")
    out, losers = merge.merge_states("fault", old, new)
    assert out["status"].value == "in_repair"
    assert out["note"].value == "new"
    assert {(x.field, x.value) for x in losers} == {("status", "open"), ("note", "old")}
