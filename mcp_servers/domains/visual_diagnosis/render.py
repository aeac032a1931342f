"""PNG rendering of the studies with Pillow.

ECGs on the standard grid: 25 mm/s and 10 mm/mV, 1 mm minor and 5 mm major lines, a 1 mV calibration pulse, the
12-lead layout of 3 rows x 4 columns of 2.5 s (I, aVR, V1, V4 / II, aVL, V2, V5 / III, aVF, V3, V6) over a 10 s lead
II rhythm strip (Kligfield 2007, Part I); a rhythm strip is lead II alone. Flow-volume loops: expiration above the
volume axis, inspiration below. CTG: FHR 50-210 bpm over the contraction trace, 3 cm/min paper (NICHD convention).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageDraw

from healthgym.mcp_servers.domains.visual_diagnosis.ecg import FS, LEADS

PX_PER_MM = 4
MM_PER_S = 25
MM_PER_MV = 10
LAYOUT = (("I", "aVR", "V1", "V4"), ("II", "aVL", "V2", "V5"), ("III", "aVF", "V3", "V6"))
ROW_MM = 30
_MINOR, _MAJOR, _TRACE = (250, 215, 215), (235, 150, 150), (0, 0, 0)


def _grid(draw: ImageDraw.ImageDraw, width: int, height: int) -> None:
    for mm in range(0, width // PX_PER_MM + 1):
        draw.line([(mm * PX_PER_MM, 0), (mm * PX_PER_MM, height)], fill=_MAJOR if mm % 5 == 0 else _MINOR)
    for mm in range(0, height // PX_PER_MM + 1):
        draw.line([(0, mm * PX_PER_MM), (width, mm * PX_PER_MM)], fill=_MAJOR if mm % 5 == 0 else _MINOR)


def _trace(draw: ImageDraw.ImageDraw, samples: np.ndarray, x0_mm: float, y0_mm: float) -> None:
    t_mm = np.arange(samples.size) / FS * MM_PER_S
    xs = (x0_mm + t_mm) * PX_PER_MM
    ys = (y0_mm - samples * MM_PER_MV) * PX_PER_MM
    draw.line(list(zip(xs.tolist(), ys.tolist(), strict=True)), fill=_TRACE, width=2)


def _calibration(draw: ImageDraw.ImageDraw, x_mm: float, y0_mm: float) -> None:
    pts = [(x_mm, y0_mm), (x_mm + 1, y0_mm), (x_mm + 1, y0_mm - 10), (x_mm + 4, y0_mm - 10), (x_mm + 4, y0_mm),
           (x_mm + 5, y0_mm)]  # fmt: skip
    draw.line([(x * PX_PER_MM, y * PX_PER_MM) for x, y in pts], fill=_TRACE, width=2)


def _png(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=False, compress_level=6)
    return buf.getvalue()


def ecg_png(signal: np.ndarray, header: str, twelve_lead: bool) -> bytes:
    """The ECG of a (12, n) signal in mV as PNG bytes."""
    left_mm, width_mm = 8, 8 + 250 + 2
    rows = 4 if twelve_lead else 1
    height_mm = 10 + rows * ROW_MM + 4
    image = Image.new("RGB", (width_mm * PX_PER_MM, height_mm * PX_PER_MM), "white")
    draw = ImageDraw.Draw(image)
    _grid(draw, image.width, image.height)
    draw.text((4, 4), header + "   25 mm/s  10 mm/mV", fill=_TRACE)
    quarter = signal.shape[1] // 4
    for r in range(rows):
        y0 = 10 + r * ROW_MM + ROW_MM * 0.6
        _calibration(draw, 2, y0)
        if twelve_lead and r < 3:
            for c, lead in enumerate(LAYOUT[r]):
                seg = signal[LEADS.index(lead), c * quarter : (c + 1) * quarter]
                _trace(draw, seg, left_mm + c * 62.5, y0)
                draw.text(((left_mm + c * 62.5 + 1) * PX_PER_MM, (y0 - 12) * PX_PER_MM), lead, fill=_TRACE)
        else:
            _trace(draw, signal[LEADS.index("II")], left_mm, y0)
            draw.text(((left_mm + 1) * PX_PER_MM, (y0 - 12) * PX_PER_MM), "II", fill=_TRACE)
    return _png(image)


def spirometry_png(volume: Sequence[float], expiratory: Sequence[float], inspiratory: Sequence[float],
                   header: str) -> bytes:
    """Flow (L/s, up = expiration) against volume (L) with 1 L and 1 L/s grid lines."""
    v_max = max(float(max(volume)), 1.0) + 0.5
    f_max = max(float(max(expiratory)), 1.0) + 1.0
    f_min = max(float(max(inspiratory)), 1.0) + 1.0
    scale = 70  # px per L and per L/s
    w, h = int(v_max * scale) + 80, int((f_max + f_min) * scale) + 60
    image = Image.new("RGB", (w, h), "white")
    draw = ImageDraw.Draw(image)
    x0, y0 = 50, 30 + int(f_max * scale)
    for k in range(int(v_max) + 1):
        draw.line([(x0 + k * scale, 30), (x0 + k * scale, h - 30)], fill=_MINOR)
        draw.text((x0 + k * scale - 3, h - 26), f"{k}", fill=_TRACE)
    for k in range(-int(f_min), int(f_max) + 1):
        draw.line([(x0, y0 - k * scale), (w - 20, y0 - k * scale)], fill=_MAJOR if k == 0 else _MINOR)
        draw.text((x0 - 24, y0 - k * scale - 6), f"{k}", fill=_TRACE)
    pts_e = [(x0 + v * scale, y0 - f * scale) for v, f in zip(volume, expiratory, strict=True)]
    pts_i = [(x0 + v * scale, y0 + f * scale) for v, f in zip(volume, inspiratory, strict=True)]
    draw.line(pts_e, fill=_TRACE, width=2)
    draw.line(pts_i, fill=(30, 30, 160), width=2)
    draw.text((4, 4), header + "   flow L/s (expiration up) vs volume L", fill=_TRACE)
    return _png(image)


def ctg_png(fhr: Sequence[int], contraction_peaks_s: Sequence[int], header: str) -> bytes:
    """FHR (50-210 bpm, 1 px per second, 3 px per bpm) over a contraction trace drawn from the peak times."""
    n = len(fhr)
    w, top = n + 60, 24
    fhr_h = (210 - 50) * 2
    toco_h = 100
    image = Image.new("RGB", (w, top + fhr_h + 20 + toco_h + 20), "white")
    draw = ImageDraw.Draw(image)
    for bpm in range(50, 211, 10):
        y = top + (210 - bpm) * 2
        draw.line([(40, y), (40 + n, y)], fill=_MAJOR if bpm % 30 == 0 else _MINOR)
        if bpm % 30 == 0:
            draw.text((4, y - 6), str(bpm), fill=_TRACE)
    for s in range(0, n + 1, 60):
        draw.line([(40 + s, top), (40 + s, top + fhr_h)], fill=_MAJOR)
        draw.line([(40 + s, top + fhr_h + 20), (40 + s, top + fhr_h + 20 + toco_h)], fill=_MINOR)
    draw.line([(40 + i, top + (210 - max(50, min(210, v))) * 2) for i, v in enumerate(fhr)], fill=_TRACE, width=2)
    t = np.arange(n)
    toco = np.zeros(n)
    for p in contraction_peaks_s:
        toco += 60 * np.exp(-0.5 * ((t - p) / 25.0) ** 2)
    base = top + fhr_h + 20 + toco_h
    draw.line([(40 + i, base - 10 - v) for i, v in enumerate(toco.tolist())], fill=(30, 30, 160), width=2)
    draw.text((4, 4), header + "   FHR bpm (1 min per major line); contractions below", fill=_TRACE)
    return _png(image)
