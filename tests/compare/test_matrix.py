"""The reform adoption matrix on the real corpus, and its xlsx export."""

import pytest

from duban.compare import export, reforms
from duban.compare.text import squash
from duban.errors import DubanError


def test_yiye_yizheng_row_with_regions_and_targets(corpus, session):
    m = reforms.matrix(session)
    row = m.row("一业一证")
    assert row is not None and row.source == "list"
    expected = {p.name for p in corpus.files if "一业一证" in squash(corpus.text(p.name))}
    assert {d for c in row.cells.values() for d in c.documents} == expected
    cells = {c.region: c for c in row.cells.values()}
    assert len(cells) >= 5
    assert "28个以上" in cells["荆门市"].targets and "19个" in cells["荆门市"].targets
    assert cells["湖北省"].targets == ["25个以上"]
    assert cells["荆州市"].targets == ["29个"] and cells["鄂州市"].targets == ["19个"]
    assert all(c.task_ids for c in row.cells.values())
    assert [code for code, _ in m.regions] == sorted(code for code, _ in m.regions if code) + (
        [""] if any(code == "" for code, _ in m.regions) else [])


def test_quoted_names_recurring_in_two_documents_are_rows(session):
    m = reforms.matrix(session)
    names = {r.name for r in m.rows}
    assert {"双随机、一公开", "放管服", "多报合一", "一照多址", "免申即享", "首席服务员"} <= names
    assert not names & {"一站式", "十四五", "一刀切", "赣服通"}  # excluded as generic
    quoted = [r for r in m.rows if r.source == "quoted"]
    assert quoted and all(len({d for c in r.cells.values() for d in c.document_ids}) >= 2
                          for r in quoted)


def test_a_user_list(session, tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("min_documents: 99\ninclude:\n  - name: 首席服务员\n  - name: 开办即开户\n"
                    "    aliases: [银行开户]\n", encoding="utf-8")
    m = reforms.matrix(session, reform_list=reforms.load_list(path))
    assert {r.name for r in m.rows} == {"首席服务员", "开办即开户"}


@pytest.mark.parametrize("body", ["include: [{aliases: [x]}]", "- just a list", "include: [\n"])
def test_bad_lists_are_clear_errors(tmp_path, body):
    path = tmp_path / "bad.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(DubanError):
        reforms.load_list(path)


def test_xlsx_export(session, tmp_path):
    from openpyxl import load_workbook

    m = reforms.matrix(session)
    out = tmp_path / "matrix.xlsx"
    assert export.write_xlsx(m, out) == len(m.rows)
    wb = load_workbook(out)
    ws = wb["改革事项×地区"]
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == "一业一证")
    cell = dict(zip(header, row))
    assert cell["荆门市"].startswith("✓") and "28个以上" in cell["荆门市"]
    assert cell["湖北省"] == "✓ 25个以上"
    detail = [r for r in wb["明细"].iter_rows(min_row=2, values_only=True) if r[0] == "一业一证"]
    assert len(detail) == sum(len(c.documents) for c in m.row("一业一证").cells.values())
