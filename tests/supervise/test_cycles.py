"""Working days and reporting cycles around real 2025 holidays (National Day
2025-10-01..08, make-up workdays Sunday 2025-09-28 and Saturday 2025-10-11)."""

import datetime as dt

import pytest

from duban.ledger.fields import InvalidValue
from duban.supervise import cycles, workdays
from duban.supervise.models import Schedule

D = dt.date


def test_national_day_is_skipped_and_make_up_sunday_counts():
    assert not workdays.is_workday(D(2025, 10, 1))
    assert not workdays.is_workday(D(2025, 10, 8))
    assert workdays.is_workday(D(2025, 9, 28))  # Sunday, 调休上班
    assert workdays.is_workday(D(2025, 10, 11))  # Saturday, 调休上班
    assert workdays.add_working_days(D(2025, 9, 26), 1) == D(2025, 9, 28)
    assert workdays.add_working_days(D(2025, 9, 28), 1) == D(2025, 9, 29)
    assert workdays.add_working_days(D(2025, 9, 30), 1) == D(2025, 10, 9)
    assert workdays.add_working_days(D(2025, 9, 26), 5) == D(2025, 10, 10)
    assert workdays.on_or_after(D(2025, 10, 3)) == D(2025, 10, 9)
    assert workdays.working_days_between(D(2025, 9, 30), D(2025, 10, 10)) == 2


def test_year_without_calendar_data_falls_back_to_weekdays(caplog):
    assert workdays.is_workday(D(2099, 1, 5))  # a Monday
    assert not workdays.is_workday(D(2099, 1, 4))
    assert workdays.add_working_days(D(2099, 1, 2), 1) == D(2099, 1, 5)


def _schedule(**kw):
    values = dict(kind="monthly", day=25, once_due=None, start_period="2025-04", reply_days=5,
                  due_soon_days=15)
    values.update(kw)
    return Schedule(**values)


def test_monthly_due_dates_move_off_weekends_and_holidays():
    s = _schedule()
    assert cycles.due_date(s, "2025-04") == D(2025, 4, 25)  # Friday
    assert cycles.due_date(s, "2025-05") == D(2025, 5, 26)  # 25th is a Sunday
    assert cycles.due_date(s, "2025-10") == D(2025, 10, 27)  # Saturday 25th -> Monday
    first = _schedule(day=1)
    assert cycles.due_date(first, "2025-10") == D(2025, 10, 9)  # National Day holiday
    end = _schedule(day=31)
    assert cycles.due_date(end, "2025-02") == D(2025, 2, 28)  # short month: last day
    v = cycles.cycle_values(s, "2025-04")
    assert v == {"period": "2025-04", "starts_on": D(2025, 4, 1), "due": D(2025, 4, 25),
                 "closes_on": D(2025, 5, 25)}


def test_quarterly_and_one_off_cycles():
    q = _schedule(kind="quarterly", day=20, start_period="2025-Q3")
    assert cycles.due_date(q, "2025-Q3") == D(2025, 9, 22)  # Sat 20th -> Mon 22nd
    assert cycles.next_period("2025-Q4") == "2026-Q1"
    assert cycles.cycle_values(q, "2025-Q3")["closes_on"] == D(2025, 12, 21)
    once = _schedule(kind="once", once_due=D(2025, 10, 1), start_period="2025-10")
    v = cycles.cycle_values(once, "2025-10")
    assert v["due"] == D(2025, 10, 9) and v["closes_on"] is None


@pytest.mark.parametrize("text,kind,want", [
    ("2025-5", "monthly", "2025-05"), ("2025-12", "monthly", "2025-12"),
    ("2025q2", "quarterly", "2025-Q2"), ("2025-08", "quarterly", "2025-Q3"),
])
def test_period_parsing(text, kind, want):
    assert cycles.parse_period(text, kind) == want


@pytest.mark.parametrize("text", ["2025-13", "25-05", "May", ""])
def test_bad_periods_are_refused(text):
    with pytest.raises(InvalidValue):
        cycles.parse_period(text)


def test_ensure_cycles_creates_each_period_once(session_factory):
    from duban.supervise import service

    with session_factory() as s, s.begin():
        sch = service.set_schedule(session=s, actor="t", start_period="2025-04")
        got = cycles.ensure_cycles(sch, D(2025, 6, 3), session=s)
        assert [c.period for c in got] == ["2025-04", "2025-05", "2025-06"]
        again = cycles.ensure_cycles(sch, D(2025, 6, 30), session=s)
        assert [c.id for c in again] == [c.id for c in got]
        assert cycles.last_due(got, D(2025, 5, 26)).period == "2025-04"  # due day: not yet late
        assert cycles.last_due(got, D(2025, 5, 27)).period == "2025-05"
        assert cycles.open_for_submission(got, D(2025, 5, 27)).period == "2025-06"
        assert cycles.open_for_submission(got, D(2025, 5, 26)).period == "2025-05"
