"""The camera estate: sites, owner units, cameras and other devices.

Every change is validated, written with its outbox row (for the hub) and its audit row in
one transaction, so the record, the sync queue and the audit chain never disagree. Camera
passwords are encrypted with the station key before they reach SQL and are never returned
by list queries.
"""

from __future__ import annotations

import logging
import sqlite3
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from station_console.domain import (
    Camera,
    CameraKind,
    Credentials,
    DeviceKind,
    OtherDevice,
    OwnerKind,
    OwnerUnit,
    Site,
    SiteKind,
    StreamInfo,
)
from station_console.errors import NotFound, ValidationError
from station_console.security.keystore import CredentialCipher
from station_console.services.audit import AuditLog
from station_console.services.permissions import Permission, Session
from station_console.storage.database import Database
from station_console.sync.outbox import Outbox
from station_console.validation import (
    normalise_mac,
    normalise_onvif_url,
    normalise_stream_uri,
    optional_text,
    parse_bool,
    parse_enum,
    require_text,
    validate_coordinate,
    validate_date,
    validate_gb_id,
    validate_phone,
)

log = logging.getLogger(__name__)

Row = Mapping[str, Any]
DbRow = sqlite3.Row | Mapping[str, Any]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# -- validation of whole records (also used by CSV import) ---------------------------------


def clean_site(data: Row) -> dict[str, Any]:
    return {
        "name": require_text(data.get("name"), "name"),
        "kind": parse_enum(SiteKind, data.get("kind"), "kind").value,
        "community": optional_text(data.get("community"), "community", 100),
        "grid": optional_text(data.get("grid"), "grid", 100),
        "address": optional_text(data.get("address"), "address", 300),
        "latitude": validate_coordinate(data.get("latitude"), "latitude", 90),
        "longitude": validate_coordinate(data.get("longitude"), "longitude", 180),
        "notes": optional_text(data.get("notes"), "notes"),
    }


def clean_owner(data: Row) -> dict[str, Any]:
    return {
        "name": require_text(data.get("name"), "name"),
        "kind": parse_enum(OwnerKind, data.get("kind"), "kind").value,
        "contact_person": optional_text(data.get("contact_person"), "contact_person", 100),
        "phone": validate_phone(str(data.get("phone") or "")),
        "notes": optional_text(data.get("notes"), "notes"),
    }


CAMERA_TEXT_FIELDS = ("vendor", "model", "serial", "firmware", "notes")
STREAM_FIELDS = ("main_resolution", "main_codec", "sub_resolution", "sub_codec")


def clean_camera(data: Row) -> dict[str, Any]:
    """Validate a camera's fields (site/owner ids are resolved by the caller)."""
    out: dict[str, Any] = {
        "name": require_text(data.get("name"), "name"),
        "kind": parse_enum(CameraKind, data.get("kind") or "bullet", "kind").value,
        "mac": normalise_mac(str(data.get("mac") or "")),
        "onvif_url": normalise_onvif_url(str(data.get("onvif_url") or "")),
        "gb_id": validate_gb_id(str(data.get("gb_id") or "")),
        "networked_to_city": int(parse_bool(data.get("networked_to_city"), "networked_to_city")),
        "install_date": validate_date(str(data.get("install_date") or ""), "install_date"),
        "main_stream_uri": normalise_stream_uri(
            str(data.get("main_stream_uri") or ""), "main_stream_uri"
        ),
        "sub_stream_uri": normalise_stream_uri(
            str(data.get("sub_stream_uri") or ""), "sub_stream_uri"
        ),
        "username": optional_text(data.get("username"), "username", 100),
    }
    for f in CAMERA_TEXT_FIELDS:
        out[f] = optional_text(data.get(f), f, 2000 if f == "notes" else 100)
    for f in STREAM_FIELDS:
        out[f] = optional_text(data.get(f), f, 40)
    return out


def clean_device(data: Row) -> dict[str, Any]:
    return {
        "name": require_text(data.get("name"), "name"),
        "kind": parse_enum(DeviceKind, data.get("kind"), "kind").value,
        "serial": optional_text(data.get("serial"), "serial", 100),
        "address": optional_text(data.get("address"), "address", 300),
        "notes": optional_text(data.get("notes"), "notes"),
    }


# -- read models ---------------------------------------------------------------------------


