"""One label per year type, wherever a published year is shown: the scorecard's
benchmark years and the benchmarking notebook's table (the ``benchmark`` command's JSON
is in tests/cli/test_benchmark.py).

LAIT's dictionary: CIN is "Annual" (at 31 March), ReReferral "Financial Year",
SEN_EHC_All_20wks "Calendar Year". Raw rows of bds_long_0.parquet for ``Years`` 2024:

    CIN               Rotherham 311.10000000000002   England 331.2
    ReReferral        Rotherham 17.7                 England 22.4
    SEN_EHC_All_20wks Rotherham 79.3                 England 45.9

So in 2023-24 (period 2023-24-Q4): CIN and ReReferral are both 2023/24 (the year to
31 March 2024), never "2024" beside "2023/24"; the calendar measure's 2024 stays 2024.
"""

from __future__ import annotations

import os
from pathlib import Path

from cyps_analysis.benchmarking.to_neighbours import compare_to_neighbours
from cyps_analysis.dataset.load import load_dataset
from cyps_analysis.scorecard.build import build_scorecard
from tests.conftest import write_dataset
from tests.published_files import dfe_file

INDICATORS = """\
id,title,service_area,kind,polarity,unit,decimals,aggregation,frequency,year_type,national_code
cin_rate,Children in need rate,Children's Social Care,benchmarking,low,rate_per_10k,1,snapshot,monthly,financial,CIN
rerefs,Re-referrals,Children's Social Care,benchmarking,low,percent,1,snapshot,monthly,financial,ReReferral
ehcp,EHC plans in 20 weeks,Children's Social Care,benchmarking,high,percent,1,snapshot,monthly,calendar,SEN_EHC_All_20wks
"""


def _dataset(tmp_path: Path) -> Path:
    folder = tmp_path / "rotherham"
    folder.mkdir()

    def rel(name: str) -> str:
        return os.path.relpath(dfe_file(name), folder)

    months = [f"{y}-{m:02d}" for y in (2023, 2024) for m in range(1, 13)]
    rows = ["indicator,month,value,numerator,denominator"]
    for indicator, value in (("cin_rate", 311.1), ("rerefs", 17.7), ("ehcp", 79.3)):
        rows += [f"{indicator},{m},{value},," for m in months]
    settings = (
        "authority: Rotherham\nla_code: '372'\nas_at: 2025-01-10\n"
        "service_areas: [Children's Social Care]\nbenchmarking:\n"
        f"  lait: {rel('bds_long_0.parquet')}\n"
        f"  lait_dictionary: {rel('lait_data_dictionary.csv')}\n"
        f"  neighbours: {rel('sn_may_2025.xlsx')}\n"
    )
    return write_dataset(
        folder,
        indicators=INDICATORS,
        targets="indicator,year,red,amber,green\n",
        observations="\n".join(rows) + "\n",
        settings=settings,
    )


def test_scorecard_and_notebook_table_write_each_year_type_one_way(tmp_path):
    dataset = load_dataset(_dataset(tmp_path))
    card = build_scorecard(dataset, "2023-24-Q4").set_index("id")
    years = card[["national_avg", "national_avg_year"]]
    assert years.loc["cin_rate"].tolist() == [331.2, "2023/24"]
    assert years.loc["rerefs"].tolist() == [22.4, "2023/24"]
    assert years.loc["ehcp"].tolist() == [45.9, "2024"]
    # Every benchmark column of a row names the same year.
    for column in ("stat_neighbour_avg_year", "regional_avg_year"):
        assert card[column].tolist() == ["2023/24", "2023/24", "2024"]

    table = compare_to_neighbours(dataset, "2023-24-Q4")
    labels = table.groupby("indicator", sort=False)["year_label"].unique()
    assert {k: list(v) for k, v in labels.items()} == {
        "cin_rate": ["2023/24"],
        "rerefs": ["2023/24"],
        "ehcp": ["2024"],
    }
    own = table[table["role"] == "authority"].set_index("indicator")
    assert own.loc["cin_rate", "value"] == 311.1 and own.loc["ehcp", "value"] == 79.3
