"""What the similarity score counts: boilerplate and benchmark targets do not
make two measures alike; leading with the same named reform does."""

import pytest

from duban.compare import named
from duban.compare.service import THRESHOLD, compare_documents
from duban.compare.similar import corpus, measures, score
from duban.compare.text import benchmarks, target_values
from duban.compare.vectors import STOP_MIN_PLANS, Model, cosine, normalize
from duban.ledger.models import Task

from .conftest import task_at

# ---- boilerplate ------------------------------------------------------------------------

TOPICS = ["企业开办", "工程审批", "不动产登记", "纳税缴费", "跨境贸易", "信用监管", "政务公开",
          "知识产权", "招标投标", "公平竞争"]


def _plans(n: int) -> tuple[list[str], list[str]]:
    """One measure per plan, each on its own topic, all written in the same stock phrases."""
    texts = [f"进一步{t}，按职责分工负责抓好落实，确保取得实效" for t in TOPICS[:n]]
    return texts, [f"plan-{i}" for i in range(n)]


def test_phrases_most_plans_use_weigh_nothing():
    model = Model.fit(*_plans(10))
    assert {"进一步", "分工负", "抓好落", "取得实"} <= model.stop
    assert "企业开" not in model.stop and model.idf("进一步") == 0.0
    a, b = model.vector(_plans(10)[0][0]), model.vector(_plans(10)[0][1])
    assert cosine(a, b) == 0.0  # 企业开办 vs 工程审批: nothing but the stock phrases in common


def test_too_few_plans_to_call_anything_boilerplate():
    model = Model.fit(*_plans(STOP_MIN_PLANS - 1))
    assert not model.stop and model.idf("进一步") > 0
    assert not Model.fit(_plans(10)[0]).stop  # and without plans, no stop list


def test_benchmark_targets_are_targets_not_wording():
    a = "提高告知承诺占比，确保高于全省平均水平。"
    b = "实现小微企业信用贷款余额占比不低于全省 平均水平，力争进入全国前列。"
    assert "全省平均水平" not in normalize(a) and "全国前列" not in normalize(b)
    assert benchmarks(a) == ["高于全省平均水平"]
    assert benchmarks(b) == ["不低于全省平均水平", "进入全国前列"]
    assert target_values(a) != target_values(b)
    assert benchmarks("在全省范围内推广") == []


def test_boilerplate_alone_is_no_match_on_the_corpus(session):
    """荆门 告知承诺 (s000:634) and 鄂州 信用贷款 (s002:279) share nothing but
    "全省平均水平" and "占比": they scored 0.165 and were listed as a match."""
    a, b = task_at(session, "s000.txt", 634), task_at(session, "s002.txt", 279)
    text_a, text_b = (session.get(Task, t).text for t in (a, b))
    assert score(corpus(session).model, text_a, text_b) < THRESHOLD
    c = compare_documents("s000.txt", "s002.txt", session=session)
    assert a not in {m.a.id for m in c.both} and b not in {m.b.id for m in c.both}
    assert measures(session, [a])[a].targets == ["高于全省平均水平"]


# ---- the named-reform bonus ----------------------------------------------------------------

@pytest.mark.parametrize("text, names", [
    ("在超市、饭店、小餐饮等19个行业大力推进“一业一证”，实现准入准营同步提速", {"一业一证"}),
    ("深化“一业一证”改革，动态调整“一业一证”改革行业目录", {"一业一证"}),
    ("推行“行业综合许可证”。将多张许可证整合为一张", {"一业一证"}),  # an alias in reforms.yaml
    ("加快推进“一件事一次办”“异地通办”。围绕全生命周期", {"一件事一次办", "异地通办"}),
    # a mention after the headline, in a list of areas to lead in
    ("打造营商便利度标杆城市。实现开办企业、“一业一证”改革便利度全省领先。", set()),
    # a headline that enumerates reforms carries out none of them
    ("在全市推广复制“证照分离”“一业一证”“市场准营即入制”改革经验。", set()),
    # far into a run-on first sentence (HEAD_CHARS): a mention, not the headline
    ("深入推进政务数据共享，提升政务数据共享平台支撑能力，促进更多政务数据依法有序共享，支撑“一网通办”",
     set()),
    ("开辟“绿色通道”。", set()),  # excluded in reforms.yaml: a manner of work
    ("推进“一业一\n证”改革。", {"一业一证"}),  # a PDF line break inside the name
])
def test_headline_names(text, names):
    assert named.headline_names(text) == names


def test_a_user_list_changes_the_names(tmp_path, monkeypatch):
    path = tmp_path / "mine.yaml"
    path.write_text("include:\n  - name: 一业一证\n    aliases: [一业一照]\nexclude: [一诺通]\n",
                    encoding="utf-8")
    assert named.headline_names("推行“一诺通”准营。") == {"一诺通"}
    monkeypatch.setenv("DUBAN_REFORMS", str(path))
    assert named.headline_names("推行“一业一照”。") == {"一业一证"}
    assert named.headline_names("推行“一诺通”准营。") == set()


def test_same_reform_measures_match_across_plans(session):
    """荆门 (s000:137) and 鄂州 (s002:38) both lead with “一业一证”; worded apart,
    their cosine is under the threshold, the bonus makes them counterparts."""
    a, b = task_at(session, "s000.txt", 137), task_at(session, "s002.txt", 38)
    text_a, text_b = (session.get(Task, t).text for t in (a, b))
    model = corpus(session).model
    assert cosine(model.vector(text_a), model.vector(text_b)) < THRESHOLD
    assert score(model, text_a, text_b) >= THRESHOLD
    c = compare_documents("s000.txt", "s002.txt", session=session)
    match = next(m for m in c.both if m.a.id == a)
    assert match.b.id == b and match.reforms == ["一业一证"] and not match.extra
    assert match.targets_differ and (match.a.targets, match.b.targets) == (["28个以上"], ["19个"])


def test_a_passing_mention_earns_no_bonus(session):
    """Gold non-pair: s003-hubei-09:21 names “一业一证” in a list of areas to lead in."""
    a, b = task_at(session, "s003-hubei-09.txt", 21), task_at(session, "s002.txt", 38)
    text_a, text_b = (session.get(Task, t).text for t in (a, b))
    assert score(corpus(session).model, text_a, text_b) < THRESHOLD
