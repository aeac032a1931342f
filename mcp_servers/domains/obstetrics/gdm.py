"""Gestational diabetes screening at 24-28 weeks: the one-step 75 g OGTT read with the IADPSG thresholds, and the
two-step approach (50 g glucose challenge, then a 100 g 3-hour OGTT read with Carpenter-Coustan or NDDG thresholds).

One step: GDM when any one value meets or exceeds its threshold (IADPSG 2010). Two step: a challenge value at or
above the screening threshold (130, 135 or 140 mg/dL, chosen by the institution; ACOG PB 190) calls for the 100 g
OGTT; GDM when two or more of its four values meet or exceed the thresholds (ACOG PB 190). One abnormal value is not
GDM. All values are plasma glucose in mg/dL.
"""

from __future__ import annotations

from dataclasses import dataclass

IADPSG_SOURCE = "International Association of Diabetes and Pregnancy Study Groups Consensus Panel. Diabetes Care " \
    "2010;33:676-82; ADA Standards of Care in Diabetes 2024, section 2"  # fmt: skip
ACOG_SOURCE = "ACOG Practice Bulletin 190. Gestational diabetes mellitus. Obstet Gynecol 2018;131:e49-64"
IADPSG = {"fasting": 92, "1h": 180, "2h": 153}
"""75 g OGTT thresholds (mg/dL); one value met or exceeded is GDM."""
CARPENTER_COUSTAN = {"fasting": 95, "1h": 180, "2h": 155, "3h": 140}
NDDG = {"fasting": 105, "1h": 190, "2h": 165, "3h": 145}
"""100 g OGTT thresholds (mg/dL; ACOG PB 190, Table 1); two values met or exceeded are GDM."""
OGTT_CRITERIA = {"carpenter_coustan": CARPENTER_COUSTAN, "nddg": NDDG}
GCT_THRESHOLDS = (130, 135, 140)
"""50 g glucose challenge thresholds an institution may choose (ACOG PB 190)."""
DIAGNOSES = ("no_gdm", "ogtt_needed", "gdm")


@dataclass(frozen=True)
class GdmResult:
    approach: str
    diagnosis: str
    abnormal: tuple[str, ...]
    reasons: tuple[str, ...]


def _abnormal(values: dict[str, float], thresholds: dict[str, int]) -> tuple[str, ...]:
    missing = [k for k in thresholds if k not in values]
    if missing:
        raise ValueError(f"OGTT values missing: {', '.join(missing)} (needed: {', '.join(thresholds)})")
    return tuple(k for k, limit in thresholds.items() if values[k] >= limit)


def one_step(values: dict[str, float]) -> GdmResult:
    """75 g OGTT by IADPSG: GDM when fasting >= 92, 1 h >= 180 or 2 h >= 153 mg/dL."""
    bad = _abnormal(values, IADPSG)
    why = ", ".join(f"{k} {values[k]:g} >= {IADPSG[k]}" for k in bad) or "every value below its threshold"
    return GdmResult("one_step", "gdm" if bad else "no_gdm", bad, (f"IADPSG 75 g OGTT: {why} ({IADPSG_SOURCE})",))


def two_step(gct: float, gct_threshold: int, criteria: str, ogtt: dict[str, float] | None) -> GdmResult:
    """50 g challenge then, if at or above ``gct_threshold``, the 100 g OGTT read with ``criteria``
    ('carpenter_coustan' or 'nddg'); ``ogtt`` is None when it has not been done."""
    if gct_threshold not in GCT_THRESHOLDS:
        raise ValueError(f"gct_threshold {gct_threshold} is not one of {GCT_THRESHOLDS}")
    if criteria not in OGTT_CRITERIA:
        raise ValueError(f"criteria {criteria!r} is not one of {', '.join(OGTT_CRITERIA)}")
    first = f"50 g challenge {gct:g} mg/dL vs threshold {gct_threshold}"
    if gct < gct_threshold:
        return GdmResult("two_step", "no_gdm", (), (f"{first}: screen negative ({ACOG_SOURCE})",))
    if ogtt is None:
        return GdmResult("two_step", "ogtt_needed", (), (f"{first}: screen positive, 100 g OGTT not yet done",))
    limits = OGTT_CRITERIA[criteria]
    bad = _abnormal(ogtt, limits)
    why = ", ".join(f"{k} {ogtt[k]:g} >= {limits[k]}" for k in bad) or "no value"
    return GdmResult("two_step", "gdm" if len(bad) >= 2 else "no_gdm", bad, (
        f"{first}: screen positive",
        f"100 g OGTT by {criteria}: abnormal {why}; {len(bad)} abnormal value(s), GDM needs 2 or more "
        f"({ACOG_SOURCE})",
    ))  # fmt: skip
