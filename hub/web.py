"""The command-centre page (指挥中心): server-rendered Chinese HTML, no external assets.

Protected by a hub-admin token (``python -m hub admin-token``); the hub keeps only its hash,
and the browser holds it in an HttpOnly, SameSite=Strict cookie (which also stops
cross-site form posts).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from email import policy
from email.parser import BytesParser
from html import escape
from typing import Any
from urllib.parse import parse_qs

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Engine, and_, func, insert, or_, select, update
from starlette.concurrency import run_in_threadpool

from hub.schema import epochs, hub_state, media, records, stations
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

# A station that synced within this window counts as online (it syncs every 30 s and, when
# its link fails, retries at least every 30 s).
ONLINE_WINDOW = timedelta(minutes=2)
# Shift handovers listed, newest first.
DUTY_LOGS_SHOWN = 30
MAX_PHOTOS = 5
MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_FORM_BYTES = MAX_PHOTOS * MAX_PHOTO_BYTES + 65536
# Accepted photo formats, by their first bytes (the browser's content type is not trusted).
PHOTO_MAGIC = {
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"GIF8": "image/gif",
}

CSS = """body{font-family:sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse;
margin-bottom:1.5em}td,th{border:1px solid #bbb;padding:4px 8px;text-align:left}
th{background:#eef}h2{margin-top:1.5em}form.inline{display:inline}input,textarea{margin:2px}
.bad{color:#b00}.ok{color:#070}.rate{font-size:1.3em}img.photo{max-width:160px;max-height:120px;
margin:2px;border:1px solid #bbb}"""


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


def _page(title: str, body: str, *, status: int = 200) -> HTMLResponse:
    return HTMLResponse(
        status_code=status,
        content=(
            f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
            f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
            f"<h1>{escape(title)}</h1>{body}</body></html>"
        ),
        headers={
            "Content-Security-Policy": (
                "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'"
            ),
            "Cache-Control": "no-store",
        },
    )


def _table(head: list[str], rows: list[list[str]]) -> str:
    th = "".join(f"<th>{escape(h)}</th>" for h in head)
    trs = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><tr>{th}</tr>{trs or '<tr><td colspan=9>（无）</td></tr>'}</table>"


def _values(state_json: str) -> dict[str, Any]:
    return {k: v[0] for k, v in json.loads(state_json).items()}


def _online(last_sync_at: str | None, now: datetime) -> bool:
    if not last_sync_at:
        return False
    try:
        return now - datetime.fromisoformat(last_sync_at) <= ONLINE_WINDOW
    except ValueError:
        return False


def _render(hub: Hub, district: str, *, now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
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
                    records.c.entity.in_(["fault", "incident", "bulletin"]),
                )
            )
            .order_by(records.c.updated_at.desc())
            .limit(2000)
        ).all()
        # Cameras and owner units name the owner of each faulty camera.
        refs = conn.execute(
            select(records.c.entity, records.c.entity_id, records.c.owner, records.c.state).where(
                and_(
                    records.c.district_id == district,
                    records.c.entity.in_(["camera", "owner_unit"]),
                )
            )
        ).all()
        duty_rows = conn.execute(
            select(records.c.entity_id, records.c.owner, records.c.state)
            .where(
                and_(
                    records.c.district_id == district,
                    records.c.deleted.is_(False),
                    records.c.entity == "duty_log",
                )
            )
            .order_by(records.c.updated_at.desc())
            .limit(DUTY_LOGS_SHOWN)
        ).all()
        # Each shown shift's plans (a patrol log's id starts with its duty log's).
        patrol_rows = (
            conn.execute(
                select(records.c.state).where(
                    and_(
                        records.c.district_id == district,
                        records.c.deleted.is_(False),
                        records.c.entity == "patrol_log",
                        or_(
                            *(
                                records.c.entity_id.startswith(f"{r[0]}:plan:", autoescape=True)
                                for r in duty_rows
                            )
                        ),
                    )
                )
            ).all()
            if duty_rows
            else []
        )
        # Each station's camera health: its roll-up for today (UTC days, as the station
        # keeps them), else yesterday's.
        health: dict[str, dict[str, Any]] = {}
        for day in (now, now - timedelta(days=1)):
            for owner, state in conn.execute(
                select(records.c.owner, records.c.state).where(
                    and_(
                        records.c.district_id == district,
                        records.c.entity == "health_rollup",
                        records.c.entity_id.endswith(f":health:{day:%Y-%m-%d}", autoescape=True),
                    )
                )
            ):
                health.setdefault(owner, _values(state))
    names = {r[0]: r[1] for r in st_rows}
    online = [r for r in st_rows if _online(r[2], now)]
    rate = f"{100 * len(online) / len(st_rows):.0f}%" if st_rows else "—"
    summary = (
        f"<p class='rate' id='online-rate'>辖区在线率：{len(online)} / {len(st_rows)}（{rate}）</p>"
        + _camera_rate(health)
    )
    stations_html = _table(
        [
            "派出所",
            "连接",
            "最近同步",
            "待上传积压",
            "已接收变更序号",
            "时钟偏差(秒)",
            "摄像机在线率",
        ],
        [
            [
                escape(r[1]),
                "<span class='ok'>在线</span>"
                if _online(r[2], now)
                else "<span class='bad'>离线</span>",
                escape(r[2] or "从未同步"),
                str(r[5] or 0),
                str(r[4] or 0),
                f"<span class='bad'>{r[3] / 1000:.0f}</span>"
                if abs(r[3] or 0) > 60_000
                else f"{(r[3] or 0) / 1000:.0f}",
                _station_camera_rate(health.get(r[0])),
            ]
            for r in st_rows
        ],
    )
    camera_owner: dict[tuple[str, str], str] = {}
    unit_name: dict[tuple[str, str], str] = {}
    for entity, eid, owner, state in refs:
        v = _values(state)
        if entity == "camera":
            camera_owner[(owner, eid)] = str(v.get("owner_id") or "")
        else:
            unit_name[(owner, eid)] = str(v.get("name") or eid)
    faults, incidents, bulletins = [], [], []
    by_owner: dict[tuple[str, str], int] = {}
    for entity, eid, owner, state, updated in recs:
        v = _values(state)
        if entity == "fault" and v.get("status") not in ("resolved", "closed"):
            unit_id = camera_owner.get((owner, str(v.get("camera_id", ""))), "")
            unit = unit_name.get((owner, unit_id), "未登记产权单位")
            key = (names.get(owner, owner), unit)
            by_owner[key] = by_owner.get(key, 0) + 1
            faults.append(
                [
                    escape(names.get(owner, owner)),
                    escape(unit),
                    escape(str(v.get("camera_id", ""))),
                    escape(STATUS_ZH.get(str(v.get("status")), str(v.get("status")))),
                    escape(str(v.get("summary", ""))),
                    escape(updated),
                ]
            )
        elif entity == "incident" and len(incidents) < 50:
            form = (
                "<form class='inline dispatch' method='post' action='/console/instruction'>"
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
        elif entity == "bulletin" and len(bulletins) < 20:
            photos = v.get("photos") if isinstance(v.get("photos"), list) else []
            imgs = "".join(
                f"<img class='photo' alt='{escape(str(ph.get('name', '')))}' "
                f"src='/console/media/{escape(str(ph.get('id', '')))}'>"
                for ph in photos
                if isinstance(ph, dict)
            )
            bulletins.append(
                [
                    escape(str(v.get("title", ""))),
                    escape(str(v.get("body", ""))),
                    imgs or "（无）",
                    escape(str(v.get("issued_at", updated))),
                ]
            )
    duty_html = _duty_table(duty_rows, patrol_rows, names)
    options = "".join(f"<option value='{escape(r[0])}'>{escape(r[1])}</option>" for r in st_rows)
    return (
        "<h2>各派出所同步状态</h2>"
        + summary
        + stations_html
        + "<h2>未关闭的故障工单（按派出所、产权单位）</h2>"
        + _table(
            ["派出所", "产权单位", "未关闭工单"],
            [[escape(k[0]), escape(k[1]), str(n)] for k, n in sorted(by_owner.items())],
        )
        + "<h2>未关闭的故障工单</h2>"
        + _table(["派出所", "产权单位", "摄像机", "状态", "说明", "更新时间"], faults)
        + "<h2>值班交接与网上巡控</h2>"
        + duty_html
        + "<h2>警情动态</h2>"
        + _table(["派出所", "警情", "更新时间", "调度"], incidents)
        + "<h2>下发调度指令</h2><form id='instruction' method='post' "
        "action='/console/instruction'>"
        f"<select name='station_id'>{options}</select>"
        "<input name='title' placeholder='指令标题' required>"
        "<textarea name='body' placeholder='指令内容'></textarea><button>下发</button></form>"
        "<h2>发布通报</h2><form id='bulletin' method='post' action='/console/bulletin' "
        "enctype='multipart/form-data'>"
        "<input name='title' placeholder='通报标题' required>"
        "<textarea name='body' placeholder='通报内容'></textarea>"
        f"<label>照片（最多 {MAX_PHOTOS} 张，每张不超过 {MAX_PHOTO_BYTES // 1024 // 1024} MB）："
        "<input type='file' name='photo' accept='image/jpeg,image/png,image/gif' multiple>"
        "</label><button>发布</button></form>"
        "<h2>最近的通报</h2>" + _table(["标题", "内容", "照片", "发布时间"], bulletins)
    )


def _camera_rate(health: dict[str, dict[str, Any]]) -> str:
    """The district's camera online rate: online checks / checks over the stations' days."""
    checks = sum(int(v.get("checks") or 0) for v in health.values())
    online = sum(int(v.get("online") or 0) for v in health.values())
    if not checks:
        return "<p class='rate' id='camera-rate'>辖区摄像机在线率：暂无数据</p>"
    return (
        f"<p class='rate' id='camera-rate'>辖区摄像机在线率：{100 * online / checks:.1f}%"
        f"（{len(health)} 个派出所上报）</p>"
    )


def _station_camera_rate(v: dict[str, Any] | None) -> str:
    """A station's camera online rate for its day, with the cameras down now."""
    if not v or not v.get("checks"):
        return "未上报"
    rate = (
        f"{100 * int(v.get('online') or 0) / int(v['checks']):.1f}%（{escape(str(v.get('day')))}）"
    )
    states = v.get("cameras_by_state")
    down = int(states.get("offline", 0)) if isinstance(states, dict) else 0
    return rate + (f" <span class='bad'>离线 {down} 路</span>" if down else "")


def _duty_table(duty_rows: Any, patrol_rows: Any, names: dict[str, str]) -> str:
    """Recent shift handovers, each with its patrol plans' coverage during the shift."""
    plans: dict[str, list[dict[str, Any]]] = {}
    for (state,) in patrol_rows:
        v = _values(state)
        plans.setdefault(str(v.get("duty_log_id", "")), []).append(v)
    open_zh = {"incident": "警情", "fault": "故障", "watch": "临时关注"}
    rows = []
    for duty_id, owner, state in duty_rows:
        v = _values(state)
        coverage = "；".join(
            f"{escape(str(p.get('plan_name', '')))} {int(p.get('covered') or 0)}/"
            f"{int(p.get('planned') or 0)}"
            + (
                f"（漏巡 {len(p['missed'])} 路）"
                if isinstance(p.get("missed"), list) and p["missed"]
                else ""
            )
            for p in sorted(plans.get(duty_id, []), key=lambda p: str(p.get("plan_name", "")))
        )
        raw = v.get("open_items")
        items: dict[str, Any] = raw if isinstance(raw, dict) else {}
        open_text = "、".join(
            f"{open_zh.get(str(k), escape(str(k)))} {int(n)}" for k, n in sorted(items.items())
        )
        rows.append(
            [
                escape(names.get(owner, owner)),
                escape(str(v.get("officer_name", ""))),
                escape(f"{v.get('started_at', '')} — {v.get('ended_at', '')}"),
                coverage or "（无巡控方案）",
                open_text or "无",
                escape(str(v.get("handover_note", ""))),
            ]
        )
    return _table(["派出所", "值班民警", "值班时段", "网上巡控覆盖", "未结事项", "交接说明"], rows)


class FormError(Exception):
    """A form the page cannot take, with the sentence to show (Chinese)."""


async def _read_form(request: Request) -> tuple[dict[str, str], list[tuple[str, bytes]]]:
    """Text fields and uploaded files of a urlencoded or multipart form, size-limited."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_FORM_BYTES:
            raise FormError("提交的内容太大。")
        chunks.append(chunk)
    raw = b"".join(chunks)
    ctype = request.headers.get("content-type", "")
    if not ctype.lower().startswith("multipart/form-data"):
        text = raw[:65536].decode("utf-8", "replace")
        return {k: v[0].strip()[:2000] for k, v in parse_qs(text).items()}, []
    head = f"Content-Type: {ctype}\r\nMIME-Version: 1.0\r\n\r\n".encode("utf-8", "replace")
    try:
        msg = BytesParser(policy=policy.HTTP).parsebytes(head + raw)
    except Exception as exc:  # the stdlib parser is lenient, but never trust that
        raise FormError("无法读取提交的表单。") from exc
    if not msg.is_multipart():
        raise FormError("无法读取提交的表单。")
    fields: dict[str, str] = {}
    files: list[tuple[str, bytes]] = []
    for part in msg.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if not isinstance(name, str) or not isinstance(payload, bytes):
            continue
        filename = part.get_filename()
        if filename is not None:
            if payload:
                files.append((str(filename)[:200], payload))
        elif name not in fields:
            fields[name] = payload.decode("utf-8", "replace").strip()[:2000]
    return fields, files


def _check_photos(files: list[tuple[str, bytes]]) -> list[tuple[str, str, bytes]]:
    """(name, content type, bytes) of each photo, or a FormError naming the bad one."""
    if len(files) > MAX_PHOTOS:
        raise FormError(f"最多只能附 {MAX_PHOTOS} 张照片。")
    out = []
    for name, data in files:
        if len(data) > MAX_PHOTO_BYTES:
            raise FormError(f"照片 {name} 超过 {MAX_PHOTO_BYTES // 1024 // 1024} MB。")
        kind = next((t for magic, t in PHOTO_MAGIC.items() if data.startswith(magic)), None)
        if kind is None:
            raise FormError(f"{name} 不是 JPEG、PNG 或 GIF 图片。")
        out.append((name, kind, data))
    return out


def _store_photos(
    engine: Engine, district: str, photos: list[tuple[str, str, bytes]]
) -> list[dict[str, Any]]:
    """Keep the photos; returns the metadata that travels in the bulletin's fields."""
    meta = []
    with engine.begin() as conn:
        for name, kind, data in photos:
            media_id = str(uuid.uuid4())
            digest = hashlib.sha256(data).hexdigest()
            conn.execute(
                insert(media).values(
                    district_id=district,
                    media_id=media_id,
                    sha256=digest,
                    content_type=kind,
                    name=name,
                    size=len(data),
                    data=data,
                    created_at=now_iso(),
                )
            )
            meta.append(
                {"id": media_id, "sha256": digest, "name": name, "type": kind, "size": len(data)}
            )
    return meta


def media_response(engine: Engine, district: str, media_id: str) -> Response:
    """A stored photo of ``district``, or 404 (also for another district's photo)."""
    with engine.connect() as conn:
        row = conn.execute(
            select(media.c.content_type, media.c.data, media.c.sha256).where(
                and_(media.c.media_id == media_id[:64], media.c.district_id == district)
            )
        ).first()
    if row is None:
        return Response(status_code=404)
    return Response(
        content=bytes(row[1]),
        media_type=row[0],
        headers={"ETag": f'"{row[2]}"', "Cache-Control": "private, max-age=86400"},
    )


def mount_console(app: FastAPI, hub: Hub) -> None:
    """Add the command-centre routes to the hub app."""

    def district_of(request: Request) -> str | None:
        return _admin_district(hub.engine, request.cookies.get(COOKIE))

    async def form(request: Request) -> dict[str, str]:
        fields, _files = await _read_form(request)
        return fields

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
        try:
            data, files = await _read_form(request)
            photos = _check_photos(files) if entity == "bulletin" else []
        except FormError as exc:
            return _page("分局指挥中心", f"<p class='bad'>{escape(str(exc))}</p>", status=400)
        if not data.get("title"):
            return _page("分局指挥中心", "<p class='bad'>标题不能为空。</p>", status=400)
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
        if photos:
            fields["photos"] = await run_in_threadpool(_store_photos, hub.engine, district, photos)
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

    @app.get("/console/media/{media_id}", include_in_schema=False)
    async def console_media(request: Request, media_id: str) -> Response:
        district = district_of(request)
        if district is None:
            return Response(status_code=401)
        return await run_in_threadpool(media_response, hub.engine, district, media_id)

    @app.get("/", include_in_schema=False)
    async def root() -> Response:
        return RedirectResponse("/console", status_code=307)
