"""The command-centre page (指挥中心): server-rendered Chinese HTML, no external assets.

Protected by a hub-admin token (``python -m hub admin-token``); the hub keeps only its hash,
and the browser holds it in an HttpOnly, SameSite=Strict cookie (which also stops
cross-site form posts).
"""

from __future__ import annotations

import hmac
import json
import secrets
import uuid
from html import escape
from typing import Any
from urllib.parse import parse_qs

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Engine, and_, func, insert, select, update
from starlette.concurrency import run_in_threadpool

from hub.schema import epochs, hub_state, records, stations
from hub.store import Hub, HubReject, hash_token, now_iso

COOKIE = "hub_admin"
KEY = "admin_token_hash"
STATUS_ZH = {
    "open": "待处理",
    "owner_notified": "已通知产权单位",
    "in_repair": "维修中",
    "resolved": "已修复",
    "closed": "已关闭",
}

CSS = """body{font-family:sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse;
margin-bottom:1.5em}td,th{border:1px solid #bbb;padding:4px 8px;text-align:left}
th{background:#eef}h2{margin-top:1.5em}form.inline{display:inline}input,textarea{margin:2px}
.bad{color:#b00}"""


def set_admin_token(engine: Engine, district: str) -> str:
    """Make a new admin token (replacing any old one); returns it once."""
    token = secrets.token_urlsafe(24)
    with engine.begin() as conn:
        done = conn.execute(
            update(hub_state)
            .where(and_(hub_state.c.district_id == district, hub_state.c.key == KEY))
            .values(value=hash_token(token))
        ).rowcount
        if not done:
            conn.execute(
                insert(hub_state).values(district_id=district, key=KEY, value=hash_token(token))
            )
    return token


def _admin_district(engine: Engine, token: str | None) -> str | None:
    if not token:
        return None
    with engine.connect() as conn:
        rows = conn.execute(
            select(hub_state.c.district_id, hub_state.c.value).where(hub_state.c.key == KEY)
        ).all()
    digest = hash_token(token)
    for district, value in rows:
        if hmac.compare_digest(value, digest):
            return str(district)
    return None


def _page(title: str, body: str) -> HTMLResponse:
    return HTMLResponse(
        f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
        f"<h1>{escape(title)}</h1>{body}</body></html>",
        headers={
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
            "Cache-Control": "no-store",
        },
    )


def _table(head: list[str], rows: list[list[str]]) -> str:
    th = "".join(f"<th>{escape(h)}</th>" for h in head)
    trs = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><tr>{th}</tr>{trs or '<tr><td colspan=9>（无）</td></tr>'}</table>"


def _values(state_json: str) -> dict[str, Any]:
    return {k: v[0] for k, v in json.loads(state_json).items()}


def _render(hub: Hub, district: str) -> str:
    with hub.engine.connect() as conn:
        st_rows = conn.execute(
            select(
                stations.c.station_id,
                stations.c.name,
                stations.c.last_sync_at,
                stations.c.clock_drift_ms,
                func.max(epochs.c.last_seq),
                stations.c.reported_backlog,
            )
            .select_from(stations.outerjoin(epochs, epochs.c.station_id == stations.c.station_id))
            .where(stations.c.district_id == district)
            .group_by(
                stations.c.station_id,
                stations.c.name,
                stations.c.last_sync_at,
                stations.c.clock_drift_ms,
                stations.c.reported_backlog,
            )
            .order_by(stations.c.name)
        ).all()
        recs = conn.execute(
            select(
                records.c.entity,
                records.c.entity_id,
                records.c.owner,
                records.c.state,
                records.c.updated_at,
            )
            .where(
                and_(
                    records.c.district_id == district,
                    records.c.deleted.is_(False),
                    records.c.entity.in_(["fault", "incident"]),
                )
            )
            .order_by(records.c.updated_at.desc())
            .limit(500)
        ).all()
    names = {r[0]: r[1] for r in st_rows}
    stations_html = _table(
        ["派出所", "最近同步", "待上传积压", "已接收变更序号", "时钟偏差(秒)"],
        [
            [
                escape(r[1]),
                escape(r[2] or "从未同步"),
                str(r[5] or 0),
                str(r[4] or 0),
                f"<span class='bad'>{r[3] / 1000:.0f}</span>"
                if abs(r[3] or 0) > 60_000
                else f"{(r[3] or 0) / 1000:.0f}",
            ]
            for r in st_rows
        ],
    )
    faults, incidents = [], []
    for entity, eid, owner, state, updated in recs:
        v = _values(state)
        if entity == "fault" and v.get("status") not in ("resolved", "closed"):
            faults.append(
                [
                    escape(names.get(owner, owner)),
                    escape(str(v.get("camera_id", ""))),
                    escape(STATUS_ZH.get(str(v.get("status")), str(v.get("status")))),
                    escape(str(v.get("summary", ""))),
                    escape(updated),
                ]
            )
        elif entity == "incident" and len(incidents) < 50:
            form = (
                "<form class='inline' method='post' action='/console/instruction'>"
                f"<input type='hidden' name='station_id' value='{escape(owner)}'>"
                f"<input type='hidden' name='incident_id' value='{escape(eid)}'>"
                "<input name='title' placeholder='指令标题' required>"
                "<input name='body' placeholder='指令内容'>"
                "<button>下发指令</button></form>"
            )
            incidents.append(
                [
                    escape(names.get(owner, owner)),
                    escape(str(v.get("title", v.get("summary", eid)))),
                    escape(updated),
                    form,
                ]
            )
    options = "".join(f"<option value='{escape(r[0])}'>{escape(r[1])}</option>" for r in st_rows)
    return (
        "<h2>各派出所同步状态</h2>"
        + stations_html
        + "<h2>未关闭的故障工单</h2>"
        + _table(["派出所", "摄像机", "状态", "说明", "更新时间"], faults)
        + "<h2>警情动态</h2>"
        + _table(["派出所", "警情", "更新时间", "调度"], incidents)
        + "<h2>下发调度指令</h2><form method='post' action='/console/instruction'>"
        f"<select name='station_id'>{options}</select>"
        "<input name='title' placeholder='指令标题' required>"
        "<textarea name='body' placeholder='指令内容'></textarea><button>下发</button></form>"
        "<h2>发布通报</h2><form method='post' action='/console/bulletin'>"
        "<input name='title' placeholder='通报标题' required>"
        "<textarea name='body' placeholder='通报内容'></textarea><button>发布</button></form>"
    )


