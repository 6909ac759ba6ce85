"""Similar measures on the real corpus against our own gold (gold/NOTES.md)."""

import pytest

from duban.compare import evaluate as E
from duban.compare.similar import similar
from duban.errors import NotFound

from .conftest import GOLD, task_at

# (query, known counterpart): one per reform the issue names, and two city
# implementations of a provincial plan.
CHOSEN = [
    (("s000.txt", 1264), ("s003-hubei-03.txt", 43)),  # 多报合一
    (("s002.txt", 54), ("s003-hubei-03.txt", 27)),  # 一照多址
    (("s000.txt", 187), ("s003-hubei-03.txt", 25)),  # 首席服务员
    (("s003-henan-09.txt", 69), ("s003-hubei-09.txt", 25)),  # 免申即享
    (("s000.txt", 311), ("s003-hubei-03.txt", 33)),  # 一业一证 28 vs 25
    (("s003-henan-02.txt", 35), ("s003-henan-07.txt", 35)),  # 省方案 vs 新乡实施方案
    (("s003-jiangxi-06.txt", 21), ("s003-jiangxi-07.txt", 21)),  # 开办即开户
]


@pytest.mark.parametrize("query, counterpart", CHOSEN)
def test_known_counterparts_are_in_the_top_five(session, query, counterpart):
    result = similar(task_at(session, *query), session=session, k=5)
    assert task_at(session, *counterpart) in [h.id for h in result.hits]


def test_results_come_from_other_plans_best_first_with_context(session):
    query = task_at(session, "s000.txt", 311)
    result = similar(query, session=session, k=10)
    assert result.task.id == query and result.method == "exact"
    scores = [h.score for h in result.hits]
    # up to k, best first; noise under min_score (0.05) is not shown
    assert scores == sorted(scores, reverse=True) and 5 <= len(scores) <= 10
    assert min(scores) >= 0.05
    assert all(h.doc != "s000.txt" for h in result.hits)
    top = result.hits[0]
    assert top.region == "湖北省" and top.targets == ["25个以上"] and top.lead_units
    assert result.task.targets == ["28个以上"]


@pytest.mark.parametrize("full_limit, floor", [(30_000, 0.9), (0, 0.85)])
def test_gold_precision_at_5(session, full_limit, floor):
    """Every gold pair (both directions): the exact path, and the index path big
    ledgers take (candidates from the search index, scored the same way)."""
    relevant, missing = E.counterparts(session, E.load_pairs(GOLD))
    assert not missing and len(relevant) >= 60
    ranked = {t: [h.id for h in similar(t, session=session, k=5, full_limit=full_limit).hits]
              for t in relevant}
    scores = E.precision_at(ranked, relevant)
    assert scores["p@5_norm"] >= floor and scores["hit@5"] >= floor


def test_gold_non_pairs_score_below_pairs(session):
    from duban.compare.service import THRESHOLD
    from duban.compare.similar import corpus, score
    from duban.ledger.models import Task

    model = corpus(session).model
    pos, neg = [], []
    for p in E.load_pairs(GOLD):
        a, b = (session.get(Task, task_at(session, *ref)).text for ref in (p.a, p.b))
        (pos if p.same else neg).append(score(model, a, b))
    assert len(pos) >= 30 and len(neg) >= 30
    # The compare threshold sorts most of them right: 0.879 with plain cosine,
    # 0.912 with boilerplate stopped and the named-reform bonus.
    right = sum(s >= THRESHOLD for s in pos) + sum(s < THRESHOLD for s in neg)
    assert right / (len(pos) + len(neg)) >= 0.9
    assert sorted(pos)[len(pos) // 2] > 3 * sorted(neg)[len(neg) // 2]


@pytest.mark.parametrize("task_id", [10**9, 0, -1, 10**20])  # 10**20: no database integer
def test_unknown_task(session, task_id):
    with pytest.raises(NotFound):
        similar(task_id, session=session)
