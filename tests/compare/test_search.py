"""Search on the real corpus (SQLite and PostgreSQL): every document that has a
term is found, 2-character terms work, filters narrow, snippets mark matches.
Expected sets are computed by scanning the corpus files, never hard-coded."""

import pytest
from sqlalchemy import select

from duban.compare import search as S
from duban.compare.text import QueryError, squash
from duban.errors import NotFound
from duban.ledger.models import Task

REFORMS = ["一业一证", "一照多址", "免申即享", "首席服务员"]


def _files_with(corpus, term: str) -> set[str]:
    return {p.name for p in corpus.files if term in squash(corpus.text(p.name))}


def _live_tasks_with(session, *terms: str) -> set[int]:
    rows = session.execute(select(Task.id, Task.text).where(Task.withdrawn.is_(False))).all()
    return {i for i, t in rows if all(term in squash(t) for term in terms)}


@pytest.mark.parametrize("term", REFORMS)
def test_a_reform_search_finds_every_document_and_task_that_has_it(corpus, session, term):
    expected_docs = _files_with(corpus, term)
    assert len(expected_docs) >= 3  # the reform recurs across the compilation
    result = S.search(term, session=session, limit=200)
    assert {d.doc for d in result.documents} == expected_docs
    assert {h.id for h in result.tasks} == _live_tasks_with(session, term)
    assert result.total == len(result.tasks) and not result.capped
    assert all(f"<mark>{term}</mark>" in h.snippet for h in result.tasks)
    assert all(d.count >= 1 and "<mark>" in d.snippet for d in result.documents)


def test_yiye_yizheng_spans_several_regions(session):
    result = S.search("一业一证", session=session, limit=200)
    codes = {h.region_code for h in result.tasks}
    assert {"420800", "420700", "420000", "421000", "410500"} <= codes  # 荆门 鄂州 湖北 荆州 安阳


def test_two_character_terms(session):
    hits, total, capped = S.search_tasks(["企业"], session=session, limit=200)
    assert total == len(_live_tasks_with(session, "企业")) > 100 and not capped
    hits, total, _ = S.search_tasks(["企业", "开办"], session=session, limit=200)
    assert {h.id for h in hits} == _live_tasks_with(session, "企业", "开办")


def test_terms_are_anded_and_ranked(session):
    result = S.search("一业一证 行业", session=session, limit=50)
    assert {h.id for h in result.tasks} == _live_tasks_with(session, "一业一证", "行业")
    scores = [h.score for h in result.tasks]
    assert scores == sorted(scores, reverse=True)


def test_cap_bounds_the_work(session):
    hits, total, capped = S.search_tasks(["企业"], session=session, limit=5, cap=50)
    assert (len(hits), total, capped) == (5, 50, True)


def test_a_term_found_nowhere(session):
    result = S.search("量子纠缠", session=session)
    assert result.tasks == [] and result.documents == [] and result.total == 0


@pytest.mark.parametrize("region, prefix", [("湖北", "42"), ("荆门市", "4208"), ("410000", "41"),
                                            ("驻马店", "4117")])
def test_region_filter(session, region, prefix):
    result = S.search("企业", session=session, filters=S.Filters(region=region), limit=200)
    assert result.tasks and all(h.region_code.startswith(prefix) for h in result.tasks)
    assert result.documents and all(d.region_code.startswith(prefix) for d in result.documents)


def test_year_issuer_status_and_unit_filters(session):
    by_year = S.search("企业", session=session, filters=S.Filters(year="2022"), limit=200)
    assert by_year.tasks and {h.year for h in by_year.tasks} == {2022}
    by_issuer = S.search("企业", session=session, filters=S.Filters(issuer="郑州市"), limit=200)
    assert by_issuer.tasks and {h.doc for h in by_issuer.tasks} == {"s003-henan-09.txt"}
    done = S.search("企业", session=session, filters=S.Filters(status="已完成"))
    assert done.tasks == []  # nothing is done in a freshly imported ledger
    open_ = S.search("企业", session=session, filters=S.Filters(status="not_started"), limit=5)
    assert open_.tasks
    unit = next(h.lead_units[0] for h in S.search("一业一证", session=session, limit=50).tasks
                if h.lead_units)
    by_unit = S.search("一业一证", session=session, filters=S.Filters(unit=unit), limit=50)
    assert by_unit.tasks
    ids = {h.id for h in by_unit.tasks}
    owned = {t.id for t in session.scalars(select(Task)) if any(u.unit.name == unit for u in t.units)}
    assert ids <= owned


@pytest.mark.parametrize("filters, error", [
    (S.Filters(region="火星"), "未知地区"),
    (S.Filters(year="二〇二三"), "年份"),
    (S.Filters(status="坏"), "状态"),
])
def test_bad_filters_are_clear_errors(session, filters, error):
    with pytest.raises(Exception) as e:
        S.search("企业", session=session, filters=filters)
    assert error in str(e.value)


def test_unknown_unit_is_not_found(session):
    with pytest.raises(NotFound):
        S.search("企业", session=session, filters=S.Filters(unit="不存在的单位"))


@pytest.mark.parametrize("limit, offset", [(0, 0), (201, 0), ("x", 0), (10, -1)])
def test_paging_bounds(session, limit, offset):
    with pytest.raises(QueryError):
        S.search("企业", session=session, limit=limit, offset=offset)


def test_paging_walks_the_ranking(session):
    first = S.search("企业", session=session, limit=10)
    second = S.search("企业", session=session, limit=10, offset=10)
    assert not {h.id for h in first.tasks} & {h.id for h in second.tasks}
    assert first.tasks[-1].score >= second.tasks[0].score
