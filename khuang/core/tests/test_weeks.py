"""Weeks with no event: one definition for the KPIs and the optimizer."""

from datetime import date

from khuang.core import weeks


def test_a_periods_weeks_are_the_iso_weeks_meeting_it():
    first, last = date(2026, 10, 1), date(2027, 9, 30)  # FY 2570, Thursday to Thursday
    mondays = weeks.period_weeks(first, last)
    assert mondays[0] == date(2026, 9, 28) and mondays[-1] == date(2027, 9, 27)
    assert len(mondays) == weeks.week_count(first, last) == 53
    assert weeks.week_count(date(2027, 1, 4), date(2027, 1, 10)) == 1  # one Monday–Sunday week
    assert weeks.week_count(date(2027, 1, 10), date(2027, 1, 11)) == 2  # Sunday and Monday
    assert weeks.week_count(date(2027, 1, 11), date(2027, 1, 10)) == 0
    assert weeks.week_index(first, date(2026, 10, 5)) == 1


def test_only_event_days_inside_the_period_make_a_week_active():
    first, last = date(2026, 10, 1), date(2026, 10, 31)
    spans = [(date(2026, 9, 20), date(2026, 9, 30)),   # before the period: nothing
             (date(2026, 10, 4), date(2026, 10, 5)),   # Sunday + Monday: two weeks
             (date(2026, 10, 30), date(2026, 11, 20))]  # runs past the end: only its week inside
    assert weeks.active_weeks(first, last, spans) == {0, 1, 4}
    assert weeks.idle_weeks(first, last, spans) == [date(2026, 10, 12), date(2026, 10, 19)]


def test_the_kpi_and_the_optimizer_count_the_same_weeks():
    """The optimizer's objective parts and the KPI's selector both call khuang.core.weeks."""
    from khuang.planning.optimizer.model import Activity, Assignment, Horizon, Instance, Space, objective_parts

    horizon = Horizon(start=date(2026, 10, 1), end=date(2026, 10, 31))
    inst = Instance(horizon=horizon, spaces=(Space("R", "R", 100),),
                    activities=(Activity("a", 2), Activity("b", 1)))
    plan = [Assignment("a", "R", date(2026, 10, 4)), Assignment("b", "R", date(2026, 10, 30))]
    parts = objective_parts(inst, plan)
    spans = [(date(2026, 10, 4), date(2026, 10, 5)), (date(2026, 10, 30), date(2026, 10, 30))]
    assert parts.weeks_in_horizon == weeks.week_count(horizon.start, horizon.end) == 5
    assert parts.active_weeks == len(weeks.active_weeks(horizon.start, horizon.end, spans)) == 3
