"""notes.is_note / parse_note on notes as they stand in the corpus. The expected
values are the gold record of the task the note closes."""

from __future__ import annotations

import pytest
from extract_helpers import brackets, corpus_line, corpus_lines, corpus_text, gold, gold_at

from duban.extract.notes import is_note, parse_note


def test_s001_first_note_of_an_item():
    """`(市发改委、市经信局负责,2025年6月底前完成)`: one kind of unit → all lead."""
    note = brackets(corpus_line("s001.txt", 8), "市发改委")[0]
    g = gold_at("s001.txt", 8, 0)
    assert is_note(note)
    n = parse_note(note)
    assert n.lead == g["lead_units"]
    assert n.co == g["co_units"] == []
    assert n.deadline_text == g["deadline_text"]
    assert n.leaders == [] and n.internal == []


def test_s001_every_note_on_line_8_matches_gold():
    notes = [b for b in brackets(corpus_line("s001.txt", 8)) if is_note(b)]
    golds = [gold_at("s001.txt", 8, k) for k in range(len(notes))]
    assert len(notes) == 4
    assert [(parse_note(b).lead, parse_note(b).deadline_text) for b in notes] == \
        [(g["lead_units"], g["deadline_text"]) for g in golds]


def test_s000_labeled_note_wrapped_over_lines():
    """`（责任领导：王晖；牵头科室：注册审批科，责任单位：各县市区局；完成时限：3 月 31 日）`
    cut over lines 55-61 by the PDF."""
    note = brackets(corpus_text("s000.txt", 55, 61), "责任领导")[-1]
    g = gold_at("s000.txt", 55)
    assert is_note(note)
    n = parse_note(note)
    assert n.leaders == g["leaders"] == ["王晖"]
    assert n.lead == g["lead_units"]
    assert n.co == g["co_units"]
    assert n.internal == g["internal_units"]
    assert n.deadline_text == g["deadline_text"]


def test_hunan02_rule5_declaration():
    """`…各市州、县市区人民政府均为责任单位，以下不再列出` declares a co unit for the rest."""
    note = brackets(corpus_line("s003-hunan-02.txt", 23))[-1]
    g = gold_at("s003-hunan-02.txt", 23)
    assert is_note(note)
    n = parse_note(note)
    assert n.declared == ["各市州、县市区人民政府"]
    assert n.declared_role == "co"
    assert n.lead == g["lead_units"]
    assert n.co + n.declared == g["co_units"]
    assert not any("不再列出" in u for u in n.lead + n.co + n.declared)


def test_jiangxi03_rule5_declaration_inside_a_labeled_note():
    """`（责任单位：…，各市、县（区）政府。以下责任单位中均包含各市、县（区）政府，不再列出）`."""
    note = brackets(corpus_line("s003-jiangxi-03.txt", 19), "责任单位")[-1]
    g = gold_at("s003-jiangxi-03.txt", 19)
    assert is_note(note)
    n = parse_note(note)
    assert n.declared == ["各市、县（区）政府"]
    assert n.declared_role == "lead"
    assert set(n.lead) | set(n.declared) == set(g["lead_units"])
    assert n.co == g["co_units"] == []


def test_jiangxi01_huitong():
    """`X会同Y，Z按职责分工负责`: X and Z lead, Y supports (NOTES-F)."""
    note = brackets(corpus_line("s003-jiangxi-01.txt", 36))[-1]
    g = gold_at("s003-jiangxi-01.txt", 36)
    assert is_note(note)
    n = parse_note(note)
    assert n.lead == g["lead_units"]  # bold markers `**` dropped too (NOTES-F)
    assert n.co == g["co_units"]


@pytest.mark.parametrize("first,last,task_line", [(51, 53, 51), (55, 55, 55)])
def test_s004_double_responsibility_label(first, last, task_line):
    """`（责任单位：省局注册处；责任单位：…）`: the first label is a slip for 牵头单位."""
    note = brackets(corpus_text("s004.txt", first, last), "责任单位")[-1]
    g = gold_at("s004.txt", task_line)
    assert is_note(note)
    n = parse_note(note)
    assert n.lead == g["lead_units"]
    assert n.co == g["co_units"]


def test_henan07_note_on_its_own_line():
    note = corpus_line("s003-henan-07.txt", 27).strip()
    g = gold_at("s003-henan-07.txt", 25)
    assert is_note(note)
    n = parse_note(note)
    assert n.lead == g["lead_units"]
    assert n.co == g["co_units"]


def test_henan07_lead_and_luoshi():
    """`责任单位：X牵头；Y…落实` → X lead, Y co (NOTES-E)."""
    with_co = [g for g in gold("s003-henan-07.txt") if g["co_units"]]
    assert with_co
    for g in with_co:
        text = corpus_text("s003-henan-07.txt", g["line"], g["line"] + 2)
        note = brackets(text, "责任单位")[0]
        n = parse_note(note)
        assert (n.lead, n.co) == (g["lead_units"], g["co_units"]), g["line"]


