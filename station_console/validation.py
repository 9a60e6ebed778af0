"""Field validation and normalisation shared by the editors, the services and CSV import.

Every check raises :class:`ValidationError` naming the field, so the same message reaches a
dialog, a CSV row report and the CLI.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

from station_console.domain import CameraKind, DeviceKind, OwnerKind, SiteKind
from station_console.errors import ValidationError

# GB/T 28181-2016 Annex D: 20 digits = centre code (province 2, city 2, district 2,
# grassroots unit 2) + industry 2 + type 3 + network flag 1 + serial 6.
_GB_PROVINCES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71", "81", "82",
}  # fmt: skip
# Type codes for front-end video devices: 131 camera, 132 network camera (IPC).
GB_CAMERA_TYPES = {"131", "132"}

_MAC_HEX = re.compile(r"^[0-9A-Fa-f]{12}$")
_PHONE = re.compile(r"^[0-9+()\- ]{3,32}$")


def validate_gb_id(value: str, *, camera: bool = True) -> str:
    """Check a GB/T 28181 device ID; empty means 'none assigned'."""
    v = value.strip()
    if not v:
        return ""
    if len(v) != 20 or not v.isascii() or not v.isdigit():
        raise ValidationError(
            "validation",
            "A GB/T 28181 device ID has exactly 20 digits; '{value}' does not.",
            field="gb_id",
            value=v,
        )
    if v[:2] not in _GB_PROVINCES:
        raise ValidationError(
            "validation",
            "GB/T 28181 device ID {value}: '{code}' is not a province code.",
            field="gb_id",
            value=v,
            code=v[:2],
        )
    type_code = v[10:13]
    if camera and type_code not in GB_CAMERA_TYPES:
        raise ValidationError(
            "validation",
            "GB/T 28181 device ID {value}: type code {code} is not a camera (131 or 132).",
            field="gb_id",
            value=v,
            code=type_code,
        )
    return v


def normalise_mac(value: str) -> str:
    v = value.strip()
    if not v:
        return ""
    hexdigits = re.sub(r"[:\-.\s]", "", v)
    if not _MAC_HEX.match(hexdigits):
        raise ValidationError(
            "validation", "'{value}' is not a MAC address (12 hex digits).", field="mac", value=v
        )
    return ":".join(hexdigits[i : i + 2] for i in range(0, 12, 2)).upper()


def strip_credentials(uri: str) -> str:
    """Remove ``user:password@`` from a URL so it can be stored, shown and logged."""
    v = uri.strip()
    if not v:
        return ""
    parts = urlsplit(v)
    if parts.username is None and parts.password is None:
        return v
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def mask_credentials(text: str) -> str:
    """Mask any ``scheme://user:pass@`` in free text (log lines, error messages)."""
    return re.sub(r"([a-zA-Z][a-zA-Z0-9+.\-]*://)[^/\s@]+@", r"\1***@", text)


def normalise_onvif_url(value: str) -> str:
    v = strip_credentials(value)
    if not v:
        return ""
    if "://" not in v:
        v = f"http://{v}/onvif/device_service"
    parts = urlsplit(v)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(
            "validation",
            "'{value}' is not an ONVIF address (http://host[:port]/onvif/device_service).",
            field="onvif_url",
            value=value,
        )
    try:
        _ = parts.port
    except ValueError as exc:
        raise ValidationError(
            "validation", "'{value}' has an invalid port.", field="onvif_url", value=value
        ) from exc
    return v


def normalise_stream_uri(value: str, field: str) -> str:
    v = strip_credentials(value)
    if not v:
        return ""
    parts = urlsplit(v)
    if parts.scheme not in ("rtsp", "rtsps", "http", "https") or not parts.hostname:
        raise ValidationError(
            "validation", "'{value}' is not a stream address (rtsp://…).", field=field, value=v
        )
    return v


def validate_date(value: str, field: str) -> str:
    v = value.strip()
    if not v:
        return ""
    try:
        return date.fromisoformat(v).isoformat()
    except ValueError as exc:
        raise ValidationError(
            "validation", "'{value}' is not a date (YYYY-MM-DD).", field=field, value=v
        ) from exc


def validate_coordinate(value: Any, field: str, limit: float) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        f = float(value)
    except (TypeError, ValueError) as exc:
        raise ValidationError(
            "validation", "'{value}' is not a number.", field=field, value=value
        ) from exc
    if not -limit <= f <= limit:
        raise ValidationError(
            "validation",
            "{value} is outside -{limit}…{limit}.",
            field=field,
            value=value,
            limit=limit,
        )
    return f


def validate_phone(value: str) -> str:
    v = value.strip()
    if v and not _PHONE.match(v):
        raise ValidationError(
            "validation", "'{value}' is not a phone number.", field="phone", value=v
        )
    return v


def require_text(value: Any, field: str, max_len: int = 200) -> str:
    v = str(value or "").strip()
    if not v:
        raise ValidationError("validation", "{field} must not be empty.", field=field)
    if len(v) > max_len:
        raise ValidationError(
            "validation", "{field} is longer than {n} characters.", field=field, n=max_len
        )
    return v


def optional_text(value: Any, field: str, max_len: int = 2000) -> str:
    v = str(value or "").strip()
    if len(v) > max_len:
        raise ValidationError(
            "validation", "{field} is longer than {n} characters.", field=field, n=max_len
        )
    return v


E = TypeVar("E", SiteKind, OwnerKind, CameraKind, DeviceKind)


def parse_enum(enum_type: type[E], value: Any, field: str) -> E:
    v = str(value or "").strip()
    try:
        return enum_type(v)
    except ValueError as exc:
        allowed = ", ".join(e.value for e in enum_type)
        raise ValidationError(
            "validation",
            "'{value}' is not a valid {field} (one of: {allowed}).",
            field=field,
            value=v,
            allowed=allowed,
        ) from exc


def parse_bool(value: Any, field: str) -> bool:
    if isinstance(value, bool):
        return value
    v = str(value or "").strip().lower()
    if v in ("1", "true", "yes", "y", "是", "x"):
        return True
    if v in ("", "0", "false", "no", "n", "否"):
        return False
    raise ValidationError("validation", "'{value}' is not yes/no.", field=field, value=value)
