"""Dating: Naegele's rule, Robinson's CRL formula and every row boundary of ACOG CO 700 Table 1."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from healthgym.mcp_servers.domains.obstetrics import dating

LMP = date(2025, 1, 1)


def test_naegele_adds_280_days() -> None:
    # Naegele: LMP + 1 year - 3 months + 7 days: 1 Jan 2025 -> 8 Oct 2025.
    assert dating.lmp_edd(LMP) == date(2025, 10, 8)


@pytest.mark.parametrize(("crl", "days"), [(10.0, 49), (45.0, 78), (84.0, 98), (3.0, 38)])
def test_robinson_crl_formula(crl: float, days: int) -> None:
    # 8.052 x sqrt(CRL) + 23.73: 10 mm -> 49.2 (7w0d); 45 mm -> 77.7 (11w1d); 84 mm -> 97.5 -> 98 (14w0d, the end
    # of CRL dating in ACOG CO 700).
    assert dating.crl_gestational_age_days(crl) == days


def test_crl_outside_its_range_is_refused() -> None:
    with pytest.raises(ValueError, match="crl_mm 90"):
        dating.crl_gestational_age_days(90)


@pytest.mark.parametrize(("lmp_ga", "row", "limit"), [
    (62, "le_8w6d", 5), (63, "9w0d_13w6d", 7), (97, "9w0d_13w6d", 7), (98, "14w0d_15w6d", 7),
    (111, "14w0d_15w6d", 7), (112, "16w0d_21w6d", 10), (153, "16w0d_21w6d", 10), (154, "22w0d_27w6d", 14),
    (195, "22w0d_27w6d", 14), (196, "ge_28w0d", 21),
])  # fmt: skip
def test_table_rows_by_lmp_age_at_the_scan(lmp_ga: int, row: str, limit: int) -> None:
    assert dating.row(lmp_ga) == (row, limit)


@pytest.mark.parametrize(("lmp_ga", "limit"), [(56, 5), (80, 7), (105, 7), (130, 10), (170, 14), (210, 21)])
def test_redate_only_when_the_discrepancy_is_more_than_the_threshold(lmp_ga: int, limit: int) -> None:
    scan = LMP + timedelta(days=lmp_ga)
    kept = dating.date_pregnancy(LMP, scan, lmp_ga - limit)
    assert (kept.basis, kept.edd) == ("lmp", date(2025, 10, 8))
    moved = dating.date_pregnancy(LMP, scan, lmp_ga - limit - 1)
    assert moved.basis == "ultrasound" and moved.discrepancy_days == limit + 1
    # Re-dated EDD = scan + 280 - US GA: the ultrasound says one day more than the threshold younger.
    assert moved.edd == date(2025, 10, 8) + timedelta(days=limit + 1)


def test_gestational_age_on_a_date_uses_the_final_edd() -> None:
    scan = LMP + timedelta(days=60)  # 8w4d by LMP; CRL says 9w2d (65 days): 5 days apart, keep LMP
    d = dating.date_pregnancy(LMP, scan, 65)
    assert d.basis == "lmp" and d.ga_days(date(2025, 7, 1)) == 181
    d = dating.date_pregnancy(LMP, scan, 67)  # 7 days apart (more than 5 at <= 8w6d): 7 days older by ultrasound
    assert d.basis == "ultrasound" and d.ga_days(date(2025, 7, 1)) == 188
    assert dating.weeks_days(188) == "26w6d"
