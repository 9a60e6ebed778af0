"""Callbacks that outlive their widget: drop them instead of touching a deleted object.

A background task can finish after the widget that started it is gone (an officer signs
out while the camera tree is still loading). Qt has already deleted the C++ side, so the
callback would raise ``RuntimeError: Internal C++ object already deleted``. Wrapping the
callback with :func:`while_alive` turns that late result into a no-op.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject
from shiboken6 import isValid


def while_alive(owner: QObject, fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` if ``owner`` still exists when called, otherwise nothing."""

    def call(*args: Any) -> Any:
        if isValid(owner):
            return fn(*args)
        return None

    return call
