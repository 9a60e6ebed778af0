"""HTTP/RTSP digest authentication (RFC 2617, MD5, with or without qop=auth), server side.

Real cameras refuse Basic on RTSP and snapshots and insist on Digest; clients (ffmpeg, libVLC,
requests) must go through the 401 challenge, so the simulator does the same. MD5 is what the
protocol specifies, not a choice made here.
"""

from __future__ import annotations

import hashlib
import re
import secrets

_PARAM = re.compile(r'(\w+)\s*=\s*(?:"([^"]*)"|([^\s,]+))')


def _md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def new_nonce() -> str:
    return secrets.token_hex(16)


def challenge(realm: str, nonce: str, qop: bool) -> str:
    """The value of a WWW-Authenticate header."""
    header = f'Digest realm="{realm}", nonce="{nonce}", algorithm=MD5'
    return header + ', qop="auth"' if qop else header


def parse(header: str) -> dict[str, str] | None:
    """Parse an ``Authorization: Digest ...`` value; None if it is not Digest."""
    scheme, _, rest = header.strip().partition(" ")
    if scheme.lower() != "digest":
        return None
    return {m.group(1).lower(): m.group(2) or m.group(3) or "" for m in _PARAM.finditer(rest)}


def verify(
    header: str | None, method: str, realm: str, nonces: set[str], user: str, password: str
) -> bool:
    """True when ``header`` is a valid digest answer to one of our ``nonces``."""
    if not header:
        return False
    params = parse(header)
    if params is None:
        return False
    if params.get("username") != user or params.get("realm") != realm:
        return False
    if params.get("nonce") not in nonces:
        return False
    ha1 = _md5(f"{user}:{realm}:{password}")
    ha2 = _md5(f"{method}:{params.get('uri', '')}")
    if params.get("qop"):
        expected = _md5(
            f"{ha1}:{params['nonce']}:{params.get('nc', '')}:{params.get('cnonce', '')}"
            f":{params['qop']}:{ha2}"
        )
    else:
        expected = _md5(f"{ha1}:{params['nonce']}:{ha2}")
    return secrets.compare_digest(expected, params.get("response", ""))
