"""`compare DOC_A DOC_B` on real documents."""

import pytest

from duban.compare.service import compare_documents, find_document
from duban.errors import DubanError, NotFound

from .conftest import task_at


def test_province_plan_and_city_implementation(session):
    """河南省 免证可办 方案 and 新乡市 实施方案: the six measures pair up line by line."""
    c = compare_documents("s003-henan-02.txt", "s003-henan-07.txt", session=session)
    pairs = {(m.a.line, m.b.line) for m in c.both}
    assert {(27, 23), (29, 25), (31, 29), (33, 33), (35, 35), (37, 37)} <= pairs
    assert (c.a.region, c.b.region) == ("河南省", "新乡市")
    assert len(c.both) + len(c.only_a) == c.a.tasks and len(c.both) + len(c.only_b) == c.b.tasks


def test_targets_that_differ(session):
    """荆门 (s000) and 湖北省 (hubei-03): 一业一证 to 28 vs 25 industries."""
    c = compare_documents("s000.txt", "s003-hubei-03.txt", session=session)
    a, b = task_at(session, "s000.txt", 311), task_at(session, "s003-hubei-03.txt", 33)
    match = next(m for m in c.both if m.a.id == a)
    assert match.b.id == b and match.targets_differ
    assert (match.a.targets, match.b.targets) == (["28个以上"], ["25个以上"])
    assert match in c.differ
    same = next(m for m in c.both if m.a.id == task_at(session, "s000.txt", 1264))  # 多报合一
    assert not same.targets_differ and same not in c.differ
    assert c.only_a and c.only_b


def test_documents_by_id_name_or_part_of_title(session):
    doc = find_document("s003-henan-05.txt", session=session)
    assert find_document(str(doc.id), session=session).id == doc.id
    assert find_document("驻马店市", session=session).id == doc.id


@pytest.mark.parametrize("a, b, error, message", [
    ("nope.txt", "s000.txt", NotFound, "未找到文件"),
    ("s000.txt", "s000.txt", DubanError, "两个不同"),
    ("s003", "s000.txt", DubanError, "多个文件"),
    ("", "s000.txt", DubanError, "请指定文件"),
])
def test_bad_references(session, a, b, error, message):
    with pytest.raises(error) as e:
        compare_documents(a, b, session=session)
    assert message in str(e.value)
