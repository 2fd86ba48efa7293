"""The PDF documents themselves: text in Chinese and English, an embedded font, a true QR code."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import pytest
import segno
from pypdf import PdfReader
from pypdf.generic import ContentStream

from quizapp.certificates.documents import (
    DEFAULT_CJK_FONT_PATH,
    QR_MODULE_MM,
    CertificateData,
    FontNotFound,
    RecordData,
    RecordLine,
    certificate_pdf,
    cjk_font,
    training_record_pdf,
)

URL = "https://training.example.cn/verify/AbCdEfGh12345678"
CERTIFICATE = CertificateData(
    holder_name="张伟",
    employee_no="W1001",
    crew="钢筋一班",
    site="东湖项目部",
    bank_title="施工现场临时用电安全",
    version=2,
    percent=95.5,
    passed_on=date(2026, 5, 1),
    valid_until=date(2027, 5, 1),
    code="AbCdEfGh12345678",
    verify_url=URL,
    issued_on=date(2026, 5, 2),
)


@pytest.fixture(scope="module")
def font():
    """Debian's fonts-noto-cjk, which CI installs; the tests need it rather than skip."""
    return cjk_font(DEFAULT_CJK_FONT_PATH)


def text_of(data: bytes) -> str:
    """Every page's text, without white space or NUL characters.

    pypdf reads the two-byte codes of a CFF font (Noto Sans CJK) as a NUL and a character, and
    extractors space glyphs apart differently; what is left is the text in reading order.
    """
    reader = PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() for page in reader.pages).replace("\x00", "")
    return "".join(text.split())


def test_the_collection_face_is_simplified_chinese(font):
    assert font.path == DEFAULT_CJK_FONT_PATH and font.face == 2  # Noto Sans CJK SC


def test_a_missing_font_says_what_to_install(tmp_path):
    with pytest.raises(FontNotFound, match="fonts-noto-cjk.*CJK_FONT_PATH"):
        cjk_font(str(tmp_path / "none.ttc"))


def test_the_certificate_states_everything_in_both_languages(font):
    data = certificate_pdf(CERTIFICATE, font)
    assert data.startswith(b"%PDF-")
    text = text_of(data)
    for expected in (
        "安全培训合格证书",
        "SafetyTrainingCertificate",
        "张伟",
        "W1001",
        "钢筋一班·东湖项目部",
        "施工现场临时用电安全（第2版/version2）",
        "95.5%合格/Passed",
        "考试日期/Date2026-05-01",
        "有效期至/Validuntil2027-05-01",
        "AbCdEfGh12345678",
        URL,
    ):
        assert expected in text, expected


def test_a_pass_without_expiry_says_so(font):
    text = text_of(certificate_pdf(replace(CERTIFICATE, valid_until=None), font))
    assert "长期有效/doesnotexpire" in text


def test_the_font_is_embedded_as_a_subset(font):
    reader = PdfReader(io.BytesIO(certificate_pdf(CERTIFICATE, font)))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    for reference in fonts.values():
        font_dict = reference.get_object()
        assert "+" in font_dict["/BaseFont"]  # a subset tag such as MPDFAA+
        descriptor = font_dict["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert {"/FontFile2", "/FontFile3"} & set(descriptor.get_object())


def test_the_qr_code_encodes_the_verification_address(font):
    reader = PdfReader(io.BytesIO(certificate_pdf(CERTIFICATE, font)))
    page = reader.pages[0]
    [link] = [a.get_object() for a in page["/Annots"]]
    assert link["/A"]["/URI"] == URL
    # Rebuild the module grid from the drawn squares and compare it with the QR code of URL.
    size = round(QR_MODULE_MM * 72 / 25.4, 2)
    squares = [
        (float(operands[0]), float(operands[1]))
        for operands, operator in ContentStream(page.get_contents(), reader).operations
        if operator == b"re" and abs(float(operands[2]) - size) < 0.01
    ]
    left = min(x for x, _ in squares)
    top = max(y for _, y in squares)
    drawn = {(round((top - y) / size), round((x - left) / size)) for x, y in squares}
    matrix = segno.make(URL, error="m").matrix
    expected = {(r, c) for r, row in enumerate(matrix) for c, dark in enumerate(row) if dark}
    assert drawn == expected


def test_the_training_record_lists_every_attempt_over_several_pages(font):
    lines = tuple(
        RecordLine(
            taken_on=date(2026, 1 + i % 12, 1 + i % 28),
            bank_title=f"高处作业安全{i:02d}",
            version=1 + i % 3,
            percent=None if i == 59 else float(i),
            passed=None if i == 59 else i % 2 == 0,
            valid_until=date(2027, 1, 1) if i % 4 == 0 else None,
        )
        for i in range(60)
    )
    record = RecordData("李娜", "W1002", "木工一班", None, date(2026, 6, 1), lines)
    data = training_record_pdf(record, font)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 2
    text = text_of(data)
    assert "安全培训档案（一人一档）" in text and "李娜" in text and "W1002" in text
    assert all(f"高处作业安全{i:02d}" in text for i in range(60))
    assert "进行中/Inprogress" in text and "不合格/Notpassed" in text
    assert "长期/noexpiry" in text and "2027-01-01" in text
    assert "第1页，共" in text and "Page1of" in text


def test_an_empty_record_says_so(font):
    record = RecordData("王强", "W1003", None, None, date(2026, 6, 1), ())
    assert "尚无考试记录/Noattemptsyet" in text_of(training_record_pdf(record, font))
