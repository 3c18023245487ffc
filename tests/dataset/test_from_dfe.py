"""``cyps-analysis dataset from-dfe`` against the real DfE files, for Rotherham (372)
and Bedford Borough (822): the dataset's observations are LAIT's figures, its 2024-25
scorecard's outturns and benchmarks are the published ones, ``year_lag: 1`` gives the
year before's benchmarks, and the pack builds.

Figures below are read by hand from the raw rows of bds_long_0.parquet (``Short Desc``,
``Years``, ``LA and Regions``, ``Values``):

    ReReferral 2024 Rotherham 17.7       ReReferral 2025 Rotherham 19.600000000000001
    ReReferral 2024 Bedford Borough 25.2 ReReferral 2025 Bedford Borough 23.3
    ReReferral 2024 England 22.4         ReReferral 2025 England 22.6
    ReReferral 2024 East of England 20.6 ReReferral 2025 East of England 19.399999999999999
    LAC 2024 Rotherham 86, 2025 80;      LAC 2024 Bedford Borough 60, 2025 59
    LAC 2024 England 69, 2025 67;        LAC 2024 East of England 50, 2025 49
    TotAbs 2024 Rotherham 7.74, 2025 7.36; Bedford Borough 2024 6.58, 2025 6.5
    SEN_EHC_All_20wks 2024 Rotherham 79.3; Bedford Borough 73

The dictionary gives ReReferral and LAC as "Financial Year" and "Annual" (at 31 March):
both are the financial year ending that March, so 2025 is 2024/25, observed at
2025-03. TotAbs is an "Academic Year" (2025 = 2024/25, observed at 2025-08);
SEN_EHC_All_20wks a "Calendar Year" (2024, observed at 2024-12).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from cyps_analysis.cli.main import main
from cyps_analysis.dataset.load import load_dataset
from cyps_analysis.scorecard.build import build_scorecard
from tests.published_files import dfe_file

AUTHORITIES = {"372": "Rotherham", "822": "Bedford"}  # the ONS list names Bedford Borough "Bedford"
#: As given to --la: Bedford as LAIT and the DfE's LA list write it.
GIVEN = {"372": "Rotherham", "822": "Bedford Borough"}


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, Path]:
    dfe = dfe_file("bds_long_0.parquet").parent
    dfe_file("sn_may_2025.xlsx")
    base = tmp_path_factory.mktemp("from_dfe")
    out = {}
    for code, name in GIVEN.items():
        result = CliRunner().invoke(
            main,
            ["dataset", "from-dfe", "--la", name, "--out", str(base / code), "--dfe", str(dfe)],
        )
        assert result.exit_code == 0, result.output
        out[code] = base / code
    return out


def _obs(folder: Path) -> pd.DataFrame:
    return pd.read_csv(folder / "observations.csv", dtype={"month": str})


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            "372",
            {
                ("rereferrals", "2024-03"): 17.7,
                ("rereferrals", "2025-03"): 19.6,
                ("cla_rate", "2024-03"): 86.0,
                ("cla_rate", "2025-03"): 80.0,
                ("overall_absence", "2024-08"): 7.74,
                ("overall_absence", "2025-08"): 7.36,
                ("ehcp_20_weeks", "2024-12"): 79.3,
            },
        ),
        (
            "822",
            {
                ("rereferrals", "2024-03"): 25.2,
                ("rereferrals", "2025-03"): 23.3,
                ("cla_rate", "2024-03"): 60.0,
                ("cla_rate", "2025-03"): 59.0,
                ("overall_absence", "2024-08"): 6.58,
                ("overall_absence", "2025-08"): 6.5,
                ("ehcp_20_weeks", "2024-12"): 73.0,
            },
        ),
    ],
)
def test_observations_are_the_published_figures(made, code, expected):
    obs = _obs(made[code]).set_index(["indicator", "month"])["value"]
    assert {key: obs[key] for key in expected} == pytest.approx(expected)
    # One observation a year: LAIT's re-referrals run 2016 to 2025.
    months = _obs(made[code]).query("indicator == 'rereferrals'")["month"].tolist()
    assert months == [f"{y}-03" for y in range(2016, 2026)]


def test_the_files_are_complete_and_mapped(made):
    folder = made["822"]
    ind = pd.read_csv(folder / "indicators.csv")
    assert len(ind) == 30 and ind["national_code"].notna().all()
    assert (folder / "targets.csv").read_text() == "indicator,year,red,amber,green\n"
    cin = ind.set_index("id").loc["cin_rate"]
    # CIN has no polarity in LAIT's dictionary: none, and the definition says so.
    assert cin["polarity"] == "none" and "gives no polarity" in cin["definition"]
    settings = (folder / "settings.yaml").read_text()
    assert "authority: Bedford" in settings and "la_code: '822'" in settings
    assert "lait_dictionary:" in settings and "neighbours:" in settings


@pytest.mark.parametrize(
    ("code", "lag", "expected"),
    [
        # 2024-25: LAIT's 2025 figures (2024/25), England and the East of England.
        ("822", 0, {"rereferrals": (23.3, 22.6, 19.4, "2024/25"), "cla_rate": (59, 67, 49, "2024/25")}),
        # year_lag 1: the benchmarks as they stood, LAIT's 2024 (2023/24).
        ("822", 1, {"rereferrals": (23.3, 22.4, 20.6, "2023/24"), "cla_rate": (59, 69, 50, "2023/24")}),
        ("372", 0, {"rereferrals": (19.6, 22.6, None, "2024/25"), "cla_rate": (80, 67, None, "2024/25")}),
        ("372", 1, {"rereferrals": (19.6, 22.4, 21.7, "2023/24"), "cla_rate": (80, 69, None, "2023/24")}),
    ],
)  # fmt: skip
def test_scorecard_outturns_and_benchmarks(made, tmp_path, code, lag, expected):
    folder = made[code]
    if lag:
        copy = tmp_path / code
        copy.mkdir()
        for f in folder.iterdir():
            text = f.read_text()
            if f.name == "settings.yaml":
                # Paths are relative to the dataset: point them back at the DfE folder.
                dfe = dfe_file("bds_long_0.parquet").parent
                text = (
                    text.replace("year_lag: 0", f"year_lag: {lag}")
                    .replace(
                        text.split("lait: ")[1].split("\n")[0], str(dfe / "bds_long_0.parquet")
                    )
                    .replace(
                        text.split("lait_dictionary: ")[1].split("\n")[0],
                        str(dfe / "lait_data_dictionary.csv"),
                    )
                    .replace(
                        text.split("neighbours: ")[1].split("\n")[0], str(dfe / "sn_may_2025.xlsx")
                    )
                )
            (copy / f.name).write_text(text)
        folder = copy
    card = build_scorecard(load_dataset(folder), "2024-25").set_index("id")
    for key, (outturn, national, regional, year) in expected.items():
        row = card.loc[key]
        assert row["outturn"] == pytest.approx(outturn)
        assert row["national_avg"] == pytest.approx(national)
        assert row["national_avg_year"] == year
        if regional is not None:
            assert row["regional_avg"] == pytest.approx(regional)
    # Rotherham's re-referrals in 2023/24 against its neighbours, as the benchmark
    # command gives them (docs/benchmarking.md): average 19.87 -> 19.9, best 14.9, top
    # quartile 17.7.
    if code == "372" and lag == 1:
        row = card.loc["rereferrals"]
        assert (row["stat_neighbour_avg"], row["best_stat_neighbour"], row["top_quartile"]) == (
            19.9,
            14.9,
            17.7,
        )


@pytest.mark.parametrize("code", list(AUTHORITIES))
def test_the_pack_builds(made, tmp_path, code):
    result = CliRunner().invoke(
        main,
        ["run", "--data", str(made[code]), "--period", "2024-25", "--out", str(tmp_path), "--jobs", "2"],
        catch_exceptions=False,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    index = next(tmp_path.rglob("index.html")).read_text()
    assert AUTHORITIES[code] in index


def test_without_a_folder_it_says_what_it_needs(tmp_path, monkeypatch):
    monkeypatch.delenv("CYPS_DFE_DATA", raising=False)
    result = CliRunner().invoke(
        main, ["dataset", "from-dfe", "--la", "372", "--out", str(tmp_path / "x")]
    )
    assert result.exit_code == 2
    assert "CYPS_DFE_DATA" in result.output and "bds_long_0.parquet" in result.output
    assert "lait_data_dictionary.csv" in result.output and "sn_may_2025.xlsx" in result.output
    assert not (tmp_path / "x").exists()


def test_the_environment_variable_names_the_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("CYPS_DFE_DATA", str(dfe_file("bds_long_0.parquet").parent))
    result = CliRunner().invoke(
        main, ["dataset", "from-dfe", "--la", "E08000018", "--out", str(tmp_path / "x"), "--measures", "ReReferral,CIN"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    ind = pd.read_csv(tmp_path / "x" / "indicators.csv")
    assert ind["national_code"].tolist() == ["ReReferral", "CIN"]