def test_explanation_in_a_table_cell_is_not_a_note():
    """s002 line 14: `（2个环节、0.5天内办结、零费用）` explains the standard."""
    inner = brackets(corpus_line("s002.txt", 14), "2个环节")[0]
    assert not is_note(inner)


def test_url_bracket_is_not_a_note():
    """hunan-01 line 23: `（网址：…）` is a URL, kept in the task text (NOTES-D)."""
    url = brackets(corpus_line("s003-hunan-01.txt", 23), "网址")[-1]
    assert not is_note(url)


def test_every_gold_task_of_s001_is_closed_by_a_note():
    """64 notes = 64 tasks (NOTES-B): is_note finds exactly the closing brackets."""
    notes = [b for line in corpus_lines("s001.txt") if line.strip() for b in brackets(line, required=False)
             if is_note(b)]
    assert len(notes) == len(gold("s001.txt")) == 64


def test_free_note_followed_by_a_labelled_deadline():
    """`（X牵头，Y按职责分工负责；完成时限：2025年9月底前）` in our own sample plan: the
    words before the first label are a free note, not lost."""
    from pathlib import Path

    from duban.extract.notes import parse_note
    from duban.extract.text import bracket_spans
    line = (Path(__file__).resolve().parents[2] / "samples" / "sample_plan.txt").read_text(
        encoding="utf-8").splitlines()[25]
    a, b = bracket_spans(line)[-1]
    note = parse_note(line[a:b])
    assert note.lead == ["市政务服务和大数据管理局"]
    assert note.co == ["市直相关部门"]
    assert note.deadline_text == "2025年9月底前"


def test_every_sample_plan_task_has_a_lead_unit():
    from pathlib import Path

    from duban.extract import extract_path
    ex = extract_path(Path(__file__).resolve().parents[2] / "samples" / "sample_plan.txt")
    assert len(ex.tasks) == 20
    assert [t.line for t in ex.tasks if not t.lead_units] == []


# Lead marked inside one list of units. These forms are common in 分工方案 but absent
# from ../shared/corpus, so the lines are our own, written in the corpus's note style.
@pytest.mark.parametrize("note, lead, co", [
    ("责任单位：市自然资源和规划局（牵头）、市住建局、市税务局；完成时限：2024年9月底前",
     ["市自然资源和规划局"], ["市住建局", "市税务局"]),
    ("市发改委（牵头）、人行青川市分行、市金融办，2024年底前", ["市发改委"], ["人行青川市分行", "市金融办"]),
    ("责任单位：市发改委、市财政局，其中市发改委为牵头单位；完成时限：持续推进", ["市发改委"], ["市财政局"]),
    ("责任单位：市市场监管局、市公安局、市税务局（排名第一的为牵头单位）；完成时限：2024年6月底前",
     ["市市场监管局"], ["市公安局", "市税务局"]),
    ("责任单位：市司法局、市市场监管局；完成时限：2024年12月底前。列第一位的为牵头单位",
     ["市司法局"], ["市市场监管局"]),
    # A 牵头单位 label says who leads; a marker cannot override it.
    ("牵头单位：市商务局；责任单位：市发改委（牵头）、市财政局", ["市商务局"], ["市发改委", "市财政局"]),
])
def test_lead_marked_inside_a_unit_list(note, lead, co):
    n = parse_note(note)
    assert (n.lead, n.co) == (lead, co)



@pytest.mark.parametrize("note, deadline_text", [
    ("市政务服务中心负责，即时启动，年底前完成", "即时启动，年底前完成"),
    ("市税务局负责，常态化推进", "常态化推进"),
    ("市商务局负责，2024年下半年", "2024年下半年"),
])
def test_note_with_a_start_word_or_ongoing_deadline(note, deadline_text):
    """A deadline clause that is not a date (即时启动, 常态化推进) must not make the note look like prose."""
    assert is_note(note)
    assert parse_note(note).deadline_text == deadline_text


@pytest.mark.parametrize("note, lead, co, leaders, deadline_text", [
    ("主办单位：市市场监管局；协办单位：市公安局；完成期限：2024年6月底前",
     ["市市场监管局"], ["市公安局"], [], "2024年6月底前"),
    ("责任主体：市自然资源和规划局；时间要求：2024年9月底前", ["市自然资源和规划局"], [], [], "2024年9月底前"),
    ("牵头单位：市发改委；实施单位：各县（市、区）人民政府；办结时限：2024年12月",
     ["市发改委"], ["各县（市、区）人民政府"], [], "2024年12月"),
    ("责任单位：市司法局；责任人：张三；完成时限：2024年10月底", ["市司法局"], [], ["张三"], "2024年10月底"),
])
def test_label_synonyms(note, lead, co, leaders, deadline_text):
    """Label words other plans use for the corpus's 牵头单位/责任单位/完成时限/责任领导."""
    n = parse_note(note)
    assert is_note(note)
    assert (n.lead, n.co, n.leaders, n.deadline_text) == (lead, co, leaders, deadline_text)