def site_from_row(r: DbRow) -> Site:
    return Site(
        r["id"], r["name"], SiteKind(r["kind"]), r["community"], r["grid"], r["address"],
        r["latitude"], r["longitude"], r["notes"], r["retired_at"],
    )  # fmt: skip


def owner_from_row(r: DbRow) -> OwnerUnit:
    return OwnerUnit(
        r["id"], r["name"], OwnerKind(r["kind"]), r["contact_person"], r["phone"], r["notes"],
        r["retired_at"],
    )  # fmt: skip


def device_from_row(r: DbRow) -> OtherDevice:
    return OtherDevice(
        r["id"], r["name"], DeviceKind(r["kind"]), r["site_id"], r["owner_id"], r["serial"],
        r["address"], r["notes"], r["retired_at"],
    )  # fmt: skip


def camera_from_row(r: DbRow) -> Camera:
    keys = r.keys() if hasattr(r, "keys") else ()
    return Camera(
        id=r["id"],
        name=r["name"],
        kind=CameraKind(r["kind"]),
        site_id=r["site_id"],
        owner_id=r["owner_id"],
        vendor=r["vendor"],
        model=r["model"],
        serial=r["serial"],
        mac=r["mac"],
        firmware=r["firmware"],
        onvif_url=r["onvif_url"],
        gb_id=r["gb_id"],
        networked_to_city=bool(r["networked_to_city"]),
        install_date=r["install_date"],
        main=StreamInfo(r["main_stream_uri"], r["main_resolution"], r["main_codec"]),
        sub=StreamInfo(r["sub_stream_uri"], r["sub_resolution"], r["sub_codec"]),
        username=r["username"],
        has_password=r["password_enc"] is not None,
        notes=r["notes"],
        retired_at=r["retired_at"],
        retired_reason=r["retired_reason"],
        site_name=r["site_name"] if "site_name" in keys else "",
        community=r["community"] if "community" in keys else "",
        owner_name=r["owner_name"] if "owner_name" in keys else "",
    )


@dataclass(frozen=True)
class _Kind:
    """How one kind of simple record is stored, synced and audited."""

    table: str
    entity: str  # outbox entity name
    audit: str  # audit action prefix
    clean: Callable[[Row], dict[str, Any]]
    placed: bool = False  # has a site and an owner unit, given by id or name


_SITES = _Kind("sites", "site", "site", clean_site)
_OWNERS = _Kind("owner_units", "owner_unit", "owner", clean_owner)
_CAMERAS = _Kind("cameras", "camera", "camera", clean_camera, placed=True)
_DEVICES = _Kind("other_devices", "other_device", "device", clean_device, placed=True)


CAMERA_SELECT = """
SELECT c.*, s.name AS site_name, s.community AS community, o.name AS owner_name
FROM cameras c
LEFT JOIN sites s ON s.id = c.site_id
LEFT JOIN owner_units o ON o.id = c.owner_id
"""


@dataclass(frozen=True)
class TreeSite:
    site: Site
    cameras: list[Camera] = field(default_factory=list)


@dataclass(frozen=True)
class TreeCommunity:
    name: str
    sites: list[TreeSite] = field(default_factory=list)


