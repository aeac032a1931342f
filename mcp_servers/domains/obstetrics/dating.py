"""Pregnancy dating: gestational age and due date by the last menstrual period (Naegele's rule), crown-rump length
converted to gestational age (Robinson & Fleming 1975), and the ACOG re-dating thresholds for an ultrasound that
disagrees with the LMP (ACOG Committee Opinion 700, 2017, Table 1).

The table's row is chosen by the gestational age by LMP on the day of the scan (the table's footnote: "based on
LMP"); the pregnancy is re-dated by the ultrasound when the discrepancy is *more than* the row's threshold, so a
discrepancy equal to the threshold keeps the LMP dates. Naegele's rule is the calculators library's
``estimated_due_date`` with a 28-day cycle.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from healthgym.mcp_servers.calculators.obstetrics import estimated_due_date

SOURCE = "ACOG Committee Opinion 700. Methods for estimating the due date. Obstet Gynecol 2017;129:e150-4, Table 1"
CRL_SOURCE = "Robinson HP, Fleming JE. A critical evaluation of sonar crown-rump length measurements. Br J Obstet " \
    "Gynaecol 1975;82:702-10"  # fmt: skip
CRL_RANGE_MM = (3.0, 84.0)
"""CRL is the dating measurement up to 13 6/7 weeks (CRL 84 mm, ACOG CO 700); Robinson's series starts near 3 mm."""

ROWS: tuple[tuple[str, int, str, int], ...] = (
    # (row code, last day of the row by LMP (days), measurement, discrepancy that supports re-dating: more than N days)
    ("le_8w6d", 62, "CRL", 5),
    ("9w0d_13w6d", 97, "CRL", 7),
    ("14w0d_15w6d", 111, "BPD, HC, AC, FL", 7),
    ("16w0d_21w6d", 153, "BPD, HC, AC, FL", 10),
    ("22w0d_27w6d", 195, "BPD, HC, AC, FL", 14),
    ("ge_28w0d", 10**6, "BPD, HC, AC, FL", 21),
)
"""ACOG CO 700 Table 1, "Guidelines for redating based on ultrasonography"."""
ROW_CODES = tuple(r[0] for r in ROWS)


def crl_gestational_age_days(crl_mm: float) -> int:
    """Gestational age (days, rounded half up) = 8.052 x sqrt(CRL mm) + 23.73 (Robinson & Fleming 1975)."""
    lo, hi = CRL_RANGE_MM
    if not lo <= crl_mm <= hi:
        raise ValueError(f"crl_mm {crl_mm} is outside {lo:g}-{hi:g} mm, the range CRL dates a pregnancy")
    return math.floor(8.052 * math.sqrt(crl_mm) + 23.73 + 0.5)


def weeks_days(days: int) -> str:
    """``days`` as completed weeks and days, the obstetric notation (e.g. 277 -> '39w4d')."""
    return f"{days // 7}w{days % 7}d"


def lmp_edd(lmp: date) -> date:
    """Naegele's rule: LMP + 280 days (the calculators library's ``estimated_due_date``, 28-day cycle)."""
    return date.fromisoformat(estimated_due_date(lmp_date=lmp, cycle_length_days=28).band)


def row(lmp_ga_at_scan_days: int) -> tuple[str, int]:
    """ACOG CO 700 Table 1 row code and its re-dating threshold (days) for the LMP gestational age at the scan."""
    if lmp_ga_at_scan_days < 0:
        raise ValueError(f"the scan is {-lmp_ga_at_scan_days} days before the LMP")
    return next((code, limit) for code, last, _, limit in ROWS if lmp_ga_at_scan_days <= last)


@dataclass(frozen=True)
class Dating:
    """A pregnancy dated by ACOG CO 700."""

    lmp_ga_at_scan_days: int
    us_ga_at_scan_days: int
    discrepancy_days: int
    row: str
    threshold_days: int
    basis: str
    """'lmp' or 'ultrasound'."""
    edd: date
    reasons: tuple[str, ...]

    def ga_days(self, on: date) -> int:
        """Gestational age in days on ``on`` by the final EDD: 280 - days to the EDD."""
        return 280 - (self.edd - on).days


def date_pregnancy(lmp: date, scan_date: date, us_ga_at_scan_days: int) -> Dating:
    """Date a pregnancy from a certain LMP and one ultrasound: keep the LMP EDD unless the ultrasound gestational age
    differs by more than the ACOG CO 700 threshold for the LMP gestational age at the scan, then use the
    ultrasound's EDD (scan date + 280 - ultrasound gestational age)."""
    lmp_ga = (scan_date - lmp).days
    code, limit = row(lmp_ga)
    diff = abs(us_ga_at_scan_days - lmp_ga)
    redate = diff > limit
    edd = scan_date.fromordinal(scan_date.toordinal() + 280 - us_ga_at_scan_days) if redate else lmp_edd(lmp)
    reasons = (
        f"GA by LMP at the scan {weeks_days(lmp_ga)}; by ultrasound {weeks_days(us_ga_at_scan_days)}; "
        f"discrepancy {diff} days",
        f"ACOG CO 700 row {code}: re-date when the discrepancy is more than {limit} days -> "
        f"{'re-date by ultrasound' if redate else 'keep LMP dating'}",
        f"EDD {edd.isoformat()}",
    )
    return Dating(lmp_ga, us_ga_at_scan_days, diff, code, limit, "ultrasound" if redate else "lmp", edd, reasons)
