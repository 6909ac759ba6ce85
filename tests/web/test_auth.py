"""Login, logout, session expiry and tampering, bearer tokens, CSRF."""

from __future__ import annotations

import base64
import json

import pytest
from fastapi.testclient import TestClient

from .conftest import PASSWORD, csrf_of, logged_in, login, snapshot


def test_login_and_landing(web, client):
    r = login(client, "office")
    assert r.status_code == 303 and r.headers["location"] == "/tasks"
    assert client.get("/api/me").json()["role"] == "office"
    page = client.get("/tasks")
    assert page.status_code == 200 and "督办室" in page.text


def test_liaison_lands_on_its_unit(web, client):
    r = login(client, "liaison")
    assert r.headers["location"].startswith("/units/")
    page = client.get(r.headers["location"])
    assert "市市场监管局" in page.text and "本单位" in page.text


@pytest.mark.parametrize("username,password", [("office", "wrong"), ("nobody", PASSWORD), ("office", "")])
def test_wrong_password(web, client, username, password):
    r = login(client, username, password)
    assert r.status_code == 401
    assert "用户名或密码错误" in r.text
    assert client.get("/api/me").status_code == 401


def test_login_next_is_local_only(web, client):
    token = csrf_of(client)
    r = client.post("/login", data={"username": "viewer", "password": PASSWORD, "csrf_token": token,
                                    "next": "https://evil.example/"})
    assert r.headers["location"] == "/tasks"
    r = client.get("/login?next=//evil.example/")
    assert r.headers["location"] == "/tasks"


def test_pages_redirect_anonymous_to_login(web, client):
    r = client.get("/tasks?status=open")
    assert r.status_code == 303
    assert r.headers["location"] == "/login?next=/tasks%3Fstatus%3Dopen"


def test_logout_needs_csrf_and_ends_session(web):
    c = logged_in(web, "office")
    assert c.post("/logout").status_code == 403  # no token: a forged logout does nothing
    assert c.get("/api/me").status_code == 200
    r = c.post("/logout", data={"csrf_token": csrf_of(c, "/tasks")})
    assert r.status_code == 303 and r.headers["location"] == "/login"
    assert c.get("/api/me").status_code == 401
    assert "已退出登录" in c.get("/login").text


def test_session_expires(web):
    api, page = logged_in(web, "leader"), logged_in(web, "leader")
    web.clock.advance(hours=7, minutes=59)
    assert api.get("/api/me").status_code == 200
    web.clock.advance(minutes=2)
    r = api.get("/api/me")
    assert r.status_code == 401 and r.json() == {"error": "登录已过期，请重新登录"}
    assert api.get("/api/me").status_code == 401  # the stale cookie was dropped
    r = page.get("/tasks")
    assert r.status_code == 303 and "expired=1" in r.headers["location"]
    assert "登录已过期" in page.get(r.headers["location"]).text


def test_expired_cookie_signature_is_rejected(web):
    """The cookie's own signed timestamp is checked too (SessionMiddleware max_age)."""
    import itsdangerous

    c = logged_in(web, "office")
    cookie = c.cookies.get("duban_session")
    data = itsdangerous.TimestampSigner("test-secret").unsign(cookie)

    class OldSigner(itsdangerous.TimestampSigner):
        def get_timestamp(self):
            return super().get_timestamp() - 9 * 3600

    stale = OldSigner("test-secret").sign(data).decode()
    fresh = TestClient(web.app, follow_redirects=False, cookies={"duban_session": stale})
    r = fresh.get("/api/me")
    assert r.status_code == 401 and "过期" in r.json()["error"]


def test_tampered_cookie_is_rejected(web):
    c = logged_in(web, "viewer")
    cookie = c.cookies.get("duban_session")
    payload, rest = cookie.split(".", 1)
    session = json.loads(base64.b64decode(payload + "=="))
    session["uid"] = 1  # try to become someone else
    forged = base64.b64encode(json.dumps(session).encode()).decode() + "." + rest
    evil = TestClient(web.app, follow_redirects=False, cookies={"duban_session": forged})
    assert evil.get("/api/me").status_code == 401


def test_deactivated_person_loses_session_and_token(web):
    from duban.ledger import service

    c = logged_in(web, "liaison")
    with web.sf() as s, s.begin():
        service.get_person("liaison", session=s).active = False
    assert c.get("/api/me").status_code == 401
    r = c.get("/api/me", headers={"Authorization": f"Bearer {web.tokens['liaison']}"})
    assert r.status_code == 401


