"""The command-centre page in headless Chromium, against the real hub on loopback.

An officer signs in, sees the district's stations (online or not, last sync, backlog), the
online rate, open faults by station and owner unit, and the incident feed; dispatches an
instruction from an incident and publishes a bulletin with a photo. The station then
receives both (and fetches the photo on request, checked against its SHA-256).
"""

from __future__ import annotations

import hashlib
import json
import struct
import uuid
import zlib

import pytest

from drivers.hub_client import HttpHubTransport
from hub.web import set_admin_token
from station_console.sync.local import record_fault_change
from station_console.sync.transport import HubError
from tests.hub.cdp import Browser, chromium_binary

pytestmark = pytest.mark.skipif(chromium_binary() is None, reason="chromium is not installed")


def png(width: int = 3, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\0" + b"\xff\x00\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def test_command_centre_in_chromium(hub_process, make_station, tmp_path) -> None:
    district = f"district-web-{uuid.uuid4().hex[:6]}"
    admin = set_admin_token(hub_process.hub.engine, district)
    a = make_station("城关派出所", district=district)
    b = make_station("东城派出所", district=district)  # never syncs: offline
    unit, cam, fid, iid = (str(uuid.uuid4()) for _ in range(4))
    with a.db.write() as conn:
        a.outbox.record(conn, "owner_unit", unit, {"id": unit, "name": "市政公司"})
        a.outbox.record(conn, "camera", cam, {"id": cam, "name": "东门", "owner_id": unit})
        a.outbox.record(conn, "incident", iid, {"id": iid, "title": "超市盗窃警情"})
        record_fault_change(
            conn, a.outbox, fid, {"camera_id": cam, "status": "open", "summary": "画面黑屏"}
        )
    engine = a.engine()
    assert engine.sync_once().link == "ok"

    browser = Browser()
    try:
        console = f"{hub_process.url}/console"
        browser.goto(console)
        assert "登录" in browser.js("document.title")
        browser.js(f"document.querySelector('input[name=token]').value = {admin!r}")
        browser.submit("document.querySelector('form')")
        text = browser.js("document.body.innerText")
        assert district in browser.js("document.title")
        assert "辖区在线率：1 / 2（50%）" in text
        rows = browser.js(
            "Array.from(document.querySelectorAll('tr')).map(r => r.innerText.split('\\t'))"
        )
        by_station = {r[0]: r for r in rows if len(r) == 7 and r[1] in ("在线", "离线")}
        assert by_station[a.name][1] == "在线" and by_station[a.name][3] == "0"
        assert by_station[b.name][1] == "离线" and by_station[b.name][2] == "从未同步"
        assert [a.name, "市政公司", "1"] in rows  # open faults by station and owner unit
        assert any(r[:2] == [a.name, "市政公司"] and "画面黑屏" in r for r in rows)
        assert any(r[:2] == [a.name, "超市盗窃警情"] for r in rows)

        # Dispatch an instruction from the incident.
        form = "document.querySelector('form.dispatch')"
        browser.js(f"{form}.querySelector('input[name=title]').value = '立即出警'")
        browser.js(f"{form}.querySelector('input[name=body]').value = '带执法记录仪'")
        browser.submit(form)
        assert "调度" in browser.js("document.body.innerText")

        # A bulletin with a photo.
        photo = tmp_path / "现场.png"
        photo.write_bytes(png())
        browser.js("document.querySelector('#bulletin input[name=title]').value = '协查通报'")
        browser.js("document.querySelector('#bulletin textarea').value = '请留意可疑人员'")
        browser.set_files("#bulletin input[type=file]", [str(photo)])
        browser.submit("document.querySelector('#bulletin')")
        images = browser.js(
            "Array.from(document.querySelectorAll('img.photo'))"
            ".map(i => [i.alt, i.complete, i.naturalWidth, i.naturalHeight])"
        )
        assert ["现场.png", True, 3, 2] in images
        browser.screenshot(tmp_path / "console.png")

        # A file that is not a picture is refused with a message, and nothing is published.
        bad = tmp_path / "virus.png"
        bad.write_bytes(b"MZ not a picture")
        browser.goto(console)
        browser.js("document.querySelector('#bulletin input[name=title]').value = '坏附件'")
        browser.set_files("#bulletin input[type=file]", [str(bad)])
        browser.submit("document.querySelector('#bulletin')")
        assert "不是 JPEG、PNG 或 GIF 图片" in browser.js("document.body.innerText")
        browser.goto(console)
        assert "坏附件" not in browser.js("document.body.innerText")
    finally:
        browser.close()

    # The station receives the instruction (tied to the incident) and the bulletin.
    assert engine.sync_once().link == "ok"
    ins = a.db.query("SELECT title, body, incident_id FROM hub_instructions")
    assert [tuple(r) for r in ins] == [("立即出警", "带执法记录仪", iid)]
    fields = json.loads(a.db.scalar("SELECT fields FROM hub_bulletins WHERE title = '协查通报'"))
    (meta,) = fields["photos"]
    assert meta["sha256"] == hashlib.sha256(png()).hexdigest() and meta["type"] == "image/png"
    transport = HttpHubTransport(hub_process.url, a.token, timeout=10)
    other = make_station("别的分局的所")  # district-1: must not see this district's photo
    foreign = HttpHubTransport(hub_process.url, other.token, timeout=10)
    try:
        assert transport.fetch_media(meta["id"], meta["sha256"]) == png()
        with pytest.raises(HubError):
            foreign.fetch_media(meta["id"], meta["sha256"])
    finally:
        transport.close()
        foreign.close()
