"""A unit that cannot match its published measure is a dataset problem, in ``validate``
and before the scorecard's benchmarks.

What the published files say, read by hand:

- lait_data_dictionary.csv, ``y_axis_name``: CIN "Rate per 10,000"; Continue_Assess_Comp
  "% completed to time"; FirstYJS "Rate per 100,000 of 10-17 population".
- EES columns: cla_number_and_rate_per_10k_children.csv ``rate_per_10000`` (a rate per
  10,000); c1 (2025) ``referral_count`` (a count); b1 (2025) ``At31_episodes`` (a
  count, made a rate per 10,000 by the population file).

The small dataset's rows (indicators.csv, header row 1): contacts (count) row 2,
assess45 (percent) row 3, cin_rate (rate_per_10k) row 4.
"""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner

from cyps_analysis.cli.main import main
from tests.conftest import INDICATORS, write_dataset
from tests.published_files import dfe_file


def _indicators(**codes: str) -> str:
    """The conftest catalogue with a national_code column."""
    lines = INDICATORS.strip().splitlines()
    out = [lines[0] + ",national_code"]
    out += [f"{line},{codes.get(line.split(',')[0], '')}" for line in lines[1:]]
    return "\n".join(out) + "\n"


def _dataset(tmp_path: Path, indicators: str, ees: str = "") -> Path:
    folder = tmp_path / "ds"
    folder.mkdir()

    def rel(name: str) -> str:
        return os.path.relpath(dfe_file(name), folder)

    settings = (
        "authority: Rotherham\nla_code: '372'\nas_at: 2025-04-10\n"
        "service_areas: [Family Help, Children's Social Care]\n"
        "benchmarking:\n"
        f"  lait: {rel('bds_long_0.parquet')}\n"
        f"  lait_dictionary: {rel('lait_data_dictionary.csv')}\n"
        f"  neighbours: {rel('sn_may_2025.xlsx')}\n" + ees
    )
    return write_dataset(folder, indicators=indicators, settings=settings)


def _run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_a_count_against_a_lait_rate_is_a_validation_error(tmp_path):
    data = _dataset(
        tmp_path, _indicators(contacts="CIN", assess45="Continue_Assess_Comp", cin_rate="FirstYJS")
    )
    result = _run("validate", "--data", str(data))
    assert result.exit_code == 2
    out = result.output
    assert "The dataset has 2 problems" in out
    # contacts counts; CIN is a rate per 10,000.
    assert (
        "indicators.csv, row 2, column 'unit': contacts has unit count but its national_code "
        "'CIN' is a rate per 10,000 in LAIT (its dictionary says 'Rate per 10,000')"
    ) in out
    assert (
        "Use unit rate_per_10k, as 'CIN' is, or map the indicator to a measure that is a count"
        in out
    )
    # cin_rate is per 10,000; FirstYJS is per 100,000: none of the kit's units.
    assert "indicators.csv, row 4, column 'unit': cin_rate has unit rate_per_10k" in out
    assert "'Rate per 100,000 of 10-17 population'" in out
    # assess45 is a percentage, as Continue_Assess_Comp is: no problem on row 3.
    assert "row 3" not in out
    assert "Traceback" not in out


def test_the_scorecard_refuses_it_too(tmp_path):
    data = _dataset(tmp_path, _indicators(contacts="CIN"))
    result = _run("scorecard", "--data", str(data), "--period", "2024-25-Q4")
    assert result.exit_code == 2
    assert "indicators.csv, row 2, column 'unit': contacts has unit count" in result.output


def test_matching_units_pass(tmp_path):
    data = _dataset(tmp_path, _indicators(assess45="Continue_Assess_Comp", cin_rate="CIN"))
    result = _run("validate", "--data", str(data))
    assert result.exit_code == 0, result.output
    assert "no problems found (3 indicators" in result.output


EES = """\
  ees:
    cla_rate:
      file: {cla}
      measure: rate_per_10000
      filter: {{population_type: Children looked after on 31 March each year}}
    referrals:
      file: {c1}
      measure: referral_count
    cin_per_10k:
      file: {b1}
      measure: At31_episodes
      population: {ons}
"""


def test_ees_sources_units(tmp_path):
    folder = tmp_path / "ds"
    names = {
        "cla": "cla_number_and_rate_per_10k_children.csv",
        "c1": "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
        "b1": "b1_children_in_need_2013_to_2025.csv",
        "ons": "ons_mid-year_population_estimates_2012_to_2024.csv",
    }
    ees = EES.format(**{k: os.path.relpath(dfe_file(v), folder) for k, v in names.items()})
    data = _dataset(
        tmp_path,
        _indicators(contacts="cla_rate", assess45="referrals", cin_rate="cin_per_10k"),
        ees=ees,
    )
    out = _run("validate", "--data", str(data)).output
    assert "The dataset has 2 problems" in out
    assert (
        "row 2, column 'unit': contacts has unit count but its national_code 'cla_rate' is "
        "a rate per 10,000 (EES measure 'rate_per_10000')"
    ) in out
    # A percentage against a column named as a count.
    assert (
        "row 3, column 'unit': assess45 has unit percent but its national_code 'referrals' "
        "is neither a percentage nor a rate"
    ) in out
    # At31_episodes with the population file is a rate per 10,000, as cin_rate is.
    assert "row 4" not in out