def mount_console(app: FastAPI, hub: Hub) -> None:
    """Add the command-centre routes to the hub app."""

    def district_of(request: Request) -> str | None:
        return _admin_district(hub.engine, request.cookies.get(COOKIE))

    async def form(request: Request) -> dict[str, str]:
        raw = (await request.body())[:65536].decode("utf-8", "replace")
        return {k: v[0].strip()[:2000] for k, v in parse_qs(raw).items()}

    login_form = (
        "<form method='post' action='/console/login'>管理口令："
        "<input type='password' name='token' required><button>登录</button></form>"
    )

    @app.get("/console", response_class=HTMLResponse, include_in_schema=False)
    async def console(request: Request) -> Response:
        district = district_of(request)
        if district is None:
            return _page("分局指挥中心 · 登录", login_form)
        body = await run_in_threadpool(_render, hub, district)
        return _page(f"分局指挥中心 · {district}", body)

    @app.post("/console/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        token = (await form(request)).get("token", "")
        if _admin_district(hub.engine, token) is None:
            return _page("分局指挥中心 · 登录", "<p class='bad'>口令不正确。</p>" + login_form)
        resp = RedirectResponse("/console", status_code=303)
        resp.set_cookie(COOKIE, token, httponly=True, samesite="strict", path="/console")
        return resp

    async def publish(request: Request, entity: str) -> Response:
        district = district_of(request)
        if district is None:
            return _page("分局指挥中心", "<p class='bad'>请先登录。</p>" + login_form)
        data = await form(request)
        if not data.get("title"):
            return _page("分局指挥中心", "<p class='bad'>标题不能为空。</p>")
        fields = {
            "title": data["title"],
            "body": data.get("body", ""),
            "issued_by": "分局指挥中心",
            "issued_at": now_iso(),
        }
        station_id = None
        if entity == "instruction":
            station_id = data.get("station_id", "")
            if data.get("incident_id"):
                fields["incident_id"] = data["incident_id"]
            with hub.engine.connect() as conn:
                known = conn.execute(
                    select(stations.c.station_id).where(
                        and_(
                            stations.c.station_id == station_id, stations.c.district_id == district
                        )
                    )
                ).first()
            if not known:
                return _page("分局指挥中心", "<p class='bad'>没有这个派出所。</p>")
        try:
            await run_in_threadpool(
                hub.publish, district, entity, str(uuid.uuid4()), fields, station_id=station_id
            )
        except HubReject as exc:
            return _page("分局指挥中心", f"<p class='bad'>{escape(exc.message)}</p>")
        return RedirectResponse("/console", status_code=303)

    @app.post("/console/instruction", include_in_schema=False)
    async def instruction(request: Request) -> Response:
        return await publish(request, "instruction")

    @app.post("/console/bulletin", include_in_schema=False)
    async def bulletin(request: Request) -> Response:
        return await publish(request, "bulletin")

    @app.get("/", include_in_schema=False)
    async def root() -> Response:
        return RedirectResponse("/console", status_code=307)
