"""Progress reports: submission with evidence, review, and every refusal —
each a one-line DubanError that leaves what was there untouched."""

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from sqlalchemy import func, select

from duban.errors import Conflict, DubanError, PermissionDenied
from duban.ledger import audit
from duban.ledger.fields import InvalidValue
from duban.ledger.models import Task
from duban.supervise import service
from duban.supervise.evidence import EvidenceRefused
from duban.supervise.models import Evidence, ProgressReport

from .conftest import JPG, PDF, PNG, at, docx_bytes, xlsx_bytes

D = dt.date
DAY = D(2025, 4, 20)


def submit(lg, who, prefix, today=DAY, **kw):
    with lg.sf() as s, s.begin():
        kw.setdefault("progress", "已完成方案起草，正在征求意见")
        kw.setdefault("percent", 40)
        return service.submit_report(lg.task(prefix), session=s, actor=s.merge(lg.person(who)),
                                     today=today, now=at(today), settings=lg.settings, **kw)


def review(lg, report_id, action, reason=None, today=D(2025, 4, 28)):
    with lg.sf() as s, s.begin():
        return service.review_report(report_id, action, session=s,
                                     actor=s.merge(lg.person("office")), now=at(today),
                                     reason=reason)


def counts(lg):
    with lg.sf() as s:
        return (s.scalar(select(func.count()).select_from(ProgressReport)),
                s.scalar(select(func.count()).select_from(Evidence)))


def test_submit_with_evidence_and_contribution(ledger):
    files = [("方案.pdf", PDF), ("截图.png", PNG), ("照片.JPG", JPG), ("总结.docx", docx_bytes()),
             ("台账.xlsx", xlsx_bytes())]
    r = submit(ledger, "联络员甲", "推进政务服务", evidence=files,
               problems="需市乙局协调数据共享", contributions={"市乙局": "完成数据接口对接"})
    with ledger.sf() as s:
        row = s.get(ProgressReport, r.id)
        assert row.status == "submitted" and row.cycle.period == "2025-04" and row.percent == 40
        assert [c.unit.name for c in row.contributions] == ["市乙局"]
        kinds = [(e.kind, e.size) for e in row.evidence]
        assert [k for k, _ in kinds] == ["pdf", "png", "jpg", "docx", "xlsx"]
        for e, (_, data) in zip(row.evidence, files):
            stored = Path(ledger.settings.data_dir) / e.path
            assert stored.read_bytes() == data and e.sha256 == hashlib.sha256(data).hexdigest()
        task = s.get(Task, row.task_id)
        assert task.status == "in_progress" and task.progress.startswith("【2025-04】")
        trail = audit.history("progress_report", r.id, session=s)
        assert trail[-1].actor == "联络员甲" and trail[-1].new == "submitted"


def test_co_unit_other_unit_and_office_cannot_submit(ledger):
    before = counts(ledger)
    with pytest.raises(PermissionDenied, match="由牵头单位"):
        submit(ledger, "联络员乙", "推进政务服务")  # 市乙局 is only a co-unit
    with pytest.raises(PermissionDenied, match="不属于本单位"):
        submit(ledger, "联络员丙", "推进政务服务")
    with pytest.raises(PermissionDenied, match="联络员"):
        submit(ledger, "office", "推进政务服务")
    with pytest.raises(InvalidValue, match="其他责任单位"):
        submit(ledger, "联络员甲", "推进政务服务", contributions={"市丙局": "无关"})
    assert counts(ledger) == before


def test_closed_cycle_is_refused(ledger):
    # April's cycle accepts late reports until the day before May's due date (2025-05-25).
    submit(ledger, "联络员乙", "建立涉企收费", today=D(2025, 5, 25), period="2025-04")
    with pytest.raises(Conflict, match="2025-04 报送周期已关闭"):
        submit(ledger, "联络员乙", "健全信用监管", today=D(2025, 5, 26), period="2025-04")
    with pytest.raises(DubanError, match="没有 2025-09"):
        submit(ledger, "联络员乙", "健全信用监管", today=D(2025, 5, 26), period="2025-09")


