"""units.split_units: one string per unit, in the document's own words (TASKS.md,
last paragraph, and the annotators' NOTES)."""

from __future__ import annotations

import re

import pytest
from extract_helpers import tasks_md

from duban.extract.units import split_units

# TASKS.md's own examples: the contract.
CONTRACT = [
    ("市发改委、市经信局", ["市发改委", "市经信局"]),
    ("市直相关单位及各地区", ["市直相关单位", "各地区"]),
    ("各县市区局", ["各县市区局"]),
    ("市直相关部门", ["市直相关部门"]),
    ("各市、州、县市场监管局", ["各市、州、县市场监管局"]),
    ("各县（市、区）人民政府", ["各县（市、区）人民政府"]),
    ("人行赣州市中支等", ["人行赣州市中支"]),
    ("市工信局等单位及各地区", ["市工信局", "各地区"]),
    ("省人力资源社会保障厅、省医保局等省直相关单位",
     ["省人力资源社会保障厅", "省医保局", "省直相关单位"]),
    ("市工信局等部门", ["市工信局"]),
    ("市工信局等单位", ["市工信局"]),
    # A bare trailer with no unit before it names no one (hypothesis found this).
    ("等单位", []),
    ("、等单位", []),
    ("（等单位", []),
    ("市发改委/市财政局", ["市发改委", "市财政局"]),
    ("（等单位（", []),
    ("（等单位等", []),
    ("市发改委（等单位", ["市发改委"]),
    ("市工信局等相关部门", ["市工信局"]),
    ("市工信局等相关单位", ["市工信局"]),
    ("市工信局等相关部门和单位", ["市工信局"]),
    ("机关纪委、督审处、机关党委等处室", ["机关纪委", "督审处", "机关党委"]),
    ("市市场监管局（市知识产权局）", ["市市场监管局（市知识产权局）"]),
    ("各区（含葛店开发区、临空经济区，下同）", ["各区"]),
    ("市优化营商环境领导小组办公室（以下简称“市优化办”）", ["市优化营商环境领导小组办公室"]),
    ("市 市 场 监 管局", ["市市场监管局"]),
]

# Cases the annotators settled (NOTES-A..G) and the brief lists.
SETTLED = [
    ("市自然资源和规划局", ["市自然资源和规划局"]),
    ("市工业和信息化局、市政务服务和大数据管理局", ["市工业和信息化局", "市政务服务和大数据管理局"]),
    ("郑州市、开封市、洛阳市政府", ["郑州市", "开封市", "洛阳市政府"]),
    ("各市州、县市区人民政府", ["各市州、县市区人民政府"]),
    ("各设区市、赣江新区工程建设项目审批制度改革领导小组",
     ["各设区市、赣江新区工程建设项目审批制度改革领导小组"]),
    ("市市场监管局、市税务局等涉及行政处罚信息公示的单位",
     ["市市场监管局", "市税务局", "涉及行政处罚信息公示的单位"]),
    ("省政务局和省直相关单位", ["省政务局", "省直相关单位"]),
    ("各有关部门和单位", ["各有关部门和单位"]),
    ("省局相关处室、单位", ["省局相关处室、单位"]),
    ("有许可审批和监管职能的处室", ["有许可审批和监管职能的处室"]),
    ("科信处、信息中心及食品安全监管职能的处室", ["科信处", "信息中心", "食品安全监管职能的处室"]),
    ("市城管局及其他行政许可的监管部门", ["市城管局", "其他行政许可的监管部门"]),
    ("赣南日报社（赣州客家新闻网管理中心），市12345热线成员单位",
     ["赣南日报社（赣州客家新闻网管理中心）", "市12345热线成员单位"]),
    ("各县〔市、区〕政府", ["各县〔市、区〕政府"]),
    ("上饶经济技术开发区、三清山风景名胜区、上饶高铁经济试验区管委会",
     ["上饶经济技术开发区", "三清山风景名胜区", "上饶高铁经济试验区管委会"]),
    ("各省辖市人民政府，济源示范区、航空港区管委会", ["各省辖市人民政府", "济源示范区", "航空港区管委会"]),
    ("市委宣传部(市版权局)", ["市委宣传部(市版权局)"]),
    ("省就业工作领导小组各成员单位", ["省就业工作领导小组各成员单位"]),
    ("市发改委、市发改委", ["市发改委"]),
]


@pytest.mark.parametrize("written,units", CONTRACT, ids=[c[0] for c in CONTRACT])
def test_tasks_md_examples(written, units):
    assert split_units(written) == units


@pytest.mark.parametrize("written,units", SETTLED, ids=[c[0] for c in SETTLED])
def test_settled_cases(written, units):
    assert split_units(written) == units


def test_every_arrow_example_in_tasks_md():
    """Every `written` → `unit`, `unit` example of TASKS.md's unit paragraph, read from
    the file itself, so a new example there is tested without editing this list."""
    text = tasks_md()
    para = text[text.index("Unit strings are"):]
    found = re.findall(r"`([^`…]+)` → ((?:`[^`]+`(?:, )?)+)", para)
    assert len(found) >= 3, "TASKS.md's unit examples were not found"
    for written, rhs in found:
        assert split_units(written) == re.findall(r"`([^`]+)`", rhs), written


def test_collective_examples_in_tasks_md_stay_whole():
    text = tasks_md()
    m = re.search(r"collective\s+unit stays whole \(([^)]*(?:\([^)]*\)[^)]*)*)\)", text)
    assert m, "TASKS.md's collective-unit examples were not found"
    collectives = re.findall(r"`([^`]+)`", m.group(1))
    assert len(collectives) >= 4
    for unit in collectives:
        assert split_units(unit) == [unit]


@pytest.mark.parametrize("written", ["", "，、；", "等", "责任单位", "各"])
def test_no_unit_in_noise(written):
    assert split_units(written) == []
