"""The whole shared corpus goes through the real import: nothing fails, a second
run recognises every document, and the export holds every live task."""

import openpyxl
import pytest

from duban.ledger import flows, service, xlsx

pytestmark = pytest.mark.corpus


def test_whole_corpus_imports_and_reimports_unchanged(session_factory, corpus_dir, tmp_path):
    pytest.importorskip("duban.extract")
    files = sorted(p for p in corpus_dir.iterdir() if p.is_file())
    first = [flows.import_document(p, session_factory=session_factory) for p in files]
    assert {r.status for r in first} == {"new"}, [(r.name, r.status) for r in first]
    total = sum(r.tasks for r in first)
    assert total > 500
    again = [flows.import_document(p, session_factory=session_factory) for p in files]
    assert {r.status for r in again} == {"unchanged"}
    with session_factory() as s:
        assert service.count_tasks(session=s) == total
        n = xlsx.export_xlsx(tmp_path / "all.xlsx", session=s)
    assert n == total
    ws = openpyxl.load_workbook(tmp_path / "all.xlsx", read_only=True)["台账"]
    assert sum(1 for _ in ws.iter_rows(values_only=True)) == total + 1
