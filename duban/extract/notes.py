"""Responsibility notes: `（市发改委负责，2025年6月底前完成）`,
`（牵头单位：X；责任单位：Y；完成时限：Z）`, `〔X牵头，Y按职责分工负责〕`.

`is_note` says whether a bracket's content is a note; `parse_note` reads who leads,
who supports, which of the bureau's own sections, which leader and by when.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from duban.extract.dates import looks_like_deadline
from duban.extract.text import nospace, split_top, strip_markup
from duban.extract.units import split_units

LABEL_NAMES = (r"(责任领导|牵头领导|分管领导|责任人|牵头单位|牵头部门|牵头科室|牵头处室|主责单位|主办单位|"
               r"责任单位|责任部门|责任主体|承办单位|实施单位|责任科室|责任处室|配合单位|配合部门|协办单位|"
               r"协同单位|参与单位|完成时限|完成时间|完成期限|办结时限|时间节点|时限要求|时间要求)")
LABEL = re.compile(LABEL_NAMES + r"\s*[：:]")
_LEAD_LABELS = {"牵头单位", "牵头部门", "牵头科室", "牵头处室", "主责单位", "主办单位"}
# Units responsible without saying who leads: leads alone, support beside a lead label.
_RESP_LABELS = {"责任单位", "责任部门", "责任主体", "承办单位", "实施单位"}
_CO_LABELS = {"配合单位", "配合部门", "协办单位", "协同单位", "参与单位"}
_INTERNAL_LABELS = {"责任科室", "责任处室"}
_LEADER_LABELS = {"责任领导", "牵头领导", "分管领导", "责任人"}
_DEADLINE_LABELS = {"完成时限", "完成时间", "完成期限", "办结时限", "时间节点", "时限要求", "时间要求"}

# Role verbs closing a clause of an unlabeled note, longest first.
_VERB = re.compile(
    r"(按职责分别牵头负责|分别牵头负责|牵头负责|牵头|"
    r"按职责分工负责|按照职责分工负责|按职责分工落实|分工负责|按职责负责|按照职责负责|"
    r"按照职能分别负责|按照职能负责|按职能负责|分别负责|共同负责|具体负责|负责|"
    r"配合|协助|参与|抓好落实|落实|共同推进)$")
_UNITISH = re.compile(r"局|委|厅|办|府|院|会|联|中心|部|处|科|室|行|司|单位|部门|地区|海关|小组|公司|集团|机构|园|港|校|所|站|队|社|台|馆")
_DECLARE = re.compile(r"(.+?)均为(?:责任|配合)单位|以下责任单位中?均包含(.+?)$")
_SKIP_CLAUSE = re.compile(r"^(以下)?不再(一一)?列出$|^下同$")


def _declared_units(m: re.Match) -> list[str]:
    return [u for u in split_units(m.group(1) or m.group(2)) if not _SKIP_CLAUSE.match(u)]


@dataclass
class Note:
    lead: list[str] = field(default_factory=list)
    co: list[str] = field(default_factory=list)
    internal: list[str] = field(default_factory=list)
    leaders: list[str] = field(default_factory=list)
    deadline_text: str | None = None
    # Rule 5: units this note declares for every later task, and their role.
    declared: list[str] = field(default_factory=list)
    declared_role: str = "co"


def _clean(content: str) -> str:
    return nospace(strip_markup(content)).strip("（()）〔〕[]【】［］")


def is_note(content: str) -> bool:
    """Whether a bracket's content names who is responsible."""
    c = _clean(content)
    if not c or len(c) > 400:
        return False
    if LABEL.match(c) or re.match(r"(责任领导|牵头单位|责任单位)[：:]", c):
        return True
    clauses = [x for x in split_top(c, "，,；;。") if x and not _SKIP_CLAUSE.match(x)]
    units = [x for x in clauses if not looks_like_deadline(x) and not _DECLARE.search(x)]
    if not units:
        return False
    last = units[-1]
    return bool(_VERB.search(last) or ("牵头" in c and _UNITISH.search(c))) \
        and bool(_UNITISH.search(last)) and not re.search(r"[是的对将在要]", _VERB.sub("", last)[:2] or "x")


def parse_note(content: str) -> Note:
    c = _clean(content)
    note = Note()
    labels = list(LABEL.finditer(c))
    if labels:
        _parse_labeled(c, labels, note)
    else:
        _parse_free(c, note)
    _lead_markers(c, note, labelled_lead=any(m.group(1) in _LEAD_LABELS for m in labels))
    note.lead = _dedupe(note.lead)
    note.co = [u for u in _dedupe(note.co) if u not in note.lead]
    return note


# Lead marked inside one list of units, not by a label or a verb.
_MARKED = re.compile(r"[（(]牵头(?:单位|部门)?[）)]$")
_NAMED_LEAD = re.compile(r"^(?:其中)?(.+?)为牵头(?:单位|部门)$")
_FIRST_LEADS = re.compile(r"[（(]?(?:排名|排序|排在|列|名列)?第一(?:位|个|名)?的?(?:单位)?为牵头(?:单位|部门)[）)]?")


