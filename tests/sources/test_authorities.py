"""Authorities by old number, ONS code or name; regions; abolished authorities."""

from __future__ import annotations

import pandas as pd
import pytest

from cyps_analysis.exceptions import CypsError
from cyps_analysis.sources.authorities import (
    abolished_codes,
    normalise_region,
    resolve_authority,
    successors,
)


@pytest.mark.parametrize(
    "given",
    ["372", "E08000018", "e08000018", "Rotherham", " rotherham "],
)
def test_rotherham_however_written(given):
    assert resolve_authority(given) == "372"


def test_former_ons_codes_still_resolve():
    # North Yorkshire was E10000023 until 2023, E06000065 since; LA number 815 throughout.
    assert resolve_authority("E10000023") == resolve_authority("E06000065") == "815"


def test_names_as_a_file_spells_them():
    names = pd.DataFrame({"old_la_code": ["801"], "la_name": ["Bristol, City of"]})
    assert resolve_authority("Bristol, City of", names) == "801"


@pytest.mark.parametrize(
    ("given", "code"),
    [
        # LAIT and la_code_list.xlsx write "Bedford Borough"; the ONS list "Bedford" (822).
        ("Bedford Borough", "822"),
        ("Durham", "840"),  # "County Durham"
        ("Kingston upon Hull City Council", "810"),  # "Kingston upon Hull, City of"
        ("Herefordshire Council", "884"),  # "Herefordshire, County of"
        ("Rotherham Metropolitan Borough Council", "372"),
    ],
)
def test_common_name_variants(given, code):
    assert resolve_authority(given) == code


def test_a_variant_two_authorities_share_is_refused():
    # Dorset (835, abolished 2019) and Dorset (838): "Dorset Council" could be either.
    with pytest.raises(CypsError, match="'Dorset Council' is not an authority"):
        resolve_authority("Dorset Council")


def test_unknown_authority_suggests_the_nearest():
    with pytest.raises(CypsError, match="Did you mean 'Rotherham'"):
        resolve_authority("Rotheram")
    with pytest.raises(CypsError, match="'999' is not an LA number"):
        resolve_authority("999")


def test_regions_and_abolished_authorities():
    assert normalise_region(pd.Series(["Inner London", "London (Inner)"])).tolist()[0] == "London"
    assert pd.isna(normalise_region(pd.Series(["London (Inner)"])).iloc[0])
    assert abolished_codes() == {"835", "836", "837", "909", "928"}
    assert successors()["909"] == ("942", "943")
