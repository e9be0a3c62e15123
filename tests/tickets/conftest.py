"""Shared helpers for ticket tests: real PDF bytes read back with pypdf."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pytest
from pypdf import PdfReader


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page, whitespace folded to single spaces so table cells read as one row."""
    reader = PdfReader(io.BytesIO(pdf))
    return [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]


@pytest.fixture(scope="session")
def read_pages() -> Callable[[bytes], list[str]]:
    return page_texts


@pytest.fixture(scope="session")
def read_pdf() -> Callable[[bytes], PdfReader]:
    return lambda pdf: PdfReader(io.BytesIO(pdf))
