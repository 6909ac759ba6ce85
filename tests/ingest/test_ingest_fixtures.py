"""The committed sample files are what make_fixtures.py builds from sample_plan.txt."""

from __future__ import annotations

import importlib.util

import pytest
from ingest_helpers import FIXTURES, SAMPLES

from duban.ingest import read

GENERATED = ["sample_plan.docx", "sample_plan.pdf", "sample_plan.html"]


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path_factory.mktemp("regenerated")
    module.build_all(out / "samples", out / "fixtures")
    return out


@pytest.mark.parametrize("name", GENERATED)
def test_generator_reproduces_committed_samples(regenerated, name):
    committed, fresh = read(SAMPLES / name), read(regenerated / "samples" / name)
    assert fresh.format == committed.format
    assert fresh.lines == committed.lines
    assert fresh.tables == committed.tables
    assert fresh.metadata.get("merged_cells") == committed.metadata.get("merged_cells")


def test_generator_reproduces_gbk_page(regenerated):
    committed = (FIXTURES / "sample_plan_gbk.html").read_bytes()
    fresh = (regenerated / "fixtures" / "sample_plan_gbk.html").read_bytes()
    assert fresh == committed
    assert b"charset=gb2312" in committed
    committed.decode("gbk")  # really GBK, not UTF-8 with a label
    with pytest.raises(UnicodeDecodeError):
        committed.decode("utf-8")


def test_generated_files_are_deterministic(regenerated):
    """Same bytes every run, so regenerating leaves git clean."""
    for name in GENERATED:
        assert (regenerated / "samples" / name).read_bytes() == (SAMPLES / name).read_bytes(), name


@pytest.mark.parametrize("name", GENERATED)
def test_structured_samples_carry_the_whole_plan(name):
    """Every non-blank line of the text plan appears, in order, in each format."""
    text = "".join(ln for ln in read(SAMPLES / name).lines if "\t" not in ln)
    pos = 0
    for line in read(SAMPLES / "sample_plan.txt").lines:
        if line:
            pos = text.index(line, pos) + len(line)
