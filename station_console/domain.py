"""Domain types that cross layers: sites, owner units, cameras, other devices.

Enum values are the stored codes; ``*_LABELS`` give the English text marked for
translation, so the UI and exports show 中文 without the core knowing Qt.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from station_console.i18n import QT_TRANSLATE_NOOP


class SiteKind(enum.StrEnum):
    KEY_PLACE = "key_place"
    RESIDENTIAL = "residential"
    VILLAGE = "village"
    STREET_SHOP = "street_shop"
    SCHOOL = "school"
    ENTERPRISE = "enterprise"
    ROAD = "road"
    CHECKPOINT = "checkpoint"


SITE_KIND_LABELS = {
    SiteKind.KEY_PLACE: QT_TRANSLATE_NOOP("kinds", "Key place"),
    SiteKind.RESIDENTIAL: QT_TRANSLATE_NOOP("kinds", "Residential community"),
    SiteKind.VILLAGE: QT_TRANSLATE_NOOP("kinds", "Village"),
    SiteKind.STREET_SHOP: QT_TRANSLATE_NOOP("kinds", "Street shop"),
    SiteKind.SCHOOL: QT_TRANSLATE_NOOP("kinds", "School"),
    SiteKind.ENTERPRISE: QT_TRANSLATE_NOOP("kinds", "Enterprise"),
    SiteKind.ROAD: QT_TRANSLATE_NOOP("kinds", "Road or junction"),
    SiteKind.CHECKPOINT: QT_TRANSLATE_NOOP("kinds", "Checkpoint"),
}


class OwnerKind(enum.StrEnum):
    PUBLIC_SECURITY = "public_security"
    PROPERTY_COMPANY = "property_company"
    ENTERPRISE = "enterprise"
    SCHOOL = "school"
    VILLAGE_COMMITTEE = "village_committee"
    SHOP = "shop"
    INSTALLER = "installer"
    OTHER = "other"


OWNER_KIND_LABELS = {
    OwnerKind.PUBLIC_SECURITY: QT_TRANSLATE_NOOP("kinds", "Public security"),
    OwnerKind.PROPERTY_COMPANY: QT_TRANSLATE_NOOP("kinds", "Property company"),
    OwnerKind.ENTERPRISE: QT_TRANSLATE_NOOP("kinds", "Enterprise"),
    OwnerKind.SCHOOL: QT_TRANSLATE_NOOP("kinds", "School"),
    OwnerKind.VILLAGE_COMMITTEE: QT_TRANSLATE_NOOP("kinds", "Village committee"),
    OwnerKind.SHOP: QT_TRANSLATE_NOOP("kinds", "Shop"),
    OwnerKind.INSTALLER: QT_TRANSLATE_NOOP("kinds", "Installer"),
    OwnerKind.OTHER: QT_TRANSLATE_NOOP("kinds", "Other"),
}


class CameraKind(enum.StrEnum):
    BULLET = "bullet"
    DOME = "dome"
    CLASS_A = "class_a"


CAMERA_KIND_LABELS = {
    CameraKind.BULLET: QT_TRANSLATE_NOOP("kinds", "Bullet"),
    CameraKind.DOME: QT_TRANSLATE_NOOP("kinds", "Dome / PTZ"),
    CameraKind.CLASS_A: QT_TRANSLATE_NOOP("kinds", "Class A"),
}


class DeviceKind(enum.StrEnum):
    INFRARED_ALARM = "infrared_alarm"
    ALARM_POLE = "alarm_pole"


DEVICE_KIND_LABELS = {
    DeviceKind.INFRARED_ALARM: QT_TRANSLATE_NOOP("kinds", "Infrared alarm"),
    DeviceKind.ALARM_POLE: QT_TRANSLATE_NOOP("kinds", "Alarm pole"),
}


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    kind: SiteKind
    community: str = ""
    grid: str = ""
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    notes: str = ""
    retired_at: str | None = None


@dataclass(frozen=True)
class OwnerUnit:
    id: str
    name: str
    kind: OwnerKind
    contact_person: str = ""
    phone: str = ""
    notes: str = ""
    retired_at: str | None = None


@dataclass(frozen=True)
class StreamInfo:
    """One camera stream as stored: the URI never carries credentials."""

    uri: str = ""
    resolution: str = ""
    codec: str = ""


@dataclass(frozen=True)
class Camera:
    id: str
    name: str
    kind: CameraKind
    site_id: str | None = None
    owner_id: str | None = None
    vendor: str = ""
    model: str = ""
    serial: str = ""
    mac: str = ""
    firmware: str = ""
    onvif_url: str = ""
    gb_id: str = ""
    networked_to_city: bool = False
    install_date: str = ""
    main: StreamInfo = field(default_factory=StreamInfo)
    sub: StreamInfo = field(default_factory=StreamInfo)
    username: str = ""
    has_password: bool = False
    notes: str = ""
    retired_at: str | None = None
    retired_reason: str = ""
    # Joined for display; not stored on the camera row.
    site_name: str = ""
    community: str = ""
    owner_name: str = ""


@dataclass(frozen=True)
class OtherDevice:
    id: str
    name: str
    kind: DeviceKind
    site_id: str | None = None
    owner_id: str | None = None
    serial: str = ""
    address: str = ""
    notes: str = ""
    retired_at: str | None = None


@dataclass(frozen=True)
class Credentials:
    """Decrypted camera credentials; never logged (``repr`` hides the password)."""

    username: str
    password: str = field(repr=False)