def _lead_markers(c: str, note: Note, *, labelled_lead: bool) -> None:
    """`责任单位：市自然资源和规划局（牵头）、市住建局`, `…，其中市发改委为牵头单位`,
    `责任单位：A、B、C（排名第一的为牵头单位）`: one list of units in which the
    lead is marked. The marked unit leads, the others support. A note with its own
    牵头单位 label keeps what the label says."""
    units = note.lead + note.co
    first = bool(_FIRST_LEADS.search(c))
    marked = [u for u in units if _MARKED.search(u)]
    named = [m.group(1) for m in map(_NAMED_LEAD.match, units) if m]
    if labelled_lead:  # the label decides; the marker is only dropped from the name
        note.lead, note.co = ([_MARKED.sub("", u) for u in xs] for xs in (note.lead, note.co))
        return
    if not (first or marked or named):
        return
    plain = [_FIRST_LEADS.sub("", _MARKED.sub("", u)) for u in units if not _NAMED_LEAD.match(u)]
    plain = [u for u in plain if u]
    if first:
        lead = plain[:1]
    else:
        lead = [_MARKED.sub("", u) for u in marked] + [u for u in named if u not in marked]
    note.lead = lead
    note.co = [u for u in plain if u not in lead]


def _dedupe(xs):
    out = []
    for x in xs:
        if x not in out:
            out.append(x)
    return out


def _parse_labeled(c: str, labels: list[re.Match], note: Note) -> None:
    """`牵头单位：X；责任单位：Y；完成时限：Z`. Words before the first label are a free
    note (`X牵头，Y按职责分工负责；完成时限：2025年9月底前`)."""
    head = c[: labels[0].start()].strip("，,；;。 ")
    if head:
        _parse_free(head, note)
    values = []
    for i, m in enumerate(labels):
        end = labels[i + 1].start() if i + 1 < len(labels) else len(c)
        values.append((m.group(1), c[m.end():end].strip("，,；;。 ")))
    has_lead_label = any(k in _LEAD_LABELS for k, _ in values)
    responsible = [v for k, v in values if k in _RESP_LABELS]
    for k, v in values:
        if k in _LEAD_LABELS:
            note.lead += split_units(v)
        elif k in _CO_LABELS:
            note.co += split_units(v)
        elif k in _INTERNAL_LABELS:
            note.internal += split_units(v)
        elif k in _LEADER_LABELS:
            note.leaders += [x for x in re.split(r"[、，,；;]", v) if x]
        elif k in _DEADLINE_LABELS:
            note.deadline_text = v or None
        elif has_lead_label:
            note.co += _units_and_declarations(v, note)
        elif _VERB.search(split_top(v, "，,；;。")[0]) or "牵头" in v or "会同" in v:
            sub = Note()
            _parse_free(v, sub)
            note.lead += sub.lead
            note.co += sub.co
            note.declared, note.declared_role = sub.declared or note.declared, sub.declared_role
            note.deadline_text = note.deadline_text or sub.deadline_text
        elif v is responsible[0]:
            note.lead += _units_and_declarations(v, note, role="lead")
        else:  # a second 责任单位 label is the supporting group (first was a slip for 牵头单位)
            note.co += _units_and_declarations(v, note)


def _units_and_declarations(v: str, note: Note, role: str = "co") -> list[str]:
    units = []
    for clause in split_top(v, "。；;"):
        d = _DECLARE.search(clause)
        if d:
            note.declared = _declared_units(d)
            note.declared_role = role
            continue
        units += split_units(clause)
    return units


def _parse_free(c: str, note: Note) -> None:
    """`X牵头，Y按职责分工负责，2025年6月底前完成` and its variants."""
    groups: list[tuple[list[str], str]] = []  # (units, role verb)
    pending: list[str] = []
    deadline = []
    co_after: list[str] = []
    for clause in (x for x in split_top(c, "，,；;。") if x):
        if _SKIP_CLAUSE.match(clause):
            continue
        d = _DECLARE.search(clause)
        if d:
            note.declared = _declared_units(d)
            continue
        if looks_like_deadline(clause) or not _UNITISH.search(clause):
            if looks_like_deadline(clause):
                deadline.append(clause)
            continue
        verb = _VERB.search(clause)
        body = clause[: verb.start()] if verb else clause
        if "会同" in body:  # X会同Y: X leads, Y supports
            left, right = body.split("会同", 1)
            pending += split_units(left)
            co_after += split_units(right)
            if verb:
                groups.append((pending, verb.group(1)))
                pending = []
            continue
        pending += split_units(body)
        if verb:
            groups.append((pending, verb.group(1)))
            pending = []
    if pending:
        groups.append((pending, ""))
    has_lead = any("牵头" in v for _, v in groups)
    for units, verb in groups:
        if "牵头" in verb or not verb or (not has_lead and verb not in ("配合", "协助", "参与")):
            note.lead += units
        else:
            note.co += units
    note.co += co_after
    if note.declared:
        note.declared_role = "co" if has_lead else "lead"
    if deadline:
        note.deadline_text = "，".join(deadline)