class Inventory:
    """Reads and changes the estate; every change is permission-checked and audited."""

    def __init__(
        self,
        db: Database,
        audit: AuditLog,
        session: Session,
        outbox: Outbox,
        cipher: CredentialCipher,
    ) -> None:
        self.db = db
        self.audit = audit
        self.session = session
        self.outbox = outbox
        self.cipher = cipher
        self.listeners: list[Callable[[str, str], None]] = []

    # -- notification ----------------------------------------------------------------------

    def _changed(self, entity: str, entity_id: str) -> None:
        for listener in list(self.listeners):
            try:
                listener(entity, entity_id)
            except Exception:
                log.exception("inventory listener failed")

    # -- generic write helpers -------------------------------------------------------------

    def _insert(
        self, conn: sqlite3.Connection, table: str, entity: str, values: dict[str, Any]
    ) -> str:
        now = _now()
        values = {
            "id": values.get("id") or str(uuid.uuid4()),
            **values,
            "created_at": now,
            "updated_at": now,
        }
        cols = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        try:
            conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", tuple(values.values()))
        except sqlite3.IntegrityError as exc:
            raise self._duplicate(exc, values) from exc
        self.outbox.record(conn, entity, values["id"], values)
        return str(values["id"])

    def _update(
        self,
        conn: sqlite3.Connection,
        table: str,
        entity: str,
        entity_id: str,
        values: dict[str, Any],
    ) -> dict[str, Any]:
        before = conn.execute(f"SELECT * FROM {table} WHERE id = ?", (entity_id,)).fetchone()
        if before is None:
            raise NotFound("inventory", "The record {id} no longer exists.", id=entity_id)
        changed = {k: v for k, v in values.items() if before[k] != v}
        if not changed:
            return {}
        changed["updated_at"] = _now()
        sets = ", ".join(f"{k} = ?" for k in changed)
        try:
            conn.execute(f"UPDATE {table} SET {sets} WHERE id = ?", (*changed.values(), entity_id))
        except sqlite3.IntegrityError as exc:
            raise self._duplicate(exc, values) from exc
        self.outbox.record(conn, entity, entity_id, changed)
        return {k: (before[k], v) for k, v in changed.items() if k != "updated_at"}

    @staticmethod
    def _duplicate(exc: sqlite3.IntegrityError, values: Mapping[str, Any]) -> ValidationError:
        text = str(exc)
        for col in ("serial", "gb_id", "name"):
            if f".{col}" in text:
                return ValidationError(
                    "inventory",
                    "Another record already uses {field} '{value}'.",
                    field=col,
                    value=values.get(col, ""),
                )
        if "FOREIGN KEY" in text:
            return ValidationError("inventory", "The chosen site or owner unit does not exist.")
        return ValidationError("inventory", "The record conflicts with an existing one.")

    def _resolve(
        self, conn: sqlite3.Connection, table: str, ref: str | None, field_name: str
    ) -> str | None:
        """Accept an id or an (active) name for a site or owner unit."""
        if not ref:
            return None
        row = conn.execute(f"SELECT id FROM {table} WHERE id = ?", (ref,)).fetchone()
        if row is None:
            row = conn.execute(
                f"SELECT id FROM {table} WHERE name = ? AND retired_at IS NULL", (ref.strip(),)
            ).fetchone()
        if row is None:
            raise ValidationError(
                "inventory", "{field} '{value}' is not registered.", field=field_name, value=ref
            )
        return str(row[0])

    # -- records edited the same way (sites, owner units) ---------------------------------

    def _place(self, conn: sqlite3.Connection, values: dict[str, Any], data: Row) -> None:
        values["site_id"] = self._resolve(
            conn, "sites", data.get("site_id") or data.get("site"), "site"
        )
        values["owner_id"] = self._resolve(
            conn, "owner_units", data.get("owner_id") or data.get("owner"), "owner"
        )

    def _add_record(self, kind: _Kind, data: Row, extra: dict[str, Any] | None = None) -> str:
        who = self.session.require(Permission.EDIT_INVENTORY)
        values = {**kind.clean(data), **(extra or {})}
        with self.db.write() as conn:
            if kind.placed:
                self._place(conn, values, data)
            rid = self._insert(conn, kind.table, kind.entity, values)
            self.audit.append(
                who.username,
                f"{kind.audit}.add",
                f"{kind.audit}:{rid}",
                {"name": values["name"]},
                conn=conn,
            )
        self._changed(kind.entity, rid)
        return rid

    def _edit_record(self, kind: _Kind, record_id: str, data: Row) -> None:
        who = self.session.require(Permission.EDIT_INVENTORY)
        values = kind.clean(data)
        with self.db.write() as conn:
            if kind.placed:
                self._place(conn, values, data)
            diff = self._update(conn, kind.table, kind.entity, record_id, values)
            if diff:
                self.audit.append(
                    who.username, f"{kind.audit}.edit", f"{kind.audit}:{record_id}", diff, conn=conn
                )
        self._changed(kind.entity, record_id)

    def _retire_record(
        self,
        kind: _Kind,
        record_id: str,
        check: Callable[[sqlite3.Connection], None] | None = None,
        reason: str = "",
    ) -> None:
        """Retire (never delete: history points at it); only cameras keep a reason."""
        who = self.session.require(Permission.EDIT_INVENTORY)
        values: dict[str, Any] = {"retired_at": _now()}
        if kind is _CAMERAS:
            values["retired_reason"] = reason.strip()
        with self.db.write() as conn:
            if check:
                check(conn)
            self._update(conn, kind.table, kind.entity, record_id, values)
            detail = {"reason": reason} if reason else {}
            self.audit.append(
                who.username, f"{kind.audit}.retire", f"{kind.audit}:{record_id}", detail, conn=conn
            )
        self._changed(kind.entity, record_id)

    def _row(self, table: str, record_id: str) -> sqlite3.Row:
        row = self.db.query_one(f"SELECT * FROM {table} WHERE id = ?", (record_id,))
        if row is None:
            raise NotFound("inventory", "The record {id} no longer exists.", id=record_id)
        return row

    # -- sites -----------------------------------------------------------------------------

    def sites(self, include_retired: bool = False) -> list[Site]:
        sql = "SELECT * FROM sites" + ("" if include_retired else " WHERE retired_at IS NULL")
        return [site_from_row(r) for r in self.db.query(sql + " ORDER BY community, name")]

    def site(self, site_id: str) -> Site:
        return site_from_row(self._row("sites", site_id))

    def add_site(self, data: Row) -> Site:
        return self.site(self._add_record(_SITES, data))

    def update_site(self, site_id: str, data: Row) -> Site:
        self._edit_record(_SITES, site_id, data)
        return self.site(site_id)

    def retire_site(self, site_id: str) -> None:
        def no_active_cameras(conn: sqlite3.Connection) -> None:
            active = conn.execute(
                "SELECT count(*) FROM cameras WHERE site_id = ? AND retired_at IS NULL", (site_id,)
            ).fetchone()[0]
            if active:
                raise ValidationError(
                    "inventory",
                    "This site still has {n} active cameras; move or retire them first.",
                    n=active,
                )

        self._retire_record(_SITES, site_id, no_active_cameras)

    # -- owner units -----------------------------------------------------------------------

    def owners(self, include_retired: bool = False) -> list[OwnerUnit]:
        sql = "SELECT * FROM owner_units" + ("" if include_retired else " WHERE retired_at IS NULL")
        return [owner_from_row(r) for r in self.db.query(sql + " ORDER BY name")]

    def owner(self, owner_id: str) -> OwnerUnit:
        return owner_from_row(self._row("owner_units", owner_id))

    def add_owner(self, data: Row) -> OwnerUnit:
        return self.owner(self._add_record(_OWNERS, data))

    def update_owner(self, owner_id: str, data: Row) -> OwnerUnit:
        self._edit_record(_OWNERS, owner_id, data)
        return self.owner(owner_id)

    def retire_owner(self, owner_id: str) -> None:
        self._retire_record(_OWNERS, owner_id)

    # -- cameras ---------------------------------------------------------------------------

    def camera(self, camera_id: str) -> Camera:
        row = self.db.query_one(CAMERA_SELECT + " WHERE c.id = ?", (camera_id,))
        if row is None:
            raise NotFound("inventory", "The record {id} no longer exists.", id=camera_id)
        return camera_from_row(row)

    def cameras(
        self,
        *,
        search: str = "",
        site_id: str | None = None,
        site_ids: Sequence[str] | None = None,
        community: str | None = None,
        include_retired: bool = False,
        limit: int | None = None,
    ) -> list[Camera]:
        """Cameras matching a free-text search over name, site, community, serial, GB id.

        ``site_ids``: the cameras of any of these sites (one read for many sites).
        """
        where, params = [], []
        if not include_retired:
            where.append("c.retired_at IS NULL")
        if site_id:
            where.append("c.site_id = ?")
            params.append(site_id)
        if site_ids is not None:
            unique = sorted(set(site_ids))
            where.append(f"c.site_id IN ({', '.join('?' for _ in unique)})")
            params += unique
        if community is not None:
            where.append("s.community = ?")
            params.append(community)
        if search.strip():
            like = f"%{search.strip()}%"
            where.append(
                "(c.name LIKE ? OR s.name LIKE ? OR s.community LIKE ? OR c.serial LIKE ? "
                "OR c.gb_id LIKE ? OR c.onvif_url LIKE ? OR o.name LIKE ?)"
            )
            params += [like] * 7
        sql = CAMERA_SELECT
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY s.community, s.name, c.name"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [camera_from_row(r) for r in self.db.query(sql, tuple(params))]

    def tree(self, search: str = "") -> list[TreeCommunity]:
        """Community → site → cameras, for the camera tree; cameras without a site go last."""
        cams = self.cameras(search=search)
        sites = {s.id: s for s in self.sites()}
        communities: dict[str, dict[str, TreeSite]] = {}
        for cam in cams:
            site = sites.get(cam.site_id or "")
            if site is None:
                site = Site(id="", name="", kind=SiteKind.ROAD)
            bucket = communities.setdefault(site.community, {})
            bucket.setdefault(site.id, TreeSite(site)).cameras.append(cam)
        if not search.strip():
            for s in sites.values():
                communities.setdefault(s.community, {}).setdefault(s.id, TreeSite(s))
        return [
            TreeCommunity(
                name, sorted(bucket.values(), key=lambda t: (t.site.id == "", t.site.name))
            )
            for name, bucket in sorted(communities.items(), key=lambda kv: (kv[0] == "", kv[0]))
        ]

    def add_camera(self, data: Row, *, password: str | None = None) -> Camera:
        cid = str(uuid.uuid4())
        extra: dict[str, Any] = {"id": cid}
        if password:
            extra["password_enc"] = self.cipher.encrypt(password, bound_to=cid)
        return self.camera(self._add_record(_CAMERAS, data, extra))

    def update_camera(self, camera_id: str, data: Row) -> Camera:
        """Replace the camera's editable fields; credentials change only via set_credentials."""
        self._edit_record(_CAMERAS, camera_id, data)
        return self.camera(camera_id)

    def retire_camera(self, camera_id: str, reason: str = "") -> None:
        self._retire_record(_CAMERAS, camera_id, reason=reason)

    def set_credentials(self, camera_id: str, username: str, password: str) -> None:
        who = self.session.require(Permission.EDIT_INVENTORY)
        blob = self.cipher.encrypt(password, bound_to=camera_id) if password else None
        with self.db.write() as conn:
            cur = conn.execute(
                "UPDATE cameras SET username = ?, password_enc = ?, updated_at = ? WHERE id = ?",
                (username.strip(), blob, _now(), camera_id),
            )
            if cur.rowcount == 0:
                raise NotFound("inventory", "The record {id} no longer exists.", id=camera_id)
            self.audit.append(
                who.username,
                "camera.credentials",
                f"camera:{camera_id}",
                {"username": username},
                conn=conn,
            )

    def credentials(self, camera_id: str) -> Credentials:
        """Decrypted credentials, for the drivers that connect to the camera."""
        self.session.require(Permission.VIEW_CREDENTIALS)
        row = self.db.query_one(
            "SELECT username, password_enc FROM cameras WHERE id = ?", (camera_id,)
        )
        if row is None:
            raise NotFound("inventory", "The record {id} no longer exists.", id=camera_id)
        password = (
            self.cipher.decrypt(row["password_enc"], bound_to=camera_id)
            if row["password_enc"]
            else ""
        )
        return Credentials(row["username"], password)

    def record_view(
        self, camera_id: str, action: str = "camera.view", detail: dict[str, Any] | None = None
    ) -> None:
        """Audit that the signed-in officer looked at a camera."""
        who = self.session.require(Permission.VIEW_CAMERAS)
        self.audit.append(who.username, action, f"camera:{camera_id}", detail or {})

    # -- other devices ---------------------------------------------------------------------

    def devices(self, include_retired: bool = False) -> list[OtherDevice]:
        sql = "SELECT * FROM other_devices" + (
            "" if include_retired else " WHERE retired_at IS NULL"
        )
        return [device_from_row(r) for r in self.db.query(sql + " ORDER BY name")]

    def add_device(self, data: Row) -> OtherDevice:
        return device_from_row(self._row("other_devices", self._add_record(_DEVICES, data)))

    def update_device(self, device_id: str, data: Row) -> OtherDevice:
        self._edit_record(_DEVICES, device_id, data)
        return device_from_row(self._row("other_devices", device_id))

    def retire_device(self, device_id: str) -> None:
        self._retire_record(_DEVICES, device_id)

    # -- statistics ------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        row = self.db.query_one(
            "SELECT (SELECT count(*) FROM cameras WHERE retired_at IS NULL) AS cameras, "
            "(SELECT count(*) FROM sites WHERE retired_at IS NULL) AS sites, "
            "(SELECT count(*) FROM owner_units WHERE retired_at IS NULL) AS owners, "
            "(SELECT count(*) FROM other_devices WHERE retired_at IS NULL) AS devices"
        )
        assert row is not None
        return {k: int(row[k]) for k in row.keys()}  # noqa: SIM118 - sqlite3.Row iterates values
