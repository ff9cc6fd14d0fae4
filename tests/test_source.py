"""Reading a file's bytes: every encoding a plan is saved in, and a plain refusal otherwise."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jalon.plans.importers import ImportFailure, Source, parse_source
from jalon.plans.importers.source import decode_text

TEXT = "Axe 1 : Québec, Haïti, œuvre — « solidarité »\n1.1 Élaborer\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-le", "utf-16-be"])
def test_it_reads_text_in_every_usual_encoding(encoding: str) -> None:
    assert decode_text(TEXT.encode(encoding), "plan.txt") == TEXT


def test_it_refuses_an_empty_file_by_name() -> None:
    with pytest.raises(ImportFailure, match=r"vide\.txt: .*(empty|vide)"):
        decode_text(b"  \n\n", "vide.txt")


def test_it_refuses_binary_data_by_name() -> None:
    with pytest.raises(ImportFailure, match="image.png.*binary|image.png.*binaire"):
        decode_text(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "image.png")


def test_it_refuses_a_file_cut_in_the_middle_of_a_character() -> None:
    with pytest.raises(ImportFailure, match="truncated|tronqué"):
        decode_text("Plan d'action : réseau".encode()[:-5], "plan.txt")


def test_it_names_a_missing_file() -> None:
    with pytest.raises(ImportFailure, match="absent.txt"):
        Source.from_path("/nonexistent/absent.txt")


def test_a_damaged_docx_is_refused_with_its_name() -> None:
    with pytest.raises(ImportFailure, match="plan.docx"):
        parse_source(Source(name="plan.docx", data=b"PK\x03\x04 truncated"))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_are_read_or_refused_never_crash(data: bytes) -> None:
    try:
        parse_source(Source(name="fuzz.bin", data=data))
    except ImportFailure as failure:
        assert "fuzz.bin" in str(failure)


def test_a_file_larger_than_the_limit_is_refused_before_it_is_read(tmp_path, settings) -> None:
    settings.JALON_MAX_IMPORT_BYTES = 10
    path = tmp_path / "big.txt"
    path.write_text("1.1 Élaborer la planification\n")
    with pytest.raises(ImportFailure, match="big.txt"):
        Source.from_path(path)
