"""Writing the scorecard: text table, CSV, JSON and Excel, each written whole or not at
all (a failed write leaves any earlier file in place)."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from cyps_analysis.scorecard.build import BENCHMARKS
from cyps_analysis.scorecard.layout import report_table, show_hidden, spc_words
from cyps_analysis.scorecard.spc import INTERVAL_COLUMNS, SPC_COLUMNS

FORMATS: tuple[str, ...] = ("table", "csv", "json", "xlsx")
_INDICATOR_KEYS = (
    "id", "title", "service_area", "kind", "polarity", "unit", "decimals",
    "aggregation", "frequency", "year_type", "year",
)  # fmt: skip
_VALUE_KEYS = (
    "quarter", "outturn", "previous_year", "previous_year_to_date", "same_month_last_year",
    "previous_month", "dot_month", "dot_month_change", "rag_month", "rag_month_label",
    "dot_year", "dot_year_change", "rag_year", "rag_year_label",
)  # fmt: skip


#: Scorecard columns for the kit's own use (the narrative), not written out.
_INTERNAL = ("spc_latest_rules", "spc_run", "interval_cases", "suppressed")


def _clean(value):
    """JSON-safe scalars: NaN and NA become null, numpy numbers plain numbers."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        return _clean(value.item())
    return value


def _whole(value):
    """A number shown with no decimals as a JSON integer."""
    value = _clean(value)
    return int(value) if isinstance(value, float) else value


def scorecard_records(scorecard: pd.DataFrame) -> dict:
    """The scorecard as the JSON document of ``docs/scorecard.md``."""
    months = scorecard.attrs["months"]
    indicators = []
    for row in scorecard.to_dict("records"):
        item = {k: _clean(row[k]) for k in _INDICATOR_KEYS}
        number = _whole if row["decimals"] == 0 else _clean
        item["months"] = {m: number(row[m]) for m in months}
        item.update({k: number(row[k]) for k in _VALUE_KEYS})
        item["bands"] = {k: _clean(row[k]) for k in ("red", "amber", "green", "national_standard")}
        item["benchmarks"] = {
            name: {
                "value": number(row[name]),
                "year": _clean(row[f"{name}_year"]),
                "source": _clean(row[f"{name}_source"]),
            }
            for name in BENCHMARKS
        }
        item["flags"] = row["flags"]
        item["forecast"] = {
            "projected_outturn": number(row["forecast_projected_outturn"]),
            "projected_rag": _clean(row["forecast_projected_rag"]),
            "needed": number(row["forecast_needed"]),
            "possible": _clean(row["forecast_possible"]),
            "months_left": _whole(row["forecast_months_left"]),
        }
        item["attribution"] = {
            key: _clean(row[f"attribution_{key}"])
            for key in ("change", "numerator_effect", "denominator_effect")
        }
        if "spc_mean" in row:
            item["spc"] = {c.removeprefix("spc_"): _clean(row[c]) for c in SPC_COLUMNS}
            item["interval"] = {
                c.removeprefix("interval_"): _clean(row[c]) for c in INTERVAL_COLUMNS
            }
        indicators.append(item)
    return {
        "period": scorecard.attrs["period"],
        "authority": scorecard.attrs.get("authority"),
        "as_at": scorecard.attrs.get("as_at"),
        "indicators": indicators,
    }


#: First characters that make a spreadsheet read a cell as a formula (OWASP's CSV
#: injection guidance): such free text is written as text.
FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
#: Free-text columns of the flat scorecard: everything a dataset's author typed
#: (band notation and numbers are not among them and stay as written).
FREE_TEXT: tuple[str, ...] = (
    "id", "title", "service_area", "flags", "rag_month_label", "rag_year_label",
    *(f"{name}_source" for name in BENCHMARKS),
)  # fmt: skip


def defuse_formulas(text: pd.Series) -> pd.Series:
    """Text that a spreadsheet would read as a formula, prefixed with ``'`` so that it
    is shown as written; other values as they are.

    Examples
    --------
    >>> defuse_formulas(pd.Series(["=HYPERLINK(1)", "@x", "Rate", None, "-"], dtype=object)).tolist()
    ["'=HYPERLINK(1)", "'@x", 'Rate', None, "'-"]
    """
    as_text = text.astype("string")
    risky = as_text.str.startswith(FORMULA_STARTS).fillna(False).astype(bool)
    out = text.astype(object).copy()
    out[risky] = ("'" + as_text[risky]).astype(object)
    return out


