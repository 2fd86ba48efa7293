"""PDF documents: the certificate of a passed attempt and a worker's training record (一人一档).

Both are bilingual (Chinese and English on the same page, whatever the reader's interface
language), drawn with fpdf2 in a font with CJK glyphs that is embedded as a subset, so the
file shows the same on any computer or printer. The QR code is drawn as vector squares, one
per dark module, so it stays sharp at any print size. No Flask here: callers pass plain data.

fpdf2, fontTools and segno are imported when a document is drawn: imported with the module,
they would take some 35 MB in every server process, most of which never draws one.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fpdf import FPDF

#: Debian's fonts-noto-cjk; any TrueType/OpenType font or collection with CJK glyphs will do.
DEFAULT_CJK_FONT_PATH = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
#: In a collection (.ttc) the face whose name ends with this is used: Simplified Chinese
#: glyph shapes in Noto Sans CJK. Without one, the collection's first face is used.
PREFERRED_FACE_SUFFIX = " SC"
#: Side of one QR module on paper.
QR_MODULE_MM = 1.3
#: QR error correction: M survives a crease or a smudge on a printed certificate.
QR_ERROR = "m"

_FONT = "cjk"


class FontNotFound(RuntimeError):
    """The configured CJK font file is missing."""


@dataclass(frozen=True, slots=True)
class CJKFont:
    """A font file and, for a collection, which face in it."""

    path: str
    face: int = 0


@functools.lru_cache(maxsize=8)
def cjk_font(path: str) -> CJKFont:
    """The font at `path`, choosing the Simplified Chinese face of a collection.

    FontNotFound with what to do when the file is missing.
    """
    if not Path(path).is_file():
        raise FontNotFound(
            f"no CJK font at {path}: install Debian's fonts-noto-cjk package or set "
            "CJK_FONT_PATH to a TrueType/OpenType font with Chinese glyphs"
        )
    if Path(path).suffix.lower() not in {".ttc", ".otc"}:
        return CJKFont(path)
    from fontTools.ttLib import TTCollection

    with TTCollection(path, lazy=True) as collection:
        for index, face in enumerate(collection.fonts):
            family = face["name"].getDebugName(1) or ""
            if family.endswith(PREFERRED_FACE_SUFFIX):
                return CJKFont(path, index)
    return CJKFont(path)


@dataclass(frozen=True, slots=True)
class CertificateData:
    """What a certificate states."""

    holder_name: str
    employee_no: str
    crew: str | None
    site: str | None
    bank_title: str
    version: int
    percent: float
    passed_on: date
    #: None when a pass never expires.
    valid_until: date | None
    code: str
    verify_url: str
    issued_on: date


@dataclass(frozen=True, slots=True)
class RecordLine:
    """One attempt in a training record."""

    taken_on: date
    bank_title: str
    version: int
    #: None while the attempt is still running.
    percent: float | None
    passed: bool | None
    valid_until: date | None


@dataclass(frozen=True, slots=True)
class RecordData:
    """A worker's training record: who they are and every attempt they made."""

    holder_name: str
    employee_no: str
    crew: str | None
    site: str | None
    printed_on: date
    lines: tuple[RecordLine, ...]


@functools.cache
def _document_class() -> type[FPDF]:
    """FPDF with our page footer (made on first use, so fpdf2 loads only then)."""
    from fpdf import FPDF

    class Document(FPDF):
        """A4 pages in the CJK font; numbered at the foot when `numbered` is set."""

        numbered = False

        def footer(self) -> None:
            """Page x of n, on documents that may run to several pages."""
            if not self.numbered:
                return
            self.set_y(-12)
            self.set_font(_FONT, size=8)
            self.set_text_color(85, 93, 102)
            page = self.page_no()
            self.cell(0, 5, f"第 {page} 页，共 {{nb}} 页 / Page {page} of {{nb}}", align="C")

    return Document


def _document(font: CJKFont, orientation: str, title: str) -> FPDF:
    """An empty document with the CJK font registered and the metadata set."""
    pdf = _document_class()(orientation=orientation, unit="mm", format="A4")
    pdf.add_font(_FONT, fname=font.path, collection_font_number=font.face)
    pdf.set_font(_FONT, size=11)
    pdf.set_title(title)
    pdf.set_creator("quizapp")
    pdf.set_lang("zh-CN")
    pdf.set_auto_page_break(auto=True, margin=15)
    return pdf


def _percent(value: float) -> str:
    return f"{value:g}%"


def _day(value: date | None, never: str) -> str:
    return value.isoformat() if value is not None else never


def draw_qr(pdf: FPDF, data: str, x: float, y: float) -> float:
    """Draw `data` as a QR code with its top-left corner at (x, y); return its side in mm.

    One filled square per dark module, no quiet zone (leave 4 modules of space around it).
    """
    import segno

    code = segno.make(data, error=QR_ERROR)
    pdf.set_fill_color(0, 0, 0)
    for row, modules in enumerate(code.matrix):
        for column, dark in enumerate(modules):
            if dark:
                pdf.rect(
                    x + column * QR_MODULE_MM,
                    y + row * QR_MODULE_MM,
                    QR_MODULE_MM,
                    QR_MODULE_MM,
                    style="F",
                )
    side = len(code.matrix) * QR_MODULE_MM
    pdf.link(x, y, side, side, data)
    return side


