"""Regions with GB/T 2260 codes (cpca's table) and document types."""

import pytest

from duban.compare import regions


@pytest.mark.parametrize("kwargs, code, level", [
    ({"issuer": "驻马店市人民政府办公室"}, "411700", "city"),
    ({"title": "河南省人民政府关于印发中国（河南）自由贸易试验区2.0版建设实施方案的通知"}, "410000", "province"),
    # 武汉 follows 湖北省商务厅, not 湖北省: the province issued it
    ({"title": "湖北省商务厅武汉海关关于进一步提升跨境贸易便利化水平促进外贸降本增效若干措施的公告"},
     "420000", "province"),
    ({"title": "关于印发《2023年荆门市市场监管局营商环境大幅改善行动方案》的通知"}, "420800", "city"),
    ({"issuer": "湖北省荆门市人民政府"}, "420800", "city"),
    ({"title": "鄂州市优化营商环境2022年重点任务清单"}, "420700", "city"),
    ({"title": "关于印发全省2023年度工作方案的通知", "doc_number": "赣府厅字〔2023〕43号"}, "360000",
     "province"),
    ({"title": "关于印发某方案的通知", "doc_number": "赣市府办字〔2023〕48号"}, None, None),
    ({"title": "关于印发某方案的通知", "text": "河南省郑州市、洛阳市、开封市和新乡市要……"}, "410000",
     "province"),
])
def test_document_region(kwargs, code, level):
    found = regions.document_region(**kwargs)
    assert (found.code if found else None, found.level if found else None) == (code, level)


def test_region_labels_and_prefixes():
    r = regions.resolve("驻马店")
    assert (r.code, r.name, r.province, r.prefix, r.label) == (
        "411700", "驻马店市", "河南省", "4117", "河南省驻马店市")
    assert regions.resolve("湖北").prefix == "42"
    assert regions.resolve("41") == regions.resolve("河南省") == regions.resolve("410000")


@pytest.mark.parametrize("value, message", [
    ("火星", "未知地区「火星」"),
    ("", "请指定地区"),
    ("999999", "未知地区代码"),
    ("西湖区", "多处同名"),
])
def test_unknown_or_ambiguous_regions(value, message):
    with pytest.raises(regions.UnknownRegion) as e:
        regions.resolve(value)
    assert message in str(e.value)


@pytest.mark.parametrize("title, kind", [
    ("河南省人民政府办公厅关于印发河南省加快推进政务服务“一件事一次办”改革实施方案的通知", "方案"),
    ("鄂州市优化营商环境2022年重点任务清单", "清单"),
    ("湖北省人民政府办公厅关于加快建设高质量人力资源市场体系的实施意见", "意见"),
    ("湖南省人民政府办公厅关于印发《湖南省2023年政务服务管理工作要点》和《湖南省2023年政务公开工作要点》的通知", "要点"),
    ("襄阳市人民政府办公室关于印发襄阳市电子证照管理应用暂行办法的通知", "办法"),
    ("黄冈市人民政府办公室关于印发黄冈市优化提升营商环境九条措施的通知", "措施"),
    ("湖北省商务厅关于某事项的通知", "通知"),
    (None, None),
])
def test_document_type(title, kind):
    assert regions.document_type(title) == kind


def test_issuer_from_title():
    assert regions.issuer_from_title("河南省人民政府办公厅关于印发…的通知") == "河南省人民政府办公厅"
    assert regions.issuer_from_title("江西省人民政府办公厅印发关于…的通知") == "江西省人民政府办公厅"
    assert regions.issuer_from_title("关于印发全省…的通知") is None


def test_the_table_loads_without_pkg_resources(monkeypatch):
    """cpca's loader imports pkg_resources (setuptools); without it the same CSV
    is read directly and gives the same table."""
    import sys

    with_loader = regions._records()
    monkeypatch.delitem(sys.modules, "cpca", raising=False)
    monkeypatch.setitem(sys.modules, "pkg_resources", None)
    without = regions._records()
    assert sorted(without) == sorted(with_loader) and len(without) > 3000
    assert ("驻马店市", "411700") in without
