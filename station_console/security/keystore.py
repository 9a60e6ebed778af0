"""The station key: encrypts camera credentials at rest, kept outside the database.

A stolen database file (or a backup) alone does not reveal camera passwords. The key lives
in the OS keyring where a real one exists (Windows Credential Manager, macOS Keychain, a
desktop Secret Service); otherwise in a ``0600`` file in the data directory's ``keys``
folder, which the installer places on a separate ACL.

Encryption is AES-256-GCM with the camera id as associated data, so a ciphertext copied onto
another camera's row does not decrypt.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import logging
import os
import secrets
from pathlib import Path
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from station_console.errors import ConsoleError

log = logging.getLogger(__name__)

_VERSION = b"\x01"
_NONCE = 12
KEYRING_SERVICE = "station-console"


class KeyBackend(Protocol):
    def load(self) -> bytes | None: ...
    def store(self, key: bytes) -> None: ...
    @property
    def description(self) -> str: ...


class FileKeyBackend:
    """A 0600 file; the directory is created 0700."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @property
    def description(self) -> str:
        return f"file {self.path}"

    def load(self) -> bytes | None:
        if not self.path.exists():
            return None
        return base64.b64decode(self.path.read_text(encoding="ascii").strip())

    def store(self, key: bytes) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            os.chmod(self.path.parent, 0o700)
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(base64.b64encode(key).decode("ascii"))


class KeyringBackend:
    """The OS keyring, used only when a real (non-fallback) backend is present."""

    def __init__(self, account: str) -> None:
        self.account = account

    @property
    def description(self) -> str:
        return "OS keyring"

    @staticmethod
    def available() -> bool:
        try:
            import keyring
            from keyring.backends import fail
        except Exception:
            return False
        try:
            backend = keyring.get_keyring()
        except Exception:
            return False
        name = type(backend).__module__
        return (
            not isinstance(backend, fail.Keyring) and "chainer" not in name and "null" not in name
        )

    def load(self) -> bytes | None:
        import keyring

        value = keyring.get_password(KEYRING_SERVICE, self.account)
        return base64.b64decode(value) if value else None

    def store(self, key: bytes) -> None:
        import keyring

        keyring.set_password(KEYRING_SERVICE, self.account, base64.b64encode(key).decode("ascii"))


def choose_backend(key_file: Path, *, use_keyring: bool | None = None) -> KeyBackend:
    """Keyring where present (and allowed), else the key file. A key file that exists wins,
    so moving between desktops never strands the credentials."""
    if key_file.exists():
        return FileKeyBackend(key_file)
    if use_keyring is None:
        use_keyring = os.environ.get("SC_NO_KEYRING") != "1" and KeyringBackend.available()
    if use_keyring:
        return KeyringBackend(account=str(key_file.parent.parent))
    return FileKeyBackend(key_file)


class CredentialCipher:
    """Encrypts and decrypts camera secrets with the station key."""

    def __init__(self, backend: KeyBackend) -> None:
        self.backend = backend
        key = backend.load()
        if key is None:
            key = secrets.token_bytes(32)
            backend.store(key)
            log.info("created a new station key in %s", backend.description)
        if len(key) != 32:
            raise ConsoleError(
                "security", "The station key in {where} is damaged.", where=backend.description
            )
        self._aead = AESGCM(key)
        self._key = key

    def derive(self, label: str) -> bytes:
        """A separate key for another purpose (e.g. signing the audit anchor)."""
        return hmac.new(self._key, label.encode(), hashlib.sha256).digest()

    def encrypt(self, plaintext: str, *, bound_to: str) -> bytes:
        nonce = secrets.token_bytes(_NONCE)
        return (
            _VERSION
            + nonce
            + self._aead.encrypt(nonce, plaintext.encode("utf-8"), bound_to.encode())
        )

    def decrypt(self, blob: bytes, *, bound_to: str) -> str:
        if not blob or blob[:1] != _VERSION:
            raise ConsoleError("security", "A stored camera password is damaged; enter it again.")
        nonce, body = blob[1 : 1 + _NONCE], blob[1 + _NONCE :]
        try:
            return self._aead.decrypt(nonce, body, bound_to.encode()).decode("utf-8")
        except InvalidTag as exc:
            raise ConsoleError(
                "security",
                "A stored camera password cannot be decrypted with this station's key; "
                "enter it again.",
            ) from exc