def scorecard_csv_frame(scorecard: pd.DataFrame) -> pd.DataFrame:
    """The scorecard flat, for CSV: the JSON keys as columns, flags as text, free text
    that would start a formula prefixed with ``'``; with SPC, ``spc_*`` and
    ``interval_*`` columns and the ``variation`` and ``assurance`` in words."""
    flat = scorecard.drop(columns=[c for c in _INTERNAL if c in scorecard])
    flat["flags"] = [
        "; ".join(f"{f['code']}: {f['message']}" for f in flags) for flags in flat["flags"]
    ]
    if "spc_variation" in flat:
        flat["variation"], flat["assurance"] = spc_words(scorecard)
    if "suppressed" in scorecard:
        # A published scorecard: each hidden figure (and what it would give away) as [c].
        keys = dict.fromkeys(k for row in scorecard["suppressed"] for k in row)
        show_hidden(flat, scorecard, {key: key for key in keys})
    for column in FREE_TEXT:
        if column in flat:
            flat[column] = defuse_formulas(flat[column])
    return flat


def source_date() -> dt.datetime | None:
    """``SOURCE_DATE_EPOCH`` (the reproducible-builds convention: seconds since 1970,
    UTC) as a date and time, or ``None`` when it is not set or not a number."""
    given = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not given.isdigit():
        return None
    return dt.datetime.fromtimestamp(int(given), tz=dt.UTC).replace(tzinfo=None)


def _fix_zip_times(path: Path, when: dt.datetime) -> None:
    """Rewrite the workbook with ``when`` as its zip entries' date and time (zip dates
    start in 1980) and as its "modified" property (openpyxl sets that to the time it
    saves), entries in the order openpyxl wrote them."""
    import re
    import zipfile

    stamp = max(when, dt.datetime(1980, 1, 1)).timetuple()[:6]
    modified = f"{when:%Y-%m-%dT%H:%M:%S}Z".encode()
    with zipfile.ZipFile(path) as z:
        entries = [(info, z.read(info)) for info in z.infolist()]
    entries = [
        (
            info,
            re.sub(
                rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                rb"\g<1>" + modified + rb"\g<2>",
                data,
            )
            if info.filename == "docProps/core.xml"
            else data,
        )
        for info, data in entries
    ]
    with zipfile.ZipFile(path, "w") as z:
        for info, data in entries:
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            z.writestr(fixed, data)


def write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Write to a temporary file beside ``path`` and move it into place only when done."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        # mkstemp makes the file private (0600); a written output gets the usual
        # permissions, as if created directly, so colleagues can open it.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def render_scorecard(scorecard: pd.DataFrame, fmt: str) -> str:
    """The scorecard as text in the ``table``, ``csv`` or ``json`` format."""
    if fmt == "json":
        return json.dumps(scorecard_records(scorecard), indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return scorecard_csv_frame(scorecard).to_csv(index=False, lineterminator="\n")
    if fmt == "table":
        attrs = scorecard.attrs
        head = f"{attrs.get('authority')} scorecard, {attrs['period_title']} (data as at {attrs.get('as_at')})\n"
        return head + report_table(scorecard).to_string(index=False) + "\n"
    raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")


def write_scorecard(scorecard: pd.DataFrame, path: Path, fmt: str) -> None:
    """Write the scorecard to ``path`` in ``fmt``, whole or not at all."""
    if fmt == "xlsx":
        write_atomic(path, lambda tmp: _write_xlsx(scorecard, tmp))
    else:
        text = render_scorecard(scorecard, fmt)
        write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def _write_xlsx(scorecard: pd.DataFrame, path: Path) -> None:
    """The council workbook: Scorecard, Data (the CSV columns, numbers as numbers) and
    About sheets (docs/scorecard.md, "The workbook")."""
    from importlib.metadata import version

    from openpyxl import Workbook

    from cyps_analysis.scorecard.workbook import add_about_sheet, add_scorecard_sheet

    wb = Workbook()
    data = wb.active
    data.title = "Data"
    flat = scorecard_csv_frame(scorecard)
    data.append(list(flat.columns))
    for row in flat.itertuples(index=False):
        data.append([_clean(v) for v in row])
    add_scorecard_sheet(wb, scorecard)
    when = source_date()
    add_about_sheet(
        wb,
        scorecard,
        run_date=(when or dt.datetime.now()).date(),
        version=version("cyps-analysis"),
    )
    # openpyxl stores text starting with "=" as a formula: every cell the kit writes
    # is a value, so such text is stored as a string.
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    if when:
        wb.properties.created = wb.properties.modified = when
    wb.save(path)
    if when:
        _fix_zip_times(path, when)
