"""`compare DOC_A DOC_B` on real documents."""

import pytest
from sqlalchemy import select

from duban.compare.service import compare_documents, find_document
from duban.compare.vectors import normalize
from duban.errors import DubanError, NotFound
from duban.ledger.models import Document, Task

from .conftest import task_at

# Pairs with the traps: s000 states one measure twice word for word; s003-jiangxi-02
# has a summary table and the full text, so most measures come twice, nearly alike.
PAIRS = [("s000.txt", "s002.txt"), ("s000.txt", "s003-hubei-06.txt"),
         ("s002.txt", "s003-jiangxi-02.txt"), ("s003-henan-02.txt", "s003-henan-07.txt"),
         ("s003-jiangxi-07.txt", "s003-jiangxi-10.txt"), ("s003-jiangxi-02.txt", "s003-hunan-02.txt")]


def _live_ids(session, name: str) -> set[int]:
    return set(session.scalars(select(Task.id).join(Document).where(
        Document.name == name, Task.withdrawn.is_(False))))


@pytest.mark.parametrize("a, b", PAIRS)
def test_sections_are_disjoint_and_cover_every_task(session, a, b):
    c = compare_documents(a, b, session=session)
    for side, only, name in (("a", c.only_a, a), ("b", c.only_b, b)):
        matched = {getattr(m, side).id for m in c.both}
        alone = [t.id for t in only]
        assert len(alone) == len(set(alone))
        assert not matched & set(alone), "a measure listed as matched is also listed as only-in"
        assert matched | set(alone) == _live_ids(session, name)
        # nor is the same measure, written twice in one plan, on both sides of the line
        words = {normalize(getattr(m, side).text) for m in c.both}
        assert not words & {normalize(t.text) for t in only}
    assert all(m.score >= c.threshold for m in c.both)
    one_to_one = [m for m in c.both if not m.extra]
    assert len({m.a.id for m in one_to_one}) == len(one_to_one) == len({m.b.id for m in one_to_one})
    for m in c.both:  # an extra match shares a side with a one-to-one match
        if m.extra:
            assert m.a.id in {o.a.id for o in one_to_one} or m.b.id in {o.b.id for o in one_to_one}


def test_a_measure_stated_twice_is_matched_twice(session):
    """jiangxi-02 states 统一市政公用服务 in its table (line 107) and its text (line 49):
    both are counterparts of s002's measure, neither is "only in B"."""
    c = compare_documents("s002.txt", "s003-jiangxi-02.txt", session=session)
    twice = {task_at(session, "s003-jiangxi-02.txt", 49), task_at(session, "s003-jiangxi-02.txt", 107)}
    matches = [m for m in c.both if m.b.id in twice]
    assert {m.b.id for m in matches} == twice and len({m.a.id for m in matches}) == 1
    assert sum(m.extra for m in matches) == 1


def test_province_plan_and_city_implementation(session):
    """河南省 免证可办 方案 and 新乡市 实施方案: the six measures pair up line by line."""
    c = compare_documents("s003-henan-02.txt", "s003-henan-07.txt", session=session)
    pairs = {(m.a.line, m.b.line) for m in c.both}
    assert {(27, 23), (29, 25), (31, 29), (33, 33), (35, 35), (37, 37)} <= pairs
    assert (c.a.region, c.b.region) == ("河南省", "新乡市")


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
    ("99999999999999999999", "s000.txt", NotFound, "未找到文件"),  # no database integer
    ("²", "s000.txt", NotFound, "未找到文件"),  # a digit to Python, no number to int()
    ("s000.txt\x00", "s002.txt", DubanError, "控制字符"),  # PostgreSQL refuses a NUL
    ("很" * 10_000, "s000.txt", DubanError, "过长"),
])
def test_bad_references(session, a, b, error, message):
    with pytest.raises(error) as e:
        compare_documents(a, b, session=session)
    assert message in str(e.value)
