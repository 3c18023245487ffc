"""Shared fixtures: a small hand-made dataset whose figures are worked out in the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

INDICATORS = """\
id,title,service_area,kind,polarity,unit,decimals,aggregation,frequency,year_type
contacts,Contacts,Family Help,activity,none,count,0,sum,,
assess45,Assessments within 45 days,Children's Social Care,benchmarking,high,percent,1,ratio,,
cin_rate,Children in need rate,Children's Social Care,benchmarking,low,rate_per_10k,1,snapshot,monthly,financial
"""
TARGETS = """\
indicator,year,red,amber,green
assess45,2024/25,<82%,82%+,90%+
cin_rate,2024/25,227.1+,-,<227.1
"""
SETTINGS = """\
authority: Test Borough
as_at: 2025-04-10
service_areas: [Family Help, Children's Social Care]
band_labels: {red: Red, amber: Yellow, green: Green}
"""


def observations_csv() -> str:
    """Jan 2023 to Mar 2025. Month n of the year (Jan=1) has: contacts 100+n;
    assessments 80+n of 100; CIN rate 220 + n/10."""
    rows = ["indicator,month,value,numerator,denominator"]
    months = [(y, m) for y in (2023, 2024) for m in range(1, 13)] + [(2025, m) for m in (1, 2, 3)]
    for y, m in months:
        rows.append(f"contacts,{y}-{m:02d},{100 + m},,")
        rows.append(f"assess45,{y}-{m:02d},,{80 + m},100")
        rows.append(f"cin_rate,{y}-{m:02d},{220 + m / 10:.1f},,")
    return "\n".join(rows) + "\n"


def write_dataset(folder: Path, **files: str) -> Path:
    """Write the small dataset into ``folder``, with any file replaced by ``files``
    (``indicators=...``, ``observations=...``); ``None`` leaves a file out."""
    folder.mkdir(parents=True, exist_ok=True)
    contents = {
        "indicators.csv": INDICATORS,
        "targets.csv": TARGETS,
        "observations.csv": observations_csv(),
        "settings.yaml": SETTINGS,
    }
    for name, text in files.items():
        contents[f"{name}.yaml" if name == "settings" else f"{name}.csv"] = text
    for name, text in contents.items():
        if text is not None:
            (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def small_dataset(tmp_path: Path) -> Path:
    return write_dataset(tmp_path / "small")
