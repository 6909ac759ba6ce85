"""The 台账 workbook: a real file out, an edited copy back in as corrections."""

import datetime as dt

import openpyxl
import pytest
from sqlalchemy import select

from duban.errors import DubanError, PermissionDenied
from duban.ledger import flows, service, xlsx
from duban.ledger.models import Change, Task

from .helpers import assert_unit_copies, fixture_source, row_counts, simple_extract


@pytest.fixture
def ledger(session_factory):
    flows.import_document(fixture_source("plan_v1.txt"), session_factory=session_factory,
                          extractor=simple_extract)
    return session_factory


def _export(sf, path, **kw):
    with sf() as s:
        return xlsx.export_xlsx(path, session=s, **kw)


def _rows(ws):
    head = [c.value for c in ws[1]]
    return [dict(zip(head, (c.value for c in row))) for row in ws.iter_rows(min_row=2)]


def test_export_layout(ledger, tmp_path):
    path = tmp_path / "ledger.xlsx"
    assert _export(ledger, path) == 6
    wb = openpyxl.load_workbook(path)
    ws = wb["台账"]
    assert [c.value for c in ws[1]] == list(xlsx.HEADERS)
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:I7"
    assert ws["A1"].font.b and ws.column_dimensions["B"].width == 60
    assert ws.column_dimensions["I"].hidden
    rows = _rows(ws)
    assert [r["序号"] for r in rows] == [1, 2, 3, 4, 5, 6]
    first = rows[0]
    assert first["任务内容"].startswith("推进政务服务事项") and first["牵头单位"] == "市政务服务局"
    assert first["完成时限"] == dt.datetime(2025, 6, 30) and first["状态"] == "未开始"
    assert first["来源文件"] == "plan_v1.txt:6" and isinstance(first["任务ID"], int)
    assert rows[2]["完成时限"] == "长期推进" and rows[1]["责任单位"] == "市人社局、市医保局"


def test_unit_filter_export(ledger, tmp_path):
    assert _export(ledger, tmp_path / "u.xlsx", unit="市发改委") == 2


def _edit(src, dest, edits, sheet="台账"):
    wb = openpyxl.load_workbook(src)
    ws = wb[sheet]
    head = [c.value for c in ws[1]]
    for (row, header), value in edits.items():
        ws.cell(row=row, column=head.index(header) + 1).value = value  # None clears
    wb.save(dest)
    return dest


def test_round_trip_applies_corrections(ledger, tmp_path):
    out = tmp_path / "out.xlsx"
    _export(ledger, out)
    edited = _edit(out, tmp_path / "edited.xlsx", {
        (2, "进展情况"): "已完成系统对接", (2, "状态"): "进行中",
        (3, "完成时限"): dt.datetime(2025, 11, 30), (4, "牵头单位"): "市工商联、市工信局",
        (5, "完成时限"): "2025年12月31日", (6, "完成时限"): "长期坚持"})
    # Unedited: exactly what export wrote must read back as "no change".
    result = xlsx.import_xlsx(edited, session_factory=ledger, actor="office1")
    assert (result.rows, result.tasks_changed) == (6, 5)
    with ledger() as s:
        tasks = service.list_tasks(session=s, order="document")
        assert (tasks[0].progress, tasks[0].status) == ("已完成系统对接", "in_progress")
        assert tasks[1].deadline == dt.date(2025, 11, 30)
        assert service.task_values(tasks[2])["lead_units"] == ["市工商联", "市工信局"]
        assert tasks[3].deadline == dt.date(2025, 12, 31)
        assert tasks[4].ongoing and tasks[4].deadline is None
        rows = list(s.scalars(select(Change).where(Change.source == "xlsx", Change.entity == "task")))
        assert len(rows) == result.changes
        unit = s.scalar(select(Change).where(Change.source == "xlsx", Change.entity == "unit"))
        assert unit.new == "市工信局"  # a unit typed into the sheet is created, audited
        assert {(r.entity_id, r.field) for r in rows} >= {
            (tasks[0].id, "progress"), (tasks[0].id, "status"), (tasks[1].id, "deadline"),
            (tasks[2].id, "lead_units")}
        assert all(r.actor == "office1" and "第" in r.reason for r in rows)
    assert_unit_copies(ledger)
    # Re-importing the same workbook changes nothing more.
    again = xlsx.import_xlsx(edited, session_factory=ledger, actor="office1")
    assert again.tasks_changed == 0 and again.changes == 0


def _assert_rejected(ledger, path, pattern, exc=DubanError):
    before = row_counts(ledger)
    with pytest.raises(exc, match=pattern) as e:
        xlsx.import_xlsx(path, session_factory=ledger, actor="office1")
    assert "\n" not in str(e.value)
    assert row_counts(ledger) == before
    return str(e.value)


def test_bad_date_rejects_whole_workbook(ledger, tmp_path):
    out = tmp_path / "out.xlsx"
    _export(ledger, out)
    bad = _edit(out, tmp_path / "bad.xlsx", {(2, "进展情况"): "先改一行", (5, "完成时限"): "下个月吧"})
    msg = _assert_rejected(ledger, bad, r"bad\.xlsx: 工作表「台账」第5行：完成时限「下个月吧」不是有效日期")
    assert msg.startswith(str(bad))


