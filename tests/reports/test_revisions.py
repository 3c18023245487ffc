"""Revisions since the last pack (cyps_analysis/reports/revisions.py,
docs/reports.md#revisions): each pack's figures.csv, which pack is the last one, the
revised months with their old and new values and the headline RAG then and now (on the
index and the scorecard, revised figures marked [r]), the fixed sentences, packs of a
batch compared in period order, and --no-compare."""

from __future__ import annotations

import csv
import html
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from cyps_analysis.cli.main import main
from cyps_analysis.exceptions import CypsError
from cyps_analysis.reports.batch import plan_batch, run_batch
from cyps_analysis.reports.report import open_report
from cyps_analysis.reports.revisions import (
    COLUMNS,
    NO_EARLIER_PACK,
    NOTHING_REVISED,
    Revisions,
    last_pack,
    read_figures,
    revised_cells,
    write_figures,
)
from tests.conftest import SETTINGS, write_dataset

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = ROOT / "notebooks"
DEMO = ROOT / "data" / "demo"
HEADING = "Revisions since the last pack"
ASSESS45 = "Assessments completed within 45 working days"


def _figures(folder: Path) -> list[dict]:
    with (folder / "figures.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _revision_rows(page: str) -> list[list[str]]:
    """The rows of the table of revised figures on a page, as text."""
    table = re.search(r"<caption>Figures revised since.*?</table>", page, re.S)
    assert table, "no table of revisions"
    rows = re.findall(r"<tr>(.*?)</tr>", table.group(0), re.S)
    return [
        [html.unescape(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in rows
    ]


def _pack(data: Path, period: str, root: Path) -> None:
    """A pack of the scorecard notebook only (the batch API limits templates)."""
    packs = plan_batch([data], period, root, notebooks=NOTEBOOK_DIR, templates=("scorecard",))
    result = run_batch(packs, root, notebooks=NOTEBOOK_DIR, workers=2)
    assert result.ok and all(p.status == "built" for p in result.packs)


def _revise_october(data: Path) -> None:
    """Assessments within 45 working days, Oct-24: 144 of 158 becomes 40 of 158."""
    obs = data / "observations.csv"
    text = obs.read_text(encoding="utf-8")
    assert text.count("csc_assess45,2024-10,,144,158\n") == 1
    obs.write_text(
        text.replace("csc_assess45,2024-10,,144,158\n", "csc_assess45,2024-10,,40,158\n"),
        encoding="utf-8",
    )


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return Path(shutil.copytree(DEMO, tmp_path / "demo"))


# --- figures.csv ---------------------------------------------------------------


def test_figures_csv_holds_every_month_used_with_the_headline_rag_and_a_checksum(
    small_dataset, tmp_path
):
    write_figures(open_report(small_dataset, "2024-25-Q4"), tmp_path)
    rows = _figures(tmp_path)
    assert tuple(rows[0]) == COLUMNS
    # Three indicators, each recorded every month from Jan-23 to Mar-25: 27 months.
    assert len(rows) == 3 * 27
    assert {r["authority"] for r in rows} == {"Test Borough"}
    assert {r["period"] for r in rows} == {"2024-25-Q4"}
    october = [r for r in rows if (r["indicator"], r["month"]) == ("assess45", "2024-10")]
    # 80 + 10 of 100 in October (tests/conftest.py).
    assert [(float(r["value"]), r["numerator"], r["denominator"]) for r in october] == [
        (90.0, "90.0", "100.0")
    ]
    # Headline RAG, year to date Apr-24 to Mar-25: (84 + ... + 92 + 81 + 82 + 83) / 1200
    # = 1038 / 1200 = 86.5%, Amber (82 to 90; the pack's word is Yellow, the file keeps
    # the rating); the CIN rate's Mar-25 snapshot 220.3 is Green (<227.1); contacts are
    # an activity, not rated.
    rag = {r["indicator"]: r["headline_rag"] for r in rows}
    assert rag == {"assess45": "Amber", "cin_rate": "Green", "contacts": ""}
    # One checksum of the inputs, the same for the same files wherever they are, and
    # another when a file changes.
    checksum = {r["inputs_checksum"] for r in rows}
    assert len(checksum) == 1 and re.fullmatch(r"[0-9a-f]{64}", next(iter(checksum)))
    copy = Path(shutil.copytree(small_dataset, tmp_path / "elsewhere" / "copy"))
    write_figures(open_report(copy, "2024-25-Q4"), tmp_path / "elsewhere")
    assert (tmp_path / "elsewhere" / "figures.csv").read_bytes() == (
        tmp_path / "figures.csv"
    ).read_bytes()
    (copy / "targets.csv").write_text(
        (copy / "targets.csv").read_text(encoding="utf-8") + "\n", encoding="utf-8"
    )
    write_figures(open_report(copy, "2024-25-Q4"), tmp_path / "elsewhere")
    assert {r["inputs_checksum"] for r in _figures(tmp_path / "elsewhere")} != checksum


def test_figures_csv_defuses_formulas_and_reads_back(tmp_path):
    settings = SETTINGS.replace("authority: Test Borough", "authority: =Borough")
    data = write_dataset(tmp_path / "d", settings=settings)
    write_figures(open_report(data, "2024-25-Q4"), tmp_path)
    assert {r["authority"] for r in _figures(tmp_path)} == {"'=Borough"}
    back = read_figures(tmp_path / "figures.csv")
    assert back["month_number"].min() == 2023 * 12 and len(back) == 81


# --- which pack is the last one ------------------------------------------------


def _kept(data: Path, root: Path, period: str, *, published: bool = False) -> None:
    """The figures a pack of ``period`` keeps: in ``root/<period>/_internal/``, or for
    a published pack in ``root/.internal/<period>/``."""
    folder = root / ".internal" / period if published else root / period / "_internal"
    folder.mkdir(parents=True)
    write_figures(open_report(data, period), folder)


def test_the_last_pack_is_the_latest_period_up_to_and_including_this_one(small_dataset, tmp_path):
    root = tmp_path / "out"
    _kept(small_dataset, root, "2024-25-Q2")
    _kept(small_dataset, root, "2024-25-Q3", published=True)
    _kept(small_dataset, root, "2025-03")  # ends with Q4, but a later period than Q4
    (root / "2024-25-Q4.failed" / "_internal").mkdir(parents=True)
    write_figures(open_report(small_dataset, "2024-25-Q4"), root / "2024-25-Q4.failed/_internal")
    (root / "notes").mkdir()
    q4 = open_report(small_dataset, "2024-25-Q4")

    def last(report=q4, authority="Test Borough"):
        found = last_pack(root, authority, report.period)
        return found[0].label if found else None

    # Q3's pack, published (its figures kept apart from it); a failed pack never counts.
    assert last() == "2024-25-Q3"
    # The pack of the same period, about to be replaced, comes first.
    _kept(small_dataset, root, "2024-25-Q4")
    assert last() == "2024-25-Q4"
    assert last(open_report(small_dataset, "2025-03")) == "2025-03"
    assert last(open_report(small_dataset, "2024-25-Q1")) is None
    # Another authority's packs are not this one's.
    assert last(authority="Other Borough") is None


def test_a_damaged_figures_file_stops_the_run_naming_row_and_column(small_dataset, tmp_path):
    root = tmp_path / "out"
    _kept(small_dataset, root, "2024-25-Q4")
    figures = root / "2024-25-Q4" / "_internal" / "figures.csv"
    lines = figures.read_text(encoding="utf-8").splitlines()
    lines[4] = lines[4].replace(",2023-04,", ",2023-04,ninety")  # the value of row 5
    figures.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CypsError, match=r"row 5, column value: not a number"):
        read_figures(figures)
    (root / "2024-25-Q4" / "index.html").write_text("earlier pack", encoding="utf-8")
    args = ["run", "--data", str(small_dataset), "--period", "2024-25-Q4", "--out", str(root)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert f"{figures}, row 5, column value" in result.output and "--no-compare" in result.output
    assert "Traceback" not in result.output
    assert (root / "2024-25-Q4" / "index.html").read_text(encoding="utf-8") == "earlier pack"
    assert sorted(p.name for p in root.iterdir()) == ["2024-25-Q4"]


def test_the_scorecard_marks_revised_months_and_the_figures_made_from_them(small_dataset):
    report = open_report(small_dataset, "2024-25-Q4")
    card = report.scorecard
    months = {"2023-06": 2023 * 12 + 5, "2024-10": 2024 * 12 + 9, "2025-02": 2025 * 12 + 1}
    revised = pd.DataFrame(
        [
            ("assess45", months["2024-10"]),  # a ratio: in the year to date (Apr-24 on)
            ("cin_rate", months["2024-10"]),  # a snapshot: only its month's value
            ("cin_rate", months["2025-02"]),  # a month of Q4, not the quarter's last
            ("contacts", months["2023-06"]),  # a sum: in last year (Apr-23 to Mar-24)
        ],
        columns=["indicator", "month_number"],
    )
    cells = revised_cells(Revisions("2024/25 Q4", pd.DataFrame(), revised), card)
    marked = {column: list(card["id"][rows]) for column, rows in cells.items()}
    assert marked == {"Feb-25": ["cin_rate"], "YTD": ["assess45"], "Last yr": ["contacts"]}


# --- a revision, worked by hand ------------------------------------------------


def test_a_revised_month_is_listed_with_old_and_new_values_and_the_rag_change(demo, tmp_path):
    root = tmp_path / "out"
    _pack(demo, "2024-25-Q4", root)
    first = root / "2024-25-Q4"
    index = (first / "index.html").read_text(encoding="utf-8")
    assert f"<h2 id='revisions'>{HEADING}</h2><p>{NO_EARLIER_PACK}</p>" in index
    assert NO_EARLIER_PACK in (first / "scorecard.html").read_text(encoding="utf-8")
    before = _figures(first / "_internal")

    # Oct-24: 144 of 158 (91.1%) becomes 40 of 158 (25.3%). The year to date, Apr-24 to
    # Mar-25, was 1,683 of 1,912 = 88.0%, Green (>=83.6 in targets.csv); now it is
    # 1,579 of 1,912 = 82.6%, Amber (77.0-83.5).
    _revise_october(demo)
    _pack(demo, "2024-25-Q4", root)
    index = (first / "index.html").read_text(encoding="utf-8")
    scorecard = (first / "scorecard.html").read_text(encoding="utf-8")
    expected = [
        "Indicator",
        "Month",
        "Was",
        "Now",
        "Headline RAG in the 2024/25 Q4 pack",
        "Headline RAG for 2024/25 Q4 now",
        "RAG changed",
    ]
    row = [ASSESS45, "Oct-24", "91.1%", "25.3%", "Green", "Amber", "Yes"]
    assert _revision_rows(index) == [expected, row]
    assert _revision_rows(scorecard) == [expected, row]
    assert "Compared with the last pack, for 2024/25 Q4: 1 month revised." in index
    # In the scorecard's table the year to date is marked (Oct-24 is not one of Q4's
    # months, nor in its quarter), with the key below the table.
    assert re.search(r'-YTD">82\.6% \[r\]</td>', scorecard)
    assert scorecard.count("[r]</td>") == 1
    assert "<strong>[r]</strong> revised: the figure, or a month in it, has changed" in scorecard
    # The new pack's figures: the month as now recorded, its headline RAG, a new checksum.
    after = _figures(first / "_internal")
    october = [r for r in after if (r["indicator"], r["month"]) == ("csc_assess45", "2024-10")]
    assert [(r["numerator"], r["denominator"], r["headline_rag"]) for r in october] == [
        ("40.0", "158.0", "Amber")
    ]
    assert before[0]["inputs_checksum"] != after[0]["inputs_checksum"]


def test_a_batch_compares_each_period_with_the_pack_made_before_it(demo, tmp_path):
    root = tmp_path / "out"
    _pack(demo, "2024-25-Q3", root)
    _revise_october(demo)
    # Given out of order: packs are compared in period order all the same.
    _pack(demo, "2024-25-Q4,2024-25-Q3", root)
    q3 = (root / "2024-25-Q3" / "index.html").read_text(encoding="utf-8")
    q4 = (root / "2024-25-Q4" / "index.html").read_text(encoding="utf-8")
    # Q3 against the Q3 pack it replaces. That pack reported Apr-24 to Dec-24: 1,241 of
    # 1,421 = 87.3%, Green; with Oct-24 at 40 of 158 it is 1,137 of 1,421 = 80.0%, Amber.
    assert _revision_rows(q3)[1:] == [
        [ASSESS45, "Oct-24", "91.1%", "25.3%", "Green", "Amber", "Yes"]
    ]
    # In Q3's scorecard Oct-24 is a month of the period: it is marked, and so are the
    # quarter, (40 + 153 + 120) / (158 + 172 + 142) = 313 / 472 = 66.3%, and the year
    # to date, 80.0%.
    scorecard = (root / "2024-25-Q3" / "scorecard.html").read_text(encoding="utf-8")
    for column, value in (("Oct-24", "25.3%"), ("Qtr", "66.3%"), ("YTD", "80.0%")):
        assert re.search(rf'-{column}">{re.escape(value)} \[r\]</td>', scorecard), column
    # Q4 against the Q3 pack made just before it in this batch, from the same data:
    # nothing revised (against the Q3 pack made before the change, Oct-24 would be).
    assert f"<h2 id='revisions'>{HEADING}</h2><p>{NOTHING_REVISED}</p>" in q4


# --- --no-compare ----------------------------------------------------------------


@pytest.mark.parametrize("batch", [False, True], ids=["one pack", "batch"])
def test_no_compare_skips_the_comparison(small_dataset, tmp_path, batch):
    root = tmp_path / "out"
    args = ["run", "--data", str(small_dataset), "--period", "2024-25-Q4", "--out", str(root)]
    # --force makes a one-period run a batch (docs/batch.md).
    args += ["--jobs", "2", "--no-compare", *(["--force"] if batch else [])]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    pack = root / "2024-25-Q4"
    for page in ("index.html", "scorecard.html"):
        text = (pack / page).read_text(encoding="utf-8")
        assert HEADING not in text and NO_EARLIER_PACK not in text, page
    # The pack still keeps its figures, for the next pack to compare with.
    assert len(_figures(pack / "_internal")) == 81
    if batch:
        # The same batch with the comparison is another pack: made again, not skipped.
        args = ["run", "--data", str(small_dataset), "--period", "2024-25-Q4:2024-25-Q4"]
        args += ["--out", str(root), "--jobs", "2"]  # a range: a batch, without --force
        result = CliRunner().invoke(main, args, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert "1 made, 0 already up to date" in result.output
        text = (pack / "scorecard.html").read_text(encoding="utf-8")
        assert HEADING in text


# --- a published pack ------------------------------------------------------------


CONTACTS = "Contacts to the children's front door"
NO_RAG = ["No RAG (activity)", "No RAG (activity)", "No"]


def _published_pack(data: Path, period: str, root: Path) -> None:
    packs = plan_batch(
        [data], period, root, notebooks=NOTEBOOK_DIR, templates=("scorecard",), publish=True
    )
    result = run_batch(packs, root, notebooks=NOTEBOOK_DIR, workers=2)
    assert result.ok and all(p.status == "built" for p in result.packs)


def _set_october(data: Path, assess45: str, contacts: str) -> None:
    """Oct-24's assessments within 45 days (numerator,denominator) and contacts."""
    obs = pd.read_csv(data / "observations.csv", dtype=str, keep_default_na=False)
    at = (obs["indicator"] == "csc_assess45") & (obs["month"] == "2024-10")
    obs.loc[at, ["numerator", "denominator"]] = assess45.split(",")
    at = (obs["indicator"] == "fh_contacts") & (obs["month"] == "2024-10")
    obs.loc[at, "value"] = contacts
    obs.to_csv(data / "observations.csv", index=False)


def test_a_published_pack_hides_small_numbers_among_its_revisions(demo, tmp_path):
    root = tmp_path / "out"
    pack = root / "2024-10"
    _published_pack(demo, "2024-10", root)
    # Its figures are kept apart from the published folder, as recorded.
    assert not (pack / "_internal").exists()
    assert (root / ".internal" / "2024-10" / "figures.csv").is_file()

    # Oct-24: assessments 144 of 158 (91.1%, Green: >=83.6) become 2 of 3, and contacts
    # 951 become 3: both below 5, so both are [c] now; the month is the headline of a
    # month's pack, so its RAG then and now is [c] too. Contacts are activity: no RAG.
    _set_october(demo, "2,3", "3")
    _published_pack(demo, "2024-10", root)
    rows = _revision_rows((pack / "index.html").read_text(encoding="utf-8"))[1:]
    assert rows == [
        [CONTACTS, "Oct-24", "951", "[c]", *NO_RAG],
        [ASSESS45, "Oct-24", "91.1%", "[c]", "[c]", "[c]", "[c]"],
    ]
    kept = _figures(root / ".internal" / "2024-10")
    october = [r for r in kept if (r["indicator"], r["month"]) == ("csc_assess45", "2024-10")]
    assert [(r["numerator"], r["denominator"]) for r in october] == [("2.0", "3.0")]

    # Back to 144 of 158 and 951: the small figures are now the old ones, hidden as
    # "Was"; the last pack reported no RAG for the hidden month, now it is Green.
    _set_october(demo, "144,158", "951")
    _published_pack(demo, "2024-10", root)
    rows = _revision_rows((pack / "scorecard.html").read_text(encoding="utf-8"))[1:]
    assert rows == [
        [CONTACTS, "Oct-24", "[c]", "951", *NO_RAG],
        [ASSESS45, "Oct-24", "[c]", "91.1%", "Not rated", "Green", "Yes"],
    ]


def test_a_published_quarter_shows_a_rag_its_small_month_does_not_decide(demo, tmp_path):
    # Quarter 3's headline is its year to date, Apr-24 to Dec-24: 1,241 of 1,421 = 87.3%
    # (Green). With Oct-24 at 2 of 3 it is 1,099 of 1,266 = 86.8%, still Green, and not
    # small, so its RAG is shown while the month's value is [c].
    root = tmp_path / "out"
    _published_pack(demo, "2024-25-Q3", root)
    _set_october(demo, "2,3", "951")
    _published_pack(demo, "2024-25-Q3", root)
    rows = _revision_rows((root / "2024-25-Q3" / "index.html").read_text(encoding="utf-8"))
    assert rows[1:] == [[ASSESS45, "Oct-24", "91.1%", "[c]", "Green", "Green", "No"]]


def test_a_published_batch_compares_each_period_with_the_pack_before_it(demo, tmp_path):
    root = tmp_path / "out"
    _published_pack(demo, "2024-25-Q3", root)
    # Oct-24 assessments 144 of 158 become 2 of 3; then a published batch of Q3 and Q4.
    # Q3 is compared with its earlier pack (91.1% then, [c] now; the year to date
    # 1,099 of 1,266 = 86.8% keeps it Green); Q4 with the Q3 pack made just before it
    # in the batch, from the same data: nothing revised.
    _set_october(demo, "2,3", "951")
    _published_pack(demo, "2024-25-Q3,2024-25-Q4", root)
    q3 = (root / "2024-25-Q3" / "index.html").read_text(encoding="utf-8")
    assert _revision_rows(q3)[1:] == [[ASSESS45, "Oct-24", "91.1%", "[c]", "Green", "Green", "No"]]
    q4 = (root / "2024-25-Q4" / "scorecard.html").read_text(encoding="utf-8")
    assert f"<p>{NOTHING_REVISED}</p>" in q4
    for period in ("2024-25-Q3", "2024-25-Q4"):
        assert not (root / period / "_internal").exists()
        assert (root / ".internal" / period / "figures.csv").is_file()
