"""Human names of record fields, for validation messages, CSV reports and column headers."""

from __future__ import annotations

from station_console.i18n import QT_TRANSLATE_NOOP

FIELD_LABELS: dict[str, str] = {
    "name": QT_TRANSLATE_NOOP("fields", "Name"),
    "kind": QT_TRANSLATE_NOOP("fields", "Kind"),
    "community": QT_TRANSLATE_NOOP("fields", "Community"),
    "grid": QT_TRANSLATE_NOOP("fields", "Grid"),
    "address": QT_TRANSLATE_NOOP("fields", "Address"),
    "latitude": QT_TRANSLATE_NOOP("fields", "Latitude"),
    "longitude": QT_TRANSLATE_NOOP("fields", "Longitude"),
    "notes": QT_TRANSLATE_NOOP("fields", "Notes"),
    "contact_person": QT_TRANSLATE_NOOP("fields", "Contact person"),
    "phone": QT_TRANSLATE_NOOP("fields", "Phone"),
    "site": QT_TRANSLATE_NOOP("fields", "Site"),
    "owner": QT_TRANSLATE_NOOP("fields", "Owner unit"),
    "vendor": QT_TRANSLATE_NOOP("fields", "Vendor"),
    "model": QT_TRANSLATE_NOOP("fields", "Model"),
    "serial": QT_TRANSLATE_NOOP("fields", "Serial number"),
    "mac": QT_TRANSLATE_NOOP("fields", "MAC address"),
    "firmware": QT_TRANSLATE_NOOP("fields", "Firmware"),
    "onvif_url": QT_TRANSLATE_NOOP("fields", "ONVIF address"),
    "gb_id": QT_TRANSLATE_NOOP("fields", "GB/T 28181 ID"),
    "networked_to_city": QT_TRANSLATE_NOOP("fields", "Networked to city"),
    "install_date": QT_TRANSLATE_NOOP("fields", "Install date"),
    "main_stream_uri": QT_TRANSLATE_NOOP("fields", "Main stream"),
    "main_resolution": QT_TRANSLATE_NOOP("fields", "Main resolution"),
    "main_codec": QT_TRANSLATE_NOOP("fields", "Main codec"),
    "sub_stream_uri": QT_TRANSLATE_NOOP("fields", "Sub stream"),
    "sub_resolution": QT_TRANSLATE_NOOP("fields", "Sub resolution"),
    "sub_codec": QT_TRANSLATE_NOOP("fields", "Sub codec"),
    "username": QT_TRANSLATE_NOOP("fields", "User name"),
    "password": QT_TRANSLATE_NOOP("fields", "Password"),
    "display_name": QT_TRANSLATE_NOOP("fields", "Display name"),
    "role": QT_TRANSLATE_NOOP("fields", "Role"),
}