@pytest.mark.parametrize("header", ["Bearer not-a-token", "Bearer ", "Basic b2ZmaWNlOng="])
def test_bad_bearer_is_401_even_with_a_session(web, header):
    c = logged_in(web, "office")
    r = c.get("/api/tasks", headers={"Authorization": header})
    assert r.status_code == 401 and "error" in r.json()


# ---- CSRF -------------------------------------------------------------------

def _form(web, **extra):
    return {"orig_progress": "", "progress": "伪造的进展", "next": f"/tasks/{web.own_task}", **extra}


@pytest.mark.parametrize("token", [None, "", "wrong-token"])
def test_form_without_valid_csrf_is_403_and_changes_nothing(web, token):
    c = logged_in(web, "office")
    before = snapshot(web)
    data = _form(web) if token is None else _form(web, csrf_token=token)
    r = c.post(f"/tasks/{web.own_task}", data=data)
    assert r.status_code == 403 and "CSRF" in r.text
    assert snapshot(web) == before


def test_form_with_csrf_saves(web):
    c = logged_in(web, "office")
    r = c.post(f"/tasks/{web.own_task}", data=_form(web, csrf_token=csrf_of(c, "/tasks")))
    assert r.status_code == 303
    assert c.get(f"/api/tasks/{web.own_task}").json()["progress"] == "伪造的进展"


def test_csrf_token_of_another_session_is_refused(web):
    a, b = logged_in(web, "office"), logged_in(web, "office")
    before = snapshot(web)
    r = a.post(f"/tasks/{web.own_task}", data=_form(web, csrf_token=csrf_of(b, "/tasks")))
    assert r.status_code == 403 and snapshot(web) == before


def test_login_form_needs_csrf(web, client):
    r = client.post("/login", data={"username": "office", "password": PASSWORD})
    assert r.status_code == 403
    assert client.get("/api/me").status_code == 401


def test_upload_form_needs_csrf(web):
    c = logged_in(web, "office")
    before = snapshot(web)
    r = c.post("/documents", files={"file": ("p.txt", "一、任务\n".encode(), "text/plain")})
    assert r.status_code == 403 and snapshot(web) == before


def test_api_with_session_needs_csrf_header(web):
    c = logged_in(web, "office")
    before = snapshot(web)
    r = c.patch(f"/api/tasks/{web.own_task}", json={"progress": "x"})
    assert r.status_code == 403 and "CSRF" in r.json()["error"]
    r = c.patch(f"/api/tasks/{web.own_task}", json={"progress": "x"}, headers={"X-CSRF-Token": "nope"})
    assert r.status_code == 403 and snapshot(web) == before
    r = c.patch(f"/api/tasks/{web.own_task}", json={"progress": "x"},
                headers={"X-CSRF-Token": csrf_of(c, "/tasks")})
    assert r.status_code == 200


def test_bearer_needs_no_csrf(web, client):
    r = client.patch(f"/api/tasks/{web.own_task}", json={"progress": "脚本写入"},
                     headers={"Authorization": f"Bearer {web.tokens['office']}"})
    assert r.status_code == 200


def test_every_unsafe_page_route_checks_csrf(web):
    """No form route forgets the check: POST without a token is 403 (or 401/422
    before it), never a success."""
    c = logged_in(web, "office")
    before = snapshot(web)
    checked = []
    for path, methods in _routes(web.app.routes):
        if path.startswith("/api/"):
            continue
        url = path.replace("{task_id}", str(web.own_task)).replace("{doc_id}", "1")
        for method in methods & {"POST", "PATCH", "PUT", "DELETE"}:
            r = c.request(method, url, data={"progress": "x", "orig_progress": ""})
            assert r.status_code in (403, 422), (method, url, r.status_code)
            checked.append(f"{method} {path}")
    assert {"POST /login", "POST /logout", "POST /documents", "POST /tasks/{task_id}",
            "POST /tasks/import-xlsx"} <= set(checked)
    assert snapshot(web) == before


def _routes(routes, prefix=""):
    """(path, methods) of every route, through included routers."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _routes(inner.routes, prefix + inner.prefix)
        elif getattr(route, "methods", None):
            yield prefix + route.path, set(route.methods)
