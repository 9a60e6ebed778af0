"""Capped exponential backoff for reconnecting to a camera.

Why: after a reboot the camera comes back at an unknown moment and the picture must be on the
wall again within 10 s of that, so the wait between attempts is capped low (``max_backoff``,
2 s by default). A little jitter keeps a wall of 36 cameras behind one switch from
reconnecting in lockstep. Failures the camera will not fix by itself (wrong password, wrong
path, unsupported codec) retry slowly instead: hammering a camera with bad credentials can
lock the account.
"""

from __future__ import annotations

import random
from collections.abc import Callable

#: Wait before retrying a failure that needs a human (auth, not found, codec).
SLOW_RETRY_S = 10.0


class Backoff:
    """Delays ``first, 2·first, 4·first … max`` with ±``jitter`` relative noise."""

    def __init__(
        self,
        *,
        first: float = 0.25,
        maximum: float = 2.0,
        jitter: float = 0.1,
        rand: Callable[[], float] = random.random,
    ) -> None:
        if first <= 0 or maximum < first:
            raise ValueError("need 0 < first <= maximum")
        self.first = first
        self.maximum = maximum
        self.jitter = jitter
        self._rand = rand
        self.attempts = 0

    def next_delay(self) -> float:
        """The wait before the next attempt; each call counts one failed attempt."""
        base = min(self.maximum, self.first * 2.0**self.attempts)
        self.attempts = min(self.attempts + 1, 32)
        noise = 1.0 + self.jitter * (2.0 * self._rand() - 1.0)
        return float(min(self.maximum, base * noise))

    def reset(self) -> None:
        """Call after a success: the next failure starts from ``first`` again."""
        self.attempts = 0
