"""The command-centre page and TLS with a district CA."""

from __future__ import annotations

import re
import subprocess
import sys

from drivers.hub_client import HttpHubTransport
from hub.web import set_admin_token
from station_console.sync.protocol import HelloRequest
from tests.hub.conftest import ROOT, start_hub, stop


def test_console_requires_admin_and_dispatches(hub_process, make_station) -> None:
    st = make_station("console")
    anon = hub_process.client()
    page = anon.get("/console")
    assert page.status_code == 200 and "登录" in page.text and "下发" not in page.text
    r = anon.post(
        "/console/bulletin",
        content=b"title=x",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert "请先登录" in r.text
    assert "登录" in anon.post("/console/login", data={"token": "wrong"}).text
    token = set_admin_token(hub_process.hub.engine, "district-1")
    admin = hub_process.client()
    r = admin.post("/console/login", data={"token": token})
    assert r.status_code == 303
    admin.cookies.set("hub_admin", token, path="/console")
    page = admin.get("/console")
    assert "各派出所同步状态" in page.text and "console" in page.text
    assert "待上传积压" in page.text
    assert "http" not in re.sub(r"<!doctype html>", "", page.text).lower().replace(
        "http-equiv", ""
    )  # no external assets
    r = admin.post(
        "/console/instruction",
        data={"station_id": st.station_id, "title": "立即巡查", "body": "东门"},
    )
    assert r.status_code == 303
    r = admin.post("/console/bulletin", data={"title": "全区通报", "body": "注意防范"})
    assert r.status_code == 303
    engine = st.engine()
    assert engine.sync_once().link == "ok"
    assert st.db.scalar("SELECT title FROM hub_instructions") == "立即巡查"
    assert "全区通报" in [r[0] for r in st.db.query("SELECT title FROM hub_bulletins")]


def test_tls_with_district_ca(tmp_path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "hub", "make-ca", str(tmp_path / "ca")],
        cwd=ROOT,
        capture_output=True,
        check=True,
        timeout=60,
    )
    assert b"server.pem" in out.stdout
    db_url = f"sqlite:///{tmp_path / 'tls.sqlite3'}"
    add = subprocess.run(
        [sys.executable, "-m", "hub", "station", "add", "东城派出所", "--db", db_url],
        cwd=ROOT,
        capture_output=True,
        check=True,
        timeout=60,
        text=True,
    )
    station_id = re.search(r"station_id: (\S+)", add.stdout).group(1)
    token = re.search(r"token: (\S+)", add.stdout).group(1)
    from sqlalchemy import create_engine, text

    eng = create_engine(db_url)
    with eng.connect() as conn:
        stored = conn.execute(text("SELECT token_hash FROM stations")).scalar_one()
    eng.dispose()
    assert token not in stored and len(stored) == 64
    ca = tmp_path / "ca"
    proc, _url = start_hub(
        db_url,
        tmp_path / "tls.log",
        extra=["--certfile", str(ca / "server.pem"), "--keyfile", str(ca / "server.key")],
        scheme="https",
        ca_file=str(ca / "ca.pem"),
    )
    try:
        url = _url
        t = HttpHubTransport(url, token, ca_file=str(ca / "ca.pem"))
        try:
            hello = t.hello(HelloRequest(station_id, "e1", 0))
            assert hello.station_id == station_id
        finally:
            t.close()
        untrusted = HttpHubTransport(url, token)
        try:
            from station_console.sync.transport import HubError

            try:
                untrusted.hello(HelloRequest(station_id, "e1", 0))
            except HubError as exc:
                assert exc.kind == "unreachable"
            else:
                raise AssertionError("an untrusted certificate was accepted")
        finally:
            untrusted.close()
    finally:
        stop(proc)
