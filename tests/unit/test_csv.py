"""CSV import is all-or-nothing with row-numbered problems; exports carry no secrets."""

from __future__ import annotations

from pathlib import Path

import pytest

from station_console.errors import ImportRejected
from station_console.station import Station

SITES = """name,kind,community,address,latitude,longitude
人民广场,key_place,东城社区,人民路1号,31.2,121.4
西村口,village,西村,,,
"""

OWNERS = """name,kind,contact_person,phone
万达物业,property_company,张三,0571-88888888
"""

CAMERAS = """name,kind,site,owner,serial,mac,gb_id,networked_to_city,install_date
广场东口,dome,人民广场,万达物业,SN1,aa:bb:cc:dd:ee:01,34020000001320000001,yes,2024-01-02
村口,bullet,西村口,,SN2,,,no,
"""


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def load_all(st: Station, tmp_path: Path) -> None:
    st.csv.import_file("sites", write(tmp_path, "s.csv", SITES))
    st.csv.import_file("owners", write(tmp_path, "o.csv", OWNERS))
    st.csv.import_file("cameras", write(tmp_path, "c.csv", CAMERAS))


def test_import_then_export_round_trip(station: Station, tmp_path: Path) -> None:
    load_all(station, tmp_path)
    assert station.inventory.counts() == {"cameras": 2, "sites": 2, "owners": 1, "devices": 0}
    out = tmp_path / "out.csv"
    assert station.csv.export("cameras", out) == 2
    text = out.read_text(encoding="utf-8-sig")
    assert "广场东口" in text and "AA:BB:CC:DD:EE:01" in text
    # Re-importing the export updates instead of duplicating.
    result = station.csv.import_file("cameras", out)
    assert (result.added, result.updated) == (0, 2)
    assert station.inventory.counts()["cameras"] == 2


def test_bad_rows_reject_the_whole_file_with_row_numbers(station: Station, tmp_path: Path) -> None:
    load_all(station, tmp_path)
    before = station.db.scalar("SELECT count(*) FROM cameras")
    outbox = station.db.scalar("SELECT count(*) FROM outbox")
    bad = """name,kind,site,serial,gb_id,mac
ok camera,bullet,人民广场,SN10,,
,bullet,人民广场,SN11,,
bad gb,bullet,人民广场,SN12,123,
bad site,bullet,火星,SN13,,
dup,bullet,人民广场,SN10,,
bad mac,dome,人民广场,SN14,,xyz
"""
    with pytest.raises(ImportRejected) as err:
        station.csv.import_file("cameras", write(tmp_path, "bad.csv", bad))
    problems = [p.render() for p in err.value.problems]
    assert [p.split(":")[0] for p in problems] == ["Row 3", "Row 4", "Row 5", "Row 6", "Row 7"]
    assert any("20 digits" in p for p in problems)
    assert any("火星" in p for p in problems)
    assert station.db.scalar("SELECT count(*) FROM cameras") == before
    assert station.db.scalar("SELECT count(*) FROM outbox") == outbox


def test_chinese_headers_and_gbk_encoding_are_accepted(station: Station, tmp_path: Path) -> None:
    from station_console.i18n import catalog

    name_zh = catalog().translate("fields", "Name")
    kind_zh = catalog().translate("fields", "Kind")
    text = f"{name_zh},{kind_zh}\n东门,village\n"
    result = station.csv.import_file("sites", write(tmp_path, "gbk.csv", text, "gb18030"))
    assert result.added == 1
    assert station.inventory.sites()[0].name == "东门"


def test_unknown_column_is_reported(station: Station, tmp_path: Path) -> None:
    with pytest.raises(Exception, match="Unknown columns: colour"):
        station.csv.import_file(
            "sites", write(tmp_path, "x.csv", "name,kind,colour\na,village,red\n")
        )


def test_export_contains_no_credentials(station: Station, tmp_path: Path) -> None:
    station.inventory.add_camera(
        {"name": "a", "username": "admin", "main_stream_uri": "rtsp://admin:pw@127.0.0.1/x"},
        password="secret-pw",
    )
    out = tmp_path / "c.csv"
    station.csv.export("cameras", out)
    text = out.read_text(encoding="utf-8-sig")
    assert "secret-pw" not in text and "admin:pw" not in text and "username" not in text


def test_import_reports_progress(station: Station, tmp_path: Path) -> None:
    rows = "name,kind\n" + "".join(f"site {i},village\n" for i in range(120))
    seen: list[tuple[int, int]] = []
    station.csv.import_file(
        "sites", write(tmp_path, "p.csv", rows), progress=lambda d, t: seen.append((d, t))
    )
    assert seen[-1] == (120, 120) and len(seen) >= 3
