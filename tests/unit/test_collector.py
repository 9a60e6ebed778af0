"""The long-lived objects are frozen out of full collections, and thawed again at the next call
(drivers.memory.freeze_long_lived)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from drivers.memory import freeze_long_lived


class Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the collector frees it


@pytest.fixture(autouse=True)
def thaw() -> Iterator[None]:
    yield
    gc.unfreeze()


def test_objects_alive_at_the_freeze_are_skipped_by_collections() -> None:
    node = Node()
    gone = weakref.ref(node)
    assert freeze_long_lived() >= 1
    assert gc.get_freeze_count() >= 1
    del node
    gc.collect()
    assert gone() is not None  # frozen: the collector no longer looks at it


def test_garbage_made_before_the_freeze_is_collected_first() -> None:
    node = Node()
    gone = weakref.ref(node)
    del node
    freeze_long_lived()
    assert gone() is None


def test_the_next_freeze_thaws_first_so_old_cycles_are_collected() -> None:
    node = Node()
    gone = weakref.ref(node)
    freeze_long_lived()
    del node
    gc.collect()
    assert gone() is not None
    freeze_long_lived()  # the next sign-in
    assert gone() is None


def test_objects_made_after_the_freeze_are_still_collected() -> None:
    freeze_long_lived()
    node = Node()
    gone = weakref.ref(node)
    del node
    gc.collect()
    assert gone() is None
