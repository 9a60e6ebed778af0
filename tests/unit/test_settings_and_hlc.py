"""Settings registry validation and the hybrid logical clock."""

from __future__ import annotations

import pytest

from station_console.errors import ValidationError
from station_console.station import Station
from station_console.sync.hlc import Hlc, HybridClock


def test_settings_are_typed_and_audited(station: Station) -> None:
    assert station.settings.get("language") == "zh_CN"
    station.settings.set("idle_lock_minutes", 3)
    assert station.settings.get("idle_lock_minutes") == 3
    for key, bad in (("idle_lock_minutes", "3"), ("idle_lock_minutes", -1), ("language", "fr")):
        with pytest.raises(ValidationError):
            station.settings.set(key, bad)
    assert station.audit.entries(action="settings.change")[0].target == "idle_lock_minutes"


def test_hlc_never_goes_backwards_when_the_wall_clock_jumps_back() -> None:
    now = [1_000_000.0]
    clock = HybridClock("n", wall=lambda: now[0])
    a = clock.tick()
    now[0] -= 3600  # station clock set back an hour
    b = clock.tick()
    assert b > a and b.millis == a.millis
    now[0] += 7200
    assert clock.tick() > b


def test_hlc_observes_remote_stamps() -> None:
    clock = HybridClock("n", wall=lambda: 1000.0)
    remote = Hlc(5_000_000, 7, "hub")
    merged = clock.observe(remote)
    assert merged > remote
    assert clock.tick() > merged


def test_hlc_persists_across_restart_even_if_clock_went_back(station: Station) -> None:
    station.inventory.add_site({"name": "a", "kind": "village"})
    last = station.clock.last
    fresh = HybridClock(station.clock.node, wall=lambda: 0.0)
    with station.db.write() as conn:
        fresh.load(conn)
        assert fresh.tick(conn) > last


def test_hlc_encoding_sorts_like_stamps() -> None:
    stamps = [Hlc(5, 1, "a"), Hlc(5, 0, "b"), Hlc(40, 0, "a"), Hlc(5, 10, "a")]
    assert sorted(stamps) == sorted(stamps, key=lambda s: s.encode())
    assert all(Hlc.decode(s.encode()) == s for s in stamps)