def test_unknown_task_id_and_bad_status(ledger, tmp_path):
    out = tmp_path / "out.xlsx"
    _export(ledger, out)
    _assert_rejected(ledger, _edit(out, tmp_path / "a.xlsx", {(3, "任务ID"): 99999}),
                     "第3行：未找到任务 99999")
    _assert_rejected(ledger, _edit(out, tmp_path / "b.xlsx", {(4, "状态"): "差不多"}),
                     "第4行：状态「差不多」无效")
    _assert_rejected(ledger, _edit(out, tmp_path / "c.xlsx", {(4, "任务ID"): "abc"}),
                     "第4行：任务ID「abc」无效")
    with ledger() as s:
        dup = s.scalars(select(Task.id).order_by(Task.seq)).first()
    _assert_rejected(ledger, _edit(out, tmp_path / "d.xlsx", {(3, "任务ID"): dup}), "与第2行重复")


def test_malformed_workbooks(ledger, tmp_path):
    not_xlsx = tmp_path / "fake.xlsx"
    not_xlsx.write_text("序号,任务内容\n1,x\n", encoding="utf-8")
    _assert_rejected(ledger, not_xlsx, r"fake\.xlsx: 不是有效的 xlsx 文件")
    wb = openpyxl.Workbook()
    wb.active.title = "Sheet1"
    wb.active.append(["序号", "任务内容", "状态"])
    wb.save(tmp_path / "cols.xlsx")
    _assert_rejected(ledger, tmp_path / "cols.xlsx", "工作表「Sheet1」缺少表头列：任务ID、牵头单位")
    _assert_rejected(ledger, tmp_path / "missing.xlsx", "文件不存在")


def test_liaison_cannot_correct_other_units(ledger, tmp_path):
    with ledger() as s, s.begin():
        liaison = service.create_person("lw", session=s, role="liaison", unit="市工商联",
                                        password="pw", actor="t", source="t")
    out = tmp_path / "out.xlsx"
    _export(ledger, out)
    edited = _edit(out, tmp_path / "e.xlsx", {(4, "进展情况"): "本单位", (2, "进展情况"): "越权"})
    before = row_counts(ledger)
    with pytest.raises(PermissionDenied, match="第2行"):
        xlsx.import_xlsx(edited, session_factory=ledger, actor=liaison)
    assert row_counts(ledger) == before


def test_cleared_deadline_and_date_over_ongoing(ledger, tmp_path):
    out = tmp_path / "out.xlsx"
    _export(ledger, out)
    edited = _edit(out, tmp_path / "e.xlsx", {(2, "完成时限"): None, (4, "完成时限"): "2026/3/31"})
    xlsx.import_xlsx(edited, session_factory=ledger, actor="office1")
    with ledger() as s:
        tasks = service.list_tasks(session=s, order="document")
        assert (tasks[0].deadline, tasks[0].deadline_text, tasks[0].ongoing) == (None, None, False)
        assert (tasks[2].deadline, tasks[2].ongoing) == (dt.date(2026, 3, 31), False)
    again = tmp_path / "again.xlsx"
    _export(ledger, again)
    rows = _rows(openpyxl.load_workbook(again)["台账"])
    assert rows[0]["完成时限"] is None and rows[2]["完成时限"] == dt.datetime(2026, 3, 31)


def test_collective_unit_names_survive_the_round_trip(session_factory, tmp_path):
    """、 inside a unit's name (各县（市、区）…, 各市、州、县…) is not a separator."""
    from duban.extract.model import DocumentInfo, Extraction, Task as XTask

    from .helpers import source

    def ext(src):
        return Extraction(src.name, DocumentInfo(), [XTask(
            src.name, 1, "统筹推进。", lead_units=["各县（市、区）人民政府", "各市、州、县市场监管局"],
            co_units=["市发改委"])])
    flows.import_document(source("c.txt", "统筹推进"), session_factory=session_factory, extractor=ext)
    out = tmp_path / "out.xlsx"
    _export(session_factory, out)
    assert _rows(openpyxl.load_workbook(out)["台账"])[0]["牵头单位"] == (
        "各县（市、区）人民政府、各市、州、县市场监管局")
    assert xlsx.import_xlsx(out, session_factory=session_factory, actor="o").changes == 0
    edited = _edit(out, tmp_path / "e.xlsx", {(2, "牵头单位"): "各市、州、县市场监管局、市商务局",
                                             (2, "责任单位"): "各县（市、区）人民政府，市发改委"})
    xlsx.import_xlsx(edited, session_factory=session_factory, actor="o")
    with session_factory() as s:
        values = service.task_values(service.list_tasks(session=s)[0])
        assert values["lead_units"] == ["各市、州、县市场监管局", "市商务局"]
        assert values["co_units"] == ["各县（市、区）人民政府", "市发改委"]
        assert service.find_unit("州", session=s) is None


def test_split_names_respects_brackets():
    from duban.ledger.fields import split_names

    assert split_names("各县（市、区）人民政府、市发改委") == ["各县（市、区）人民政府", "市发改委"]
    assert split_names("A；B\nC, A") == ["A", "B", "C"]
    assert split_names(["市 发改委", "", "市发改委"]) == ["市发改委"]
