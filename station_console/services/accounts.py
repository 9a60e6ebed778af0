"""Officer accounts: first-run administrator, sign-in, roles, lock-out, preferences."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from station_console.errors import AuthenticationFailed, NotFound, ValidationError
from station_console.security.passwords import hash_password, needs_rehash, verify_password
from station_console.services.audit import AuditLog
from station_console.services.permissions import Officer, Permission, Role, Session
from station_console.storage.database import Database

log = logging.getLogger(__name__)

MIN_PASSWORD_LENGTH = 8
MAX_FAILED_ATTEMPTS = 5
LOCKOUT = timedelta(minutes=5)


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class UserRecord:
    id: int
    username: str
    display_name: str
    role: Role
    active: bool
    created_at: str
    last_login_at: str | None


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            "accounts",
            "The password must have at least {n} characters.",
            field="password",
            n=MIN_PASSWORD_LENGTH,
        )


def _check_username(username: str) -> str:
    name = username.strip()
    if not name or len(name) > 64 or any(c.isspace() for c in name):
        raise ValidationError(
            "accounts",
            "A user name needs 1 to 64 characters and no spaces.",
            field="username",
        )
    return name


class Accounts:
    def __init__(self, db: Database, audit: AuditLog, session: Session) -> None:
        self.db = db
        self.audit = audit
        self.session = session

    # -- first run -------------------------------------------------------------------------

    def needs_first_admin(self) -> bool:
        return not self.db.scalar("SELECT 1 FROM users WHERE role = 'admin' AND active = 1 LIMIT 1")

    def create_first_admin(self, username: str, display_name: str, password: str) -> UserRecord:
        """Create the administrator on a fresh database; refused once one exists."""
        name = _check_username(username)
        _check_password(password)
        with self.db.write() as conn:
            if conn.execute("SELECT 1 FROM users WHERE role = 'admin' LIMIT 1").fetchone():
                raise ValidationError(
                    "accounts", "An administrator already exists; sign in instead."
                )
            uid = self._insert(conn, name, display_name or name, Role.ADMIN, password)
            self.audit.append(
                name, "user.create_first_admin", f"user:{name}", {"role": "admin"}, conn=conn
            )
        return self.get(uid)

    # -- sign-in ---------------------------------------------------------------------------

    def sign_in(self, username: str, password: str) -> Officer:
        """Check the password, apply lock-out, and put the officer into the session."""
        refused = AuthenticationFailed("accounts", "Wrong user name or password.")
        row = self.db.query_one("SELECT * FROM users WHERE username = ?", (username.strip(),))
        now = _now()
        if row is None:
            self.audit.append(
                username.strip() or "?", "login.failed", "", {"reason": "unknown user"}
            )
            raise refused
        if not row["active"]:
            self.audit.append(row["username"], "login.failed", "", {"reason": "account disabled"})
            raise AuthenticationFailed(
                "accounts", "This account is disabled. Ask the administrator."
            )
        if row["locked_until"] and datetime.fromisoformat(row["locked_until"]) > now:
            self.audit.append(row["username"], "login.failed", "", {"reason": "locked"})
            raise AuthenticationFailed(
                "accounts",
                "Too many wrong passwords: this account is locked until {until}.",
                until=datetime.fromisoformat(row["locked_until"]).astimezone().strftime("%H:%M"),
            )
        if not verify_password(row["password_hash"], password):
            with self.db.write() as conn:
                attempts = row["failed_attempts"] + 1
                locked = (now + LOCKOUT).isoformat() if attempts >= MAX_FAILED_ATTEMPTS else None
                conn.execute(
                    "UPDATE users SET failed_attempts = ?, locked_until = ? WHERE id = ?",
                    (0 if locked else attempts, locked, row["id"]),
                )
                self.audit.append(
                    row["username"],
                    "login.failed",
                    "",
                    {"reason": "wrong password", "locked": bool(locked)},
                    conn=conn,
                )
            raise refused
        with self.db.write() as conn:
            new_hash = (
                hash_password(password)
                if needs_rehash(row["password_hash"])
                else row["password_hash"]
            )
            conn.execute(
                "UPDATE users SET failed_attempts = 0, locked_until = NULL, last_login_at = ?, "
                "password_hash = ? WHERE id = ?",
                (now.isoformat(), new_hash, row["id"]),
            )
            self.audit.append(row["username"], "login", "", {"role": row["role"]}, conn=conn)
        officer = Officer(row["id"], row["username"], row["display_name"], Role(row["role"]))
        self.session.sign_in(officer)
        return officer

    def verify_current(self, password: str) -> bool:
        """Unlock after an idle lock: the same officer re-enters the password."""
        o = self.session.officer
        if o is None:
            return False
        row = self.db.query_one("SELECT password_hash FROM users WHERE id = ?", (o.user_id,))
        ok = bool(row) and verify_password(row["password_hash"], password) if row else False
        self.audit.append(o.username, "unlock" if ok else "unlock.failed")
        return ok

    def record_lock(self) -> None:
        o = self.session.officer
        if o:
            self.audit.append(o.username, "lock", "", {"reason": "idle"})

    def sign_out(self) -> None:
        o = self.session.officer
        if o:
            self.audit.append(o.username, "logout")
        self.session.sign_out()

    # -- administration --------------------------------------------------------------------

    def list_users(self) -> list[UserRecord]:
        self.session.require(Permission.MANAGE_USERS)
        return [self._record(r) for r in self.db.query("SELECT * FROM users ORDER BY username")]

    def get(self, user_id: int) -> UserRecord:
        row = self.db.query_one("SELECT * FROM users WHERE id = ?", (user_id,))
        if row is None:
            raise NotFound("accounts", "No such user.")
        return self._record(row)

    def create_user(
        self, username: str, display_name: str, role: Role, password: str
    ) -> UserRecord:
        admin = self.session.require(Permission.MANAGE_USERS)
        name = _check_username(username)
        _check_password(password)
        with self.db.write() as conn:
            if conn.execute("SELECT 1 FROM users WHERE username = ?", (name,)).fetchone():
                raise ValidationError(
                    "accounts", "The user name {name} is taken.", field="username", name=name
                )
            uid = self._insert(conn, name, display_name or name, role, password)
            self.audit.append(
                admin.username, "user.create", f"user:{name}", {"role": role.value}, conn=conn
            )
        return self.get(uid)

    def update_user(
        self,
        user_id: int,
        *,
        display_name: str | None = None,
        role: Role | None = None,
        active: bool | None = None,
        password: str | None = None,
    ) -> UserRecord:
        admin = self.session.require(Permission.MANAGE_USERS)
        current = self.get(user_id)
        changes: dict[str, Any] = {}
        if display_name is not None:
            changes["display_name"] = display_name.strip() or current.username
        if role is not None:
            changes["role"] = role.value
        if active is not None:
            changes["active"] = int(active)
        if password is not None:
            _check_password(password)
            changes["password_hash"] = hash_password(password)
            changes["failed_attempts"] = 0
            changes["locked_until"] = None
        if not changes:
            return current
        with self.db.write() as conn:
            demoting = changes.get("role", "admin") != "admin" or changes.get("active", 1) == 0
            if current.role is Role.ADMIN and demoting:
                others = conn.execute(
                    "SELECT count(*) FROM users WHERE role = 'admin' AND active = 1 AND id <> ?",
                    (user_id,),
                ).fetchone()[0]
                if not others:
                    raise ValidationError(
                        "accounts", "The last active administrator cannot be demoted or disabled."
                    )
            sets = ", ".join(f"{k} = ?" for k in changes)
            conn.execute(f"UPDATE users SET {sets} WHERE id = ?", (*changes.values(), user_id))
            shown = {k: v for k, v in changes.items() if k != "password_hash"}
            if "password_hash" in changes:
                shown["password"] = "changed"  # noqa: S105 - a marker, not a password
            self.audit.append(
                admin.username, "user.update", f"user:{current.username}", shown, conn=conn
            )
        return self.get(user_id)

    # -- per-user preferences (window layout, language, named views) ----------------------

    def get_pref(self, key: str, default: Any = None) -> Any:
        o = self.session.officer
        if o is None:
            return default
        row = self.db.query_one(
            "SELECT value FROM user_prefs WHERE user_id = ? AND key = ?", (o.user_id, key)
        )
        return json.loads(row["value"]) if row else default

    def set_pref(self, key: str, value: Any) -> None:
        o = self.session.officer
        if o is None:
            return
        with self.db.write() as conn:
            conn.execute(
                "INSERT INTO user_prefs(user_id, key, value) VALUES (?, ?, ?) "
                "ON CONFLICT(user_id, key) DO UPDATE SET value = excluded.value",
                (o.user_id, key, json.dumps(value)),
            )

    # -- helpers ---------------------------------------------------------------------------

    @staticmethod
    def _insert(conn: Any, username: str, display_name: str, role: Role, password: str) -> int:
        cur = conn.execute(
            "INSERT INTO users(username, display_name, role, password_hash, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (
                username,
                display_name.strip(),
                role.value,
                hash_password(password),
                _now().isoformat(),
            ),
        )
        return int(cur.lastrowid)

    @staticmethod
    def _record(row: Any) -> UserRecord:
        return UserRecord(
            row["id"],
            row["username"],
            row["display_name"],
            Role(row["role"]),
            bool(row["active"]),
            row["created_at"],
            row["last_login_at"],
        )
