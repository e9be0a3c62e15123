"""The HL7 batch file against the interface specification, field by field, every message strictly valid."""

from __future__ import annotations

import pytest

from desktop.interop.hl7_export import to_hl7
from tests.interop.samples import HEADER, VISITS
from tests.interop.spec import EMPTY, Hl7File, Row, hl7_value, read_hl7, spec_example, spec_rows

ROWS = spec_rows("hl7")
SEGMENTS = ("MSH", "EVN", "PID", "PV1", "FT1", "NTE", "ZFT", "DG1")


@pytest.fixture(scope="module")
def exported() -> str:
    return to_hl7(HEADER, VISITS)


@pytest.fixture(scope="module")
def read(exported: str) -> Hl7File:
    return read_hl7(exported)


def test_the_example_file_is_what_the_exporter_writes(exported: str) -> None:
    assert exported.replace("\r", "\n") == spec_example("hl7")


@pytest.mark.parametrize("row", ROWS, ids=[r.name for r in ROWS])
def test_each_field_as_specified(read: Hl7File, row: Row) -> None:
    for message, example in ((0, row.charge), (1, row.reversal)):
        assert hl7_value(read, row.name, message) == ("" if example == EMPTY else example), f"message {message + 1}"


def test_every_field_sent_is_specified(exported: str) -> None:
    """Nothing goes out that the specification does not describe."""
    specified = {row.name for row in ROWS}
    for message in read_hl7(exported).raw:
        for segment in message:
            name, *fields = segment.split("|")
            if name == "MSH":  # MSH-1 is the separator itself, MSH-2 the encoding characters
                fields = fields[1:]
            for number, value in enumerate(fields, start=3 if name == "MSH" else 1):
                if value:
                    assert f"{name}-{number}" in specified, f"{name}-{number} = {value!r} is not in the specification"


def test_each_message_and_batch_segment_passes_strict_hl7apy_validation(exported: str) -> None:
    read = read_hl7(exported)  # raises on the first field or structure hl7apy refuses
    assert len(read.messages) == 2 and all(len(z) == len(m.children.get("DFT_P03_FINANCIAL"))
                                           for z, m in zip(read.zfts, read.messages, strict=True))
    assert read.headers["BTS"][1] == str(len(read.messages))


def test_a_zft_follows_each_ft1_and_names_it(exported: str) -> None:
    for message in read_hl7(exported).raw:
        names = [s[:3] for s in message]
        for index, name in enumerate(names):
            if name == "FT1":
                following = names[index + 1:index + 3]
                assert following[0] == "ZFT" or following == ["NTE", "ZFT"]
        set_ids = [s.split("|")[1] for s in message if s.startswith("FT1")]
        assert [s.split("|")[1] for s in message if s.startswith("ZFT")] == set_ids
