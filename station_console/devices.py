"""What the console knows about a camera it talks to, and how talking to it can fail.

The ONVIF driver (``drivers/onvif_device.py``) fills these types; provisioning, the health
monitor and the CLI read them. Every failure is one of a few kinds an officer can act on:
:class:`DeviceErrorKind`, each with a sentence saying what to check.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Protocol

from station_console.errors import ConsoleError
from station_console.i18n import QT_TRANSLATE_NOOP, Message


class DeviceErrorKind(enum.StrEnum):
    UNREACHABLE = "unreachable"
    AUTH_FAILED = "auth_failed"
    NOT_ONVIF = "not_onvif"
    CLOCK_SKEW = "clock_skew"
    MALFORMED = "malformed"
    TIMEOUT = "timeout"


DEVICE_ERROR_TEXT: dict[DeviceErrorKind, str] = {
    DeviceErrorKind.UNREACHABLE: QT_TRANSLATE_NOOP(
        "devices", "Camera {address} cannot be reached: check its power, cable and address."
    ),
    DeviceErrorKind.AUTH_FAILED: QT_TRANSLATE_NOOP(
        "devices", "Camera {address} refused the user name or password."
    ),
    DeviceErrorKind.NOT_ONVIF: QT_TRANSLATE_NOOP(
        "devices", "{address} answers, but it is not an ONVIF camera (or ONVIF is switched off)."
    ),
    DeviceErrorKind.CLOCK_SKEW: QT_TRANSLATE_NOOP(
        "devices",
        "Camera {address} refused the login because its clock is wrong; set the camera's time.",
    ),
    DeviceErrorKind.MALFORMED: QT_TRANSLATE_NOOP(
        "devices", "Camera {address} sent a reply that cannot be read ({detail})."
    ),
    DeviceErrorKind.TIMEOUT: QT_TRANSLATE_NOOP(
        "devices", "Camera {address} did not answer within {seconds} seconds."
    ),
}

# CLI exit codes by failure kind (scripting and field work).
EXIT_CODES: dict[DeviceErrorKind, int] = {
    DeviceErrorKind.UNREACHABLE: 10,
    DeviceErrorKind.AUTH_FAILED: 11,
    DeviceErrorKind.NOT_ONVIF: 12,
    DeviceErrorKind.CLOCK_SKEW: 13,
    DeviceErrorKind.MALFORMED: 14,
    DeviceErrorKind.TIMEOUT: 15,
}


class DeviceError(ConsoleError):
    """A camera call failed in one of the named ways."""

    def __init__(self, kind: DeviceErrorKind, address: str, **params: Any) -> None:
        params.setdefault("detail", "")
        params.setdefault("seconds", "")
        super().__init__("devices", DEVICE_ERROR_TEXT[kind], address=address, **params)
        self.kind = kind
        self.address = address

    @property
    def message_for_officer(self) -> Message:
        return self.message


@dataclass(frozen=True)
class StreamProfile:
    token: str
    name: str
    encoding: str
    width: int
    height: int
    fps: float
    bitrate_kbps: int
    uri: str = ""  # never carries credentials


@dataclass(frozen=True)
class PtzPreset:
    token: str
    name: str


@dataclass(frozen=True)
class DeviceDetails:
    address: str
    manufacturer: str
    model: str
    firmware: str
    serial: str
    hardware_id: str
    clock_offset_s: float
    profiles: list[StreamProfile] = field(default_factory=list)
    snapshot_uri: str = ""
    has_ptz: bool = False
    presets: list[PtzPreset] = field(default_factory=list)
    hostname: str = ""

    @property
    def main(self) -> StreamProfile | None:
        """The highest-resolution profile."""
        return max(self.profiles, key=lambda p: p.width * p.height, default=None)

    @property
    def sub(self) -> StreamProfile | None:
        """The lowest-resolution profile."""
        return min(self.profiles, key=lambda p: p.width * p.height, default=None)


class DeviceClient(Protocol):
    """Reads a camera's identity and streams (ONVIF in production, a fake in unit tests)."""

    def probe(self, address: str, username: str, password: str) -> DeviceDetails: ...
