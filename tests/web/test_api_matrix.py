"""Every role against every API endpoint, with a bearer token: allowed is
allowed, denied is denied with the right status, and a denied write changes
nothing."""

from __future__ import annotations

import pytest

from .conftest import ROLES, bearer, snapshot
from .helpers import edited_workbook, tiny_plan

ALL = {r: 200 for r in ROLES if r != "anon"} | {"anon": 401}
WRITERS_OWN = {"anon": 401, "office": 200, "liaison": 200, "liaison_other": 403, "leader": 403, "viewer": 403}
WRITERS_OTHER = {**WRITERS_OWN, "liaison": 403, "liaison_other": 200}
OFFICE_ONLY = {"anon": 401, "office": 201, "liaison": 403, "liaison_other": 403, "leader": 403,
               "viewer": 403}

READS = [
    ("GET", "/api/me"),
    ("GET", "/api/documents"),
    ("GET", "/api/documents/1"),
    ("GET", "/api/tasks"),
    ("GET", "/api/tasks?unit=市市场监管局&status=not_started&due_before=2025-12-31&q=检查"),
    ("GET", "/api/tasks/{own}"),
    ("GET", "/api/units"),
    ("GET", "/api/units/市市场监管局"),
    ("GET", "/api/tasks.xlsx"),
]


def _path(web, path: str) -> str:
    return path.format(own=web.own_task, other=web.other_task)


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("method,path", READS)
def test_reads(web, client, who, method, path):
    r = client.request(method, _path(web, path), headers=bearer(web, who))
    assert r.status_code == ALL[who], r.text
    if who == "anon":
        assert r.json() == {"error": "请先登录"}
        assert r.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("target,expected", [("own", WRITERS_OWN), ("other", WRITERS_OTHER)])
def test_patch_task(web, client, who, target, expected):
    task_id = web.own_task if target == "own" else web.other_task
    before = snapshot(web)
    r = client.patch(f"/api/tasks/{task_id}", json={"progress": f"{who} 已推进"},
                     headers=bearer(web, who))
    assert r.status_code == expected[who], r.text
    if r.status_code == 200:
        assert r.json()["progress"] == f"{who} 已推进"
        assert r.json()["history"][-1]["actor"] == who
        assert r.json()["history"][-1]["source"] == "api"
    else:
        assert set(r.json()) == {"error"}
        assert snapshot(web) == before
    if who == "liaison" and target == "other":
        assert "本单位" in r.json()["error"]


@pytest.mark.parametrize("who", ROLES)
def test_upload_document(web, client, who):
    before = snapshot(web)
    r = client.post("/api/documents", files={"file": ("plan.txt", tiny_plan(), "text/plain")},
                    headers=bearer(web, who))
    assert r.status_code == OFFICE_ONLY[who], r.text
    if r.status_code == 201:
        body = r.json()
        assert body["status"] == "new" and body["added"] == 1
    else:
        assert snapshot(web) == before


@pytest.mark.parametrize("who", ROLES)
def test_import_workbook(web, client, who):
    exported = client.get("/api/tasks.xlsx", headers=bearer(web, "office")).content
    edited = edited_workbook(exported, web.own_task, 进展情况="Excel 中填写的进展")
    before = snapshot(web)
    r = client.post("/api/tasks.xlsx", headers=bearer(web, who),
                    files={"file": ("台账.xlsx", edited, "application/octet-stream")})
    assert r.status_code == WRITERS_OWN[who], r.text
    if r.status_code == 200:
        assert r.json()["tasks_changed"] == 1
    else:
        assert snapshot(web) == before


def test_unknown_task_is_404_for_every_reader(web, client):
    for who in ROLES[1:]:
        r = client.get("/api/tasks/999999", headers=bearer(web, who))
        assert r.status_code == 404 and "999999" in r.json()["error"]
    r = client.patch("/api/tasks/999999", json={"progress": "x"}, headers=bearer(web, "office"))
    assert r.status_code == 404
