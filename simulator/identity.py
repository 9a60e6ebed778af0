"""Who each virtual camera claims to be: vendor, model, serial, MAC, name, kind.

Identities are derived from the camera index alone, so camera 7 is the same device every run
(tests and the demo database can rely on that), and they mix vendors and kinds the way a real
precinct does: mostly fixed bullets, every third camera a PTZ speed dome.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

BULLET = "bullet"
DOME = "dome"  # PTZ speed dome: the only kind with a PTZ service

# (vendor, bullet model, dome model, MAC OUI, firmware, RTSP main path, RTSP sub path)
_VENDORS = (
    (
        "Hikvision",
        "DS-2CD2T47G2-L",
        "DS-2DE4425IW-DE",
        "BC:AD:28",
        "V5.7.3 build 220112",
        "/Streaming/Channels/101",
        "/Streaming/Channels/102",
    ),
    (
        "Dahua",
        "IPC-HFW2431S-S-S2",
        "SD49425XB-HNR",
        "3C:EF:8C",
        "2.800.0000000.16.R",
        "/cam/realmonitor?channel=1&subtype=0",
        "/cam/realmonitor?channel=1&subtype=1",
    ),
    (
        "Uniview",
        "IPC2124LB-SF40KM-G",
        "IPC6322SR-X22P-C",
        "6C:F1:7E",
        "IPC_G6103-B0008P57D1912",
        "/unicast/c1/s0/live",
        "/unicast/c1/s1/live",
    ),
)
_PLACES = ("Gate", "Lobby", "Yard", "Hall", "Cells", "Desk", "Garage", "Corridor", "Street")


@dataclass(frozen=True)
class CameraIdentity:
    """Everything fixed about a camera; nothing here changes at run time."""

    index: int
    name: str
    kind: str
    vendor: str
    model: str
    serial: str
    mac: str
    firmware: str
    hardware_id: str
    endpoint_uuid: str
    main_path: str
    sub_path: str

    @property
    def has_ptz(self) -> bool:
        return self.kind == DOME


def make_identity(index: int) -> CameraIdentity:
    vendor, bullet, dome, oui, firmware, main_path, sub_path = _VENDORS[index % len(_VENDORS)]
    kind = DOME if index % 3 == 2 else BULLET
    model = dome if kind == DOME else bullet
    tail = (index * 2654435761 + 0x5A17) & 0xFFFFFF
    mac = f"{oui}:{(tail >> 16) & 0xFF:02X}:{(tail >> 8) & 0xFF:02X}:{tail & 0xFF:02X}"
    serial = f"{model.split('-')[0]}{20260000 + index:08d}{tail:06X}"
    name = f"CAM-{index + 1:03d} {_PLACES[index % len(_PLACES)]}"
    return CameraIdentity(
        index=index,
        name=name,
        kind=kind,
        vendor=vendor,
        model=model,
        serial=serial,
        mac=mac,
        firmware=firmware,
        hardware_id=model.split("-")[0] + "-HW1",
        endpoint_uuid=str(uuid.uuid5(uuid.NAMESPACE_URL, f"station-sim:{serial}")),
        main_path=main_path,
        sub_path=sub_path,
    )
