"""Uploads: the format is sniffed from the content, sizes are limited, names
are labels only, and every refusal is one clear line that changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import REPO, bearer, csrf_of, logged_in, snapshot
from .helpers import png_bytes, tiny_plan, zip_bytes


def _post(client, web, name, data, ctype="application/octet-stream"):
    return client.post("/api/documents", files={"file": (name, data, ctype)}, headers=bearer(web, "office"))


@pytest.mark.parametrize("name", ["sample_plan.docx", "sample_plan.pdf", "sample_plan.html"])
def test_every_format_imports(web, client, name):
    r = _post(client, web, name, (REPO / "samples" / name).read_bytes())
    assert r.status_code in (200, 201), r.text
    assert r.json()["tasks"] >= 20


def test_same_file_twice_is_recognised(web, client):
    data = tiny_plan()
    assert _post(client, web, "a.txt", data).json()["status"] == "new"
    again = _post(client, web, "renamed.txt", data)
    assert again.status_code == 200 and again.json()["status"] == "unchanged"


@pytest.mark.parametrize("name,data,word", [
    ("plan.txt", png_bytes(), "binary"),
    ("plan.docx", zip_bytes(), "not a Word document"),
    ("plan.pdf", b"%PDF-1.7\n%broken", "PDF"),
    ("plan.txt", b"", "empty"),
    ("plan.txt", b"   \n\n ", "empty"),
])
def test_disguised_or_broken_files_are_clear_4xx(web, client, name, data, word):
    before = snapshot(web)
    r = _post(client, web, name, data, "text/plain")
    assert 400 <= r.status_code < 500, r.text
    message = r.json()["error"]
    assert word in message and "\n" not in message and name in message
    assert snapshot(web) == before


def test_oversized_upload_is_413_before_reading(web, client):
    before = snapshot(web)
    big = b"1.task\n" * (300 * 1024 // 7 + 1)  # over the test limit of 256 KB
    r = _post(client, web, "big.txt", big)
    assert r.status_code == 413
    assert r.json() == {"error": "文件过大：上传大小不能超过 256 KB"}
    assert snapshot(web) == before


def test_oversized_chunked_upload_is_413(web, client):
    """No Content-Length: the body is counted as it streams."""
    boundary = "XyZ"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n"
            "Content-Type: text/plain\r\n\r\n").encode()

    def body():
        yield head
        for _ in range(40):
            yield b"x" * 10_000
        yield f"\r\n--{boundary}--\r\n".encode()

    before = snapshot(web)
    r = client.post("/api/documents", content=body(),
                    headers={**bearer(web, "office"), "Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert r.status_code == 413 and "文件过大" in r.json()["error"]
    assert snapshot(web) == before


def test_file_just_under_the_limit_is_read(web, client):
    r = _post(client, web, "ok.txt", tiny_plan() + b"\n" * (200 * 1024))
    assert r.status_code == 201


def test_big_json_body_is_413(web, client):
    r = client.patch(f"/api/tasks/{web.own_task}", json={"progress": "长" * 600_000},
                     headers=bearer(web, "office"))
    assert r.status_code == 413


def test_filename_is_only_a_label(web, client, tmp_path, monkeypatch):
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    r = _post(client, web, "../../../../tmp/evil\n.txt", tiny_plan())
    assert r.status_code == 201
    doc = client.get(f"/api/documents/{r.json()['document_id']}", headers=bearer(web, "office")).json()
    assert "/" not in doc["name"] and "\n" not in doc["name"]
    assert list(cwd.iterdir()) == []
    assert not Path("/tmp/evil\n.txt").exists() and not Path("/tmp/evil?.txt").exists()


def test_upload_page_shows_one_line_error(web):
    c = logged_in(web, "office")
    before = snapshot(web)
    r = c.post("/documents", data={"csrf_token": csrf_of(c, "/documents")},
               files={"file": ("图片.txt", png_bytes(), "text/plain")})
    assert r.status_code == 400
    assert 'id="error"' in r.text and "图片.txt: not a text document" in r.text
    assert snapshot(web) == before


def test_upload_page_imports_and_opens_review(web):
    c = logged_in(web, "office")
    r = c.post("/documents", data={"csrf_token": csrf_of(c, "/documents")},
               files={"file": ("新方案.txt", tiny_plan("青川市测试方案"), "text/plain")})
    assert r.status_code == 303 and r.headers["location"].startswith("/documents/")
    page = c.get(r.headers["location"]).text
    assert "新方案.txt：已导入（共 1 项任务）" in page
    assert "建立测试台账制度" in page


def test_upload_page_too_large(web):
    c = logged_in(web, "office")
    r = c.post("/documents", data={"csrf_token": csrf_of(c, "/documents")},
               files={"file": ("big.txt", b"x" * (400 * 1024), "text/plain")})
    assert r.status_code == 413 and "文件过大" in r.text