@pytest.mark.parametrize("name,data,why", [
    ("大文件.pdf", PDF + b"0" * 200_001, "超过"),
    ("病毒.pdf", b"MZ\x90\x00" + b"\x00" * 100, "不是允许的类型"),
    ("截图.pdf", PNG, "扩展名与内容不符"),
    ("说明.txt", PDF, "扩展名与内容不符"),
    ("空.pdf", b"", "空文件"),
    ("截断.pdf", PDF[:20], "不是允许的类型"),
    ("假表格.xlsx", docx_bytes(), "扩展名与内容不符"),
])
def test_bad_evidence_is_refused_and_nothing_is_lost(ledger, name, data, why):
    first = submit(ledger, "联络员甲", "推进政务服务", draft=True, evidence=[("好的.pdf", PDF)])
    before = counts(ledger)
    with pytest.raises(EvidenceRefused, match=why) as e:
        submit(ledger, "联络员甲", "推进政务服务", evidence=[("另一个.png", PNG), (name, data)])
    assert "\n" not in str(e.value)
    assert counts(ledger) == before
    with ledger.sf() as s:
        row = s.get(ProgressReport, first.id)
        assert row.status == "draft" and [x.filename for x in row.evidence] == ["好的.pdf"]


def test_duplicate_submission_is_refused_until_returned(ledger):
    r = submit(ledger, "联络员丙", "优化项目审批")
    with pytest.raises(Conflict, match="不能重复报送"):
        submit(ledger, "联络员丙", "优化项目审批", progress="又报一次")
    with pytest.raises(InvalidValue, match="必须说明理由"):
        review(ledger, r.id, "return", reason="  ")
    review(ledger, r.id, "return", reason="佐证材料不足")
    again = submit(ledger, "联络员丙", "优化项目审批", progress="补充了佐证", percent=60,
                   today=D(2025, 4, 29), period="2025-04", evidence=[("补充.pdf", PDF)])
    assert again.id == r.id
    with ledger.sf() as s:
        row = s.get(ProgressReport, r.id)
        assert (row.status, row.revision, row.progress) == ("submitted", 2, "补充了佐证")
        statuses = [c.new for c in audit.history("progress_report", r.id, session=s)]
        assert statuses == ["submitted", "returned", "submitted"]


def test_draft_is_editable_then_submitted(ledger):
    d1 = submit(ledger, "联络员丁", "强化知识产权", draft=True, progress="", percent=None)
    d2 = submit(ledger, "联络员丁", "强化知识产权", draft=True, progress="草稿二", percent=None)
    assert d1.id == d2.id
    with pytest.raises(InvalidValue, match="完成进度"):
        submit(ledger, "联络员丁", "强化知识产权", progress="写了进展", percent=None)
    with pytest.raises(InvalidValue, match="0–100"):
        submit(ledger, "联络员丁", "强化知识产权", percent=120)
    done = submit(ledger, "联络员丁", "强化知识产权", percent=None, milestone="中心已挂牌")
    assert done.id == d1.id and done.status == "submitted" and done.milestone == "中心已挂牌"


def test_review_accept_and_approve_completion(ledger):
    r = submit(ledger, "联络员甲", "完善市场准入")
    with pytest.raises(PermissionDenied, match="仅督办室"):
        with ledger.sf() as s, s.begin():
            service.review_report(r.id, "accept", session=s, actor=s.merge(ledger.person("联络员甲")),
                                  now=at(DAY))
    assert review(ledger, r.id, "accept").status == "accepted"
    with pytest.raises(Conflict, match="不能采纳"):
        review(ledger, r.id, "accept")
    assert review(ledger, r.id, "approve").status == "approved"
    with ledger.sf() as s:
        task = s.get(Task, ledger.task("完善市场准入"))
        assert task.status == "done"
        last = audit.history("task", task.id, session=s)[-1]
        assert (last.field, last.new, last.actor, last.source) == ("status", "done", "office", "supervise")
    with pytest.raises(Conflict, match="已销号"):
        submit(ledger, "联络员甲", "完善市场准入", today=D(2025, 5, 20))
