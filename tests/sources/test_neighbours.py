"""Reading the statistical neighbour model: workbook and CSV, both releases."""

from __future__ import annotations

import pytest

from cyps_analysis.exceptions import CypsError
from cyps_analysis.sources.neighbours import read_neighbours
from tests.published_files import dfe_file


def test_small_csv_in_the_2025_layout(tmp_path):
    path = tmp_path / "sn.csv"
    path.write_text(
        "old_la_code,la_name,region_ind,region_name,SN_1,SN_1P,SN_2,SN_2P\n"
        "301,Barking and Dagenham,3,London,308,Close ,821,Close \n"
        "302,Barnet,3,London,320.0,Close,,\n",
        encoding="utf-8",
    )
    sn = read_neighbours(path)
    assert sn.to_dict("list") == {
        "la_code": ["301", "301", "302"],
        "position": [1, 2, 1],
        "neighbour": ["308", "821", "320"],
    }


def test_not_a_neighbour_model(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(CypsError, match=r"x.csv: no LA number column"):
        read_neighbours(path)
    with pytest.raises(CypsError, match="does not exist"):
        read_neighbours(tmp_path / "missing.xlsx")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(CypsError, match=r"broken\.xlsx: the file cannot be read"):
        read_neighbours(broken)


def test_april_2021_workbook_and_csv_agree():
    # The workbook's header is on its third row; the CSV's on its first.
    xlsx = read_neighbours(dfe_file("sn_april_2021.xlsx"))
    csv = read_neighbours(dfe_file("New_Statistical_Neighbour_Groupings_April_2021.csv"))
    assert xlsx.equals(csv)
    # 159 rows in the CSV, of which Cumberland and Westmorland & Furness have no
    # neighbours (and one row is blank): 156 authorities with ten each.
    assert xlsx["la_code"].nunique() == 156 and len(xlsx) == 1560
    assert "942" not in set(xlsx["la_code"]) and "943" not in set(xlsx["la_code"])
    # Eight authorities list Cumbria (909): 830, 860, 884, 891, 893, 925, 926, 940.
    listing = sorted(xlsx.loc[xlsx["neighbour"] == "909", "la_code"])
    assert listing == ["830", "860", "884", "891", "893", "925", "926", "940"]
    # Camden (202): 213, 205, 207, 206, 212, 352, 203, 870, 309, 302 (row 4 of the CSV).
    camden = xlsx[xlsx["la_code"] == "202"].sort_values("position")["neighbour"].tolist()
    assert camden == ["213", "205", "207", "206", "212", "352", "203", "870", "309", "302"]


def test_may_2025_workbook_and_csv_agree_on_current_authorities():
    xlsx = read_neighbours(dfe_file("sn_may_2025.xlsx"))
    csv = read_neighbours(dfe_file("sn_model_2025_wide.csv"))
    # The workbook adds the "Old SNs" of the five abolished authorities below the table.
    current = xlsx[~xlsx["la_code"].isin(["835", "836", "837", "909", "928"])]
    assert current.reset_index(drop=True).equals(csv)
    assert csv["la_code"].nunique() == 153
    # Barking and Dagenham (301): 308, 821, 313, 333, 336, 307, 304, 312, 874, 203.
    first = csv[csv["la_code"] == "301"]["neighbour"].tolist()
    assert first == ["308", "821", "313", "333", "336", "307", "304", "312", "874", "203"]
