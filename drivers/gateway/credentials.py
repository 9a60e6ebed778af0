"""Masking of credentials in anything that may be printed or logged.

Why: RTSP clients (FFmpeg included) only take credentials inside the URL, and FFmpeg puts that
URL into its error messages. Every string that leaves the gateway for a log, a repr or a
``StreamHealth.detail`` goes through here first.
"""

from __future__ import annotations

import re
from urllib.parse import quote

_USERINFO = re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)(?P<userinfo>[^/@\s'\"]*)@")


def mask_url(text: str) -> str:
    """Replace ``user:pass@`` in every URL inside ``text`` with ``***@``."""
    return _USERINFO.sub(lambda m: f"{m.group('scheme')}***@", text)


def mask_secrets(text: str, *secrets: str) -> str:
    """``mask_url`` plus removal of the given literal secrets (e.g. a password)."""
    out = mask_url(text)
    for secret in secrets:
        if secret:
            out = out.replace(secret, "***")
            quoted = quote(secret, safe="")
            if quoted != secret:
                out = out.replace(quoted, "***")
    return out


def with_credentials(url: str, username: str, password: str) -> str:
    """Put percent-encoded credentials into an rtsp:// URL (for FFmpeg only, never to print)."""
    if not username and not password:
        return url
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise ValueError("not a URL")
    userinfo = quote(username, safe="")
    if password:
        userinfo += ":" + quote(password, safe="")
    return f"{scheme}://{userinfo}@{rest}"
