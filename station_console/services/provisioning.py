"""Provisioning: match what the network shows against the inventory, then register cameras.

A technician sees each discovered camera as *new*, *registered*, *moved* (a known serial at
a new address: update the address) or *replaced* (a new serial at the address of a
registered camera: the new camera takes over the old one's site, owner and name, the old
one is retired with a reason, so the site's history stays in one place). Saving is per
camera and all-or-nothing for that camera; a bulk run returns one result per camera.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from station_console.devices import DeviceDetails
from station_console.domain import Camera
from station_console.errors import ConsoleError
from station_console.i18n import QT_TRANSLATE_NOOP
from station_console.services.inventory import Inventory
from station_console.services.permissions import Permission


class MatchState(enum.StrEnum):
    NEW = "new"
    REGISTERED = "registered"
    MOVED = "moved"
    REPLACED = "replaced"


MATCH_LABELS = {
    MatchState.NEW: QT_TRANSLATE_NOOP("provisioning", "New"),
    MatchState.REGISTERED: QT_TRANSLATE_NOOP("provisioning", "Already registered"),
    MatchState.MOVED: QT_TRANSLATE_NOOP("provisioning", "Moved (new address)"),
    MatchState.REPLACED: QT_TRANSLATE_NOOP(
        "provisioning", "Replaced (new camera at a known address)"
    ),
}


def host_port(url: str) -> str:
    parts = urlsplit(url if "://" in url else f"http://{url}")
    return f"{parts.hostname}:{parts.port or 80}"


@dataclass(frozen=True)
class Match:
    state: MatchState
    camera: Camera | None  # the registered camera this one matches, if any


def classify(serial: str, address: str, cameras: Iterable[Camera]) -> Match:
    """Where a camera seen at ``address`` with ``serial`` stands against the inventory."""
    by_serial = {c.serial: c for c in cameras if c.serial and c.retired_at is None}
    at = host_port(address)
    known = by_serial.get(serial) if serial else None
    if known is not None:
        if host_port(known.onvif_url) == at if known.onvif_url else False:
            return Match(MatchState.REGISTERED, known)
        return Match(MatchState.MOVED, known)
    for c in by_serial.values():
        if c.onvif_url and host_port(c.onvif_url) == at:
            return Match(MatchState.REPLACED, c)
    for c in cameras:
        if c.retired_at is None and not c.serial and c.onvif_url and host_port(c.onvif_url) == at:
            return Match(MatchState.REPLACED, c)
    return Match(MatchState.NEW, None)


@dataclass(frozen=True)
class ProvisionRequest:
    """What the technician decided for one camera."""

    details: DeviceDetails
    username: str
    password: str
    name: str = ""
    site: str | None = None
    owner: str | None = None
    kind: str = ""
    gb_id: str = ""
    extra: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class ProvisionResult:
    request: ProvisionRequest
    state: MatchState
    camera: Camera | None = None
    error: ConsoleError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def camera_fields(req: ProvisionRequest) -> dict[str, Any]:
    d = req.details
    main, sub = d.main, d.sub
    fields: dict[str, Any] = {
        "name": req.name or f"{d.model} {d.serial}".strip(),
        "kind": req.kind or ("dome" if d.has_ptz else "bullet"),
        "site": req.site,
        "owner": req.owner,
        "vendor": d.manufacturer,
        "model": d.model,
        "serial": d.serial,
        "firmware": d.firmware,
        "onvif_url": d.address,
        "gb_id": req.gb_id,
        "username": req.username,
        "main_stream_uri": main.uri if main else "",
        "main_resolution": f"{main.width}x{main.height}" if main else "",
        "main_codec": main.encoding if main else "",
        "sub_stream_uri": sub.uri if sub else "",
        "sub_resolution": f"{sub.width}x{sub.height}" if sub else "",
        "sub_codec": sub.encoding if sub else "",
    }
    fields.update(req.extra or {})
    return fields


class Provisioning:
    def __init__(self, inventory: Inventory) -> None:
        self.inv = inventory

    def classify_all(self, seen: Iterable[tuple[str, str]]) -> list[Match]:
        """Classify (serial, address) pairs in one inventory read."""
        cameras = self.inv.cameras(include_retired=False)
        return [classify(serial, address, cameras) for serial, address in seen]

    def save(self, req: ProvisionRequest) -> ProvisionResult:
        """Register, update or replace one camera; nothing is half-saved on failure."""
        self.inv.session.require(Permission.EDIT_INVENTORY)
        match = self.classify_all([(req.details.serial, req.details.address)])[0]
        fields = camera_fields(req)
        inv = self.inv
        try:
            with inv.db.write():
                if match.state is MatchState.NEW:
                    cam = inv.add_camera(fields, password=req.password)
                else:
                    assert match.camera is not None
                    old = match.camera
                    fields["site"] = fields["site"] or old.site_id
                    fields["owner"] = fields["owner"] or old.owner_id
                    if match.state is MatchState.REPLACED:
                        fields["name"] = req.name or old.name
                        inv.retire_camera(old.id, f"replaced by serial {req.details.serial}")
                        cam = inv.add_camera(fields, password=req.password)
                    else:
                        fields["notes"] = old.notes
                        cam = inv.update_camera(old.id, fields)
                        inv.set_credentials(old.id, req.username, req.password)
        except ConsoleError as err:
            return ProvisionResult(req, match.state, error=err)
        return ProvisionResult(req, match.state, camera=cam)

    def save_many(
        self, requests: list[ProvisionRequest], progress: Callable[[int, int], None] | None = None
    ) -> list[ProvisionResult]:
        results = []
        for i, req in enumerate(requests, start=1):
            results.append(self.save(req))
            if progress:
                progress(i, len(requests))
        return results