def certificate_pdf(data: CertificateData, font: CJKFont) -> bytes:
    """A one-page A4 landscape certificate with a QR code that links to its verification."""
    pdf = _document(font, "landscape", f"安全培训合格证书 Safety Training Certificate {data.code}")
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    width, height = pdf.w, pdf.h
    pdf.set_draw_color(11, 83, 148)
    pdf.set_line_width(1.2)
    pdf.rect(8, 8, width - 16, height - 16)
    pdf.set_line_width(0.3)
    pdf.rect(11, 11, width - 22, height - 22)

    pdf.set_text_color(11, 83, 148)
    pdf.set_xy(15, 22)
    pdf.set_font(_FONT, size=30)
    pdf.cell(width - 30, 14, "安全培训合格证书", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(15)
    pdf.set_font(_FONT, size=15)
    pdf.cell(width - 30, 9, "Safety Training Certificate", align="C")

    pdf.set_text_color(27, 31, 36)
    pdf.set_xy(25, 56)
    pdf.set_font(_FONT, size=12)
    pdf.cell(170, 7, "兹证明 / This certifies that", new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(25)
    pdf.set_font(_FONT, size=24)
    pdf.cell(170, 13, data.holder_name, new_x="LMARGIN", new_y="NEXT")

    crew = " · ".join(part for part in (data.crew, data.site) if part) or "—"
    validity = _day(data.valid_until, "长期有效 / does not expire")
    rows = (
        ("工号 / Employee no.", data.employee_no),
        ("班组 / Crew", crew),
        ("培训考试 / Quiz", f"{data.bank_title}（第 {data.version} 版 / version {data.version}）"),
        ("成绩 / Score", f"{_percent(data.percent)}  合格 / Passed"),
        ("考试日期 / Date", data.passed_on.isoformat()),
        ("有效期至 / Valid until", validity),
        ("证书编号 / Certificate no.", data.code),
    )
    pdf.set_y(pdf.get_y() + 3)
    for label, value in rows:
        pdf.set_x(25)
        pdf.set_font(_FONT, size=10)
        pdf.set_text_color(85, 93, 102)
        pdf.cell(55, 8.5, label)
        pdf.set_font(_FONT, size=13)
        pdf.set_text_color(27, 31, 36)
        pdf.multi_cell(120, 8.5, value, wrapmode="CHAR", new_x="LMARGIN", new_y="NEXT")

    qr_x, qr_y = width - 25 - 33 * QR_MODULE_MM - 20, 62
    side = draw_qr(pdf, data.verify_url, qr_x, qr_y)
    pdf.set_xy(qr_x - 15, qr_y + side + 4)
    pdf.set_font(_FONT, size=10)
    pdf.cell(side + 30, 6, "扫码验证真伪 / Scan to verify", align="C")
    pdf.set_xy(qr_x - 25, qr_y + side + 10)
    pdf.set_font(_FONT, size=7)
    pdf.multi_cell(side + 50, 4, data.verify_url, align="C", wrapmode="CHAR")

    pdf.set_xy(25, height - 30)
    pdf.set_font(_FONT, size=10)
    pdf.set_text_color(85, 93, 102)
    pdf.cell(0, 6, f"签发日期 / Issued: {data.issued_on.isoformat()}")
    return bytes(pdf.output())


def training_record_pdf(data: RecordData, font: CJKFont) -> bytes:
    """An A4 record of every attempt of one worker, oldest first, with page numbers."""
    from fpdf.fonts import FontFace

    pdf = _document(font, "portrait", f"安全培训档案 Training record {data.employee_no}")
    pdf.numbered = True
    pdf.add_page()
    pdf.set_font(_FONT, size=18)
    pdf.cell(0, 10, "安全培训档案（一人一档）", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(_FONT, size=12)
    pdf.cell(0, 7, "Personal safety training record", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    crew = " · ".join(part for part in (data.crew, data.site) if part) or "—"
    passes = sum(1 for line in data.lines if line.passed)
    facts = (
        ("姓名 / Name", data.holder_name),
        ("工号 / Employee no.", data.employee_no),
        ("班组 / Crew", crew),
        ("考试次数 / Attempts", f"{len(data.lines)}（合格 {passes} / passed {passes}）"),
        ("打印日期 / Printed", data.printed_on.isoformat()),
    )
    for label, value in facts:
        pdf.set_font(_FONT, size=9)
        pdf.cell(45, 6.5, label)
        pdf.set_font(_FONT, size=11)
        pdf.multi_cell(0, 6.5, value, wrapmode="CHAR", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(_FONT, size=9)
    headings = (
        "日期\nDate",
        "培训考试及版本\nQuiz and version",
        "成绩\nScore",
        "结果\nResult",
        "有效期至\nValid until",
    )
    with pdf.table(
        col_widths=(24, 80, 18, 30, 28),
        text_align=("LEFT", "LEFT", "RIGHT", "LEFT", "LEFT"),
        line_height=5.5,
        wrapmode="CHAR",
        headings_style=FontFace(emphasis="", fill_color=(232, 240, 251)),
    ) as table:
        heading = table.row()
        for text in headings:
            heading.cell(text)
        for line in data.lines:
            row = table.row()
            row.cell(line.taken_on.isoformat())
            row.cell(f"{line.bank_title}（第 {line.version} 版 / v{line.version}）")
            row.cell("—" if line.percent is None else _percent(line.percent))
            row.cell(_result(line))
            row.cell(_day(line.valid_until, "长期 / no expiry") if line.passed else "—")
    if not data.lines:
        pdf.ln(4)
        pdf.cell(0, 6, "尚无考试记录 / No attempts yet")
    return bytes(pdf.output())


def _result(line: RecordLine) -> str:
    if line.passed is None:
        return "进行中 / In progress"
    return "合格 / Passed" if line.passed else "不合格 / Not passed"
