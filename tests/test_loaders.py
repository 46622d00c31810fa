"""Loaders: every supported file turns into exact text, every bad one into one clear sentence."""

from __future__ import annotations

import codecs
import io
import logging
import random
import re
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from hypothesis import assume, given
from hypothesis import strategies as st

from summary_coverage.errors import InputError, MissingExtraError
from summary_coverage.inputs import docx_files
from summary_coverage.inputs import files as loaders
from summary_coverage.inputs.files import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_CHARS,
    SUPPORTED_SUFFIXES,
    LoadedText,
    decode_text,
    load_bytes,
    load_path,
)

from fixtures_docs import encrypted_pdf, text_pdf, word_docx, zero_bomb_zip, zip_bytes

USE = re.escape("use .txt, .md, .pdf or .docx.")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"
FRENCH = (
    "Le café est très bon. Nous avons mangé une crème brûlée à côté de la fenêtre,\r\n"
    "et l'été était déjà là. Ça coûte 12 € — « voilà ».\n"
)
CHINESE = "第一条 付款条款\n甲方应在收到发票后三十日内付款。如有争议，双方应友好协商解决。\n"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_public_constants() -> None:
    assert DEFAULT_MAX_BYTES == 50 * 1024 * 1024
    assert DEFAULT_MAX_CHARS == 2_000_000
    assert SUPPORTED_SUFFIXES == (".txt", ".md", ".pdf", ".docx")


# --------------------------------------------------------------------------
# Text files: encodings


def test_utf8_text_is_returned_exactly(tmp_path: Path) -> None:
    raw = "  Title\r\n\r\nFirst paragraph — naïve.\n\tIndented.\n\n"
    loaded = load_path(write(tmp_path, "doc.txt", raw.encode("utf-8")))
    assert loaded == LoadedText(text=raw, source=str(tmp_path / "doc.txt"), format="text", encoding="utf-8")


def test_markdown_suffix_is_case_insensitive() -> None:
    loaded = load_bytes(b"# Heading\n\nBody.\n", "NOTES.MD")
    assert (loaded.format, loaded.text, loaded.source) == ("markdown", "# Heading\n\nBody.\n", "NOTES.MD")


def test_utf8_bom_is_removed() -> None:
    loaded = load_bytes(codecs.BOM_UTF8 + "Größe\r\n".encode(), "a.txt")
    assert (loaded.text, loaded.encoding, loaded.warnings) == ("Größe\r\n", "utf-8-sig", ())


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(codec: str) -> None:
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    text = "Summary: 合同 covers café.\n"
    loaded = load_bytes(bom + text.encode(codec), "a.txt")
    assert (loaded.text, loaded.encoding, loaded.warnings) == (text, "utf-16", ())


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_found_from_nul_pattern(codec: str) -> None:
    text = "Plain ASCII text saved as UTF-16 without a byte-order mark.\n"
    loaded = load_bytes(text.encode(codec), "a.txt")
    assert (loaded.text, loaded.encoding) == (text, codec)
    assert loaded.warnings == (f"a.txt is not UTF-8; its encoding was detected as {codec}.",)


@pytest.mark.parametrize("codec", ["gb18030", "gbk", "gb2312"])
def test_chinese_gb_text(codec: str) -> None:
    loaded = load_bytes(CHINESE.encode(codec), "合同.txt")
    assert (loaded.text, loaded.encoding) == (CHINESE, "gb18030")
    assert loaded.warnings == ("合同.txt is not UTF-8; its encoding was detected as gb18030.",)


def test_short_mixed_chinese_english_is_still_gb18030() -> None:
    # charset-normalizer alone calls these bytes Korean (cp949).
    text = "Section 1. 付款条款 Payment terms apply."
    assert decode_text(text.encode("gbk")) == (text, "gb18030")


BIG5 = "本合約由甲乙雙方於二零二四年簽訂。甲方應在收到發票後三十日內付款。如有爭議，雙方應友好協商解決。"
KOREAN = "이 계약은 양 당사자가 서명한 날부터 효력이 발생합니다. 분쟁이 있는 경우 협의하여 해결합니다."
JAPANESE = "この契約は両当事者が署名した日から効力を生じます。紛争がある場合は協議により解決します。"


@pytest.mark.parametrize(
    ("text", "codec"),
    [(BIG5, "big5"), (KOREAN, "euc_kr"), (JAPANESE, "shift_jis")],
)
def test_other_legacy_encodings_are_not_mistaken_for_gb18030(text: str, codec: str) -> None:
    data = text.encode(codec)
    data.decode("gb18030")  # the trap: GB18030 decodes all of these without error
    decoded, encoding = decode_text(data)
    assert decoded == text
    assert encoding != "gb18030"


def test_latin1_text() -> None:
    loaded = load_bytes(FRENCH.encode("cp1252"), "lettre.txt")
    assert (loaded.text, loaded.encoding) == (FRENCH, "cp1252")
    assert loaded.warnings == ("lettre.txt is not UTF-8; its encoding was detected as cp1252.",)


@pytest.mark.parametrize(
    ("text", "codec", "expected"),
    [
        # GB18030 decodes this one without error too: every umlaut is followed by a letter.
        ("Herr Müller wohnt in der Hauptstraße und fährt täglich über die Brücke.", "latin-1", "cp1252"),
        ("Zażółć gęślą jaźń, powiedział Łukasz.", "cp1250", "cp1250"),
        ("Příliš žluťoučký kůň úpěl ďábelské ódy.", "cp1250", "cp1250"),
    ],
)
def test_european_legacy_encodings(text: str, codec: str, expected: str) -> None:
    assert decode_text(text.encode(codec)) == (text, expected)


def test_utf32_with_bom() -> None:
    assert decode_text("Ünïcode 合同\n".encode("utf-32")) == ("Ünïcode 合同\n", "utf-32")


def test_charset_normalizer_decides_when_nothing_else_fits() -> None:
    text = "Договор вступает в силу с даты подписания обеими сторонами. Споры решаются путём переговоров."
    assert decode_text(text.encode("cp1251")) == (text, "cp1251")


def test_undecodable_bytes() -> None:
    data = bytes(range(128, 256))
    message = "The input could not be decoded as text (tried UTF-8, UTF-16, GB18030 and automatic detection)."
    with pytest.raises(InputError, match=re.escape(message)):
        decode_text(data)
    with pytest.raises(InputError, match=r"^x\.txt could not be decoded as text \(tried UTF-8, UTF-16, "):
        load_bytes(data, "x.txt")
    with pytest.raises(InputError, match=rf"^data\.bin is not a supported document: {USE}$"):
        load_bytes(data, "data.bin")


_TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), min_size=1)


@given(_TEXT)
def test_decode_roundtrip_utf8(text: str) -> None:
    assume(text.strip() and not text.startswith("\ufeff"))
    assert decode_text(text.encode("utf-8")) == (text, "utf-8")


@given(_TEXT)
def test_decode_roundtrip_utf8_sig(text: str) -> None:
    assume(text.strip())
    assert decode_text(codecs.BOM_UTF8 + text.encode("utf-8")) == (text, "utf-8-sig")


@given(_TEXT)
def test_decode_roundtrip_utf16(text: str) -> None:
    assume(text.strip())
    assert decode_text(text.encode("utf-16")) == (text, "utf-16")


# --------------------------------------------------------------------------
# Text files: what is not usable text


def test_empty() -> None:
    with pytest.raises(InputError, match=r"^x\.txt is empty\.$"):
        load_bytes(b"", "x.txt")
    with pytest.raises(InputError, match=r"^x\.txt is empty\.$"):
        load_bytes(codecs.BOM_UTF8, "x.txt")


def test_whitespace_only() -> None:
    with pytest.raises(InputError, match=r"^x\.txt contains only whitespace\.$"):
        load_bytes(b" \r\n\t\n\xc2\xa0", "x.txt")


def test_png_is_binary() -> None:
    with pytest.raises(InputError, match=rf"^photo\.png looks like a binary file, not text: {USE}$"):
        load_bytes(PNG, "photo.png")
    with pytest.raises(InputError, match=rf"^photo\.txt looks like a binary file, not text: {USE}$"):
        load_bytes(PNG, "photo.txt")


def test_random_bytes_with_nuls_are_binary() -> None:
    data = random.Random(7).randbytes(4096) + b"\x00\x00\x00"
    with pytest.raises(InputError, match=rf"^blob looks like a binary file, not text: {USE}$"):
        load_bytes(data, "blob")
    with pytest.raises(InputError, match="looks like a binary file"):
        load_bytes(b"text\x00with a stray NUL", "a.md")


def test_unsupported_document_suffixes() -> None:
    with pytest.raises(InputError, match=rf"^report\.xlsx is not a supported document: {USE}$"):
        load_bytes(zip_bytes({"xl/workbook.xml": b"<workbook/>"}), "report.xlsx")
    with pytest.raises(InputError, match=rf"^letter\.rtf is not a supported document: {USE}$"):
        load_bytes(rb"{\rtf1\ansi Hello}", "letter.rtf")


@pytest.mark.parametrize("name", ["notes.log", "data.csv", "README", "<stdin>", "<text>"])
def test_unknown_suffix_with_text_is_plain_text(name: str) -> None:
    loaded = load_bytes(b"Line one.\nLigne deux.\n", name)
    assert (loaded.text, loaded.format, loaded.encoding, loaded.source) == (
        "Line one.\nLigne deux.\n",
        "text",
        "utf-8",
        name,
    )


# --------------------------------------------------------------------------
# Limits


def test_over_max_bytes_small_limit() -> None:
    with pytest.raises(InputError, match=r"^x\.txt is 11 bytes, over the 10-byte limit\.$"):
        load_bytes(b"a" * 11, "x.txt", max_bytes=10)


def test_over_max_bytes_is_checked_before_parsing() -> None:
    data = b"not a pdf" * 349_526  # 3.0 MB, and not a PDF either
    with pytest.raises(InputError, match=r"^x\.pdf is 3\.0 MB, over the 2\.0 MB limit\.$"):
        load_bytes(data, "x.pdf", max_bytes=2 * 1024 * 1024)


def test_size_just_over_limit_shows_exact_bytes() -> None:
    limit = 2 * 1024 * 1024
    with pytest.raises(InputError, match=r"^x\.txt is 2,097,153 bytes, over the 2,097,152-byte limit\.$"):
        load_bytes(b"a" * (limit + 1), "x.txt", max_bytes=limit)


def test_over_max_chars() -> None:
    with pytest.raises(InputError, match=r"^x\.txt has 1,234 characters, over the limit of 1,000\.$"):
        load_bytes(b"a" * 1234, "x.txt", max_chars=1000)
    assert load_bytes(b"a" * 1000, "x.txt", max_chars=1000).text == "a" * 1000


def test_limits_must_be_positive() -> None:
    with pytest.raises(InputError, match="max_bytes must be at least 1"):
        load_bytes(b"a", "x.txt", max_bytes=0)
    with pytest.raises(InputError, match="max_chars must be at least 1"):
        load_bytes(b"a", "x.txt", max_chars=-1)


# --------------------------------------------------------------------------
# PDF


def test_pdf_pages_are_joined_with_blank_lines(tmp_path: Path) -> None:
    pdf = text_pdf(["Page one (first).\nSecond line.", None, "Page three."])
    loaded = load_path(write(tmp_path, "Report.PDF", pdf))
    assert loaded.text == "Page one (first).\nSecond line.\n\nPage three."
    assert (loaded.format, loaded.encoding) == ("pdf", None)
    assert loaded.warnings == ("PDF page 2 has no text layer and was skipped (turn on OCR to read it).",)
    assert loaded.pages == (0, 30, 32) and loaded.furniture == ()  # page 2 is empty, at 30
    assert [loaded.page_of(i) for i in (0, 29, 32, 40)] == [1, 1, 3, 3]


def test_pdf_with_user_password_is_rejected() -> None:
    pdf = encrypted_pdf(text_pdf(["Secret."]), user_password="secret")
    with pytest.raises(InputError, match=r"^x\.pdf is encrypted; remove the password and try again\.$"):
        load_bytes(pdf, "x.pdf")


def test_pdf_with_only_owner_password_loads() -> None:
    pdf = encrypted_pdf(text_pdf(["Readable without a password."]), user_password="")
    assert load_bytes(pdf, "x.pdf").text == "Readable without a password."


def test_aes_pdf_without_cryptography_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    def needs_cryptography(self: PdfReader, password: str) -> None:
        raise DependencyError("cryptography>=3.1 is required for AES algorithm")

    pdf = encrypted_pdf(text_pdf(["Secret."]), user_password="")
    monkeypatch.setattr(PdfReader, "decrypt", needs_cryptography)
    with pytest.raises(
        MissingExtraError, match=r"^x\.pdf uses AES encryption, .*pip install cryptography\.$"
    ):
        load_bytes(pdf, "x.pdf")


def test_pdf_without_text_layer() -> None:
    with pytest.raises(
        InputError,
        match=r"^scan\.pdf has no text layer \(it looks scanned\); turn on OCR \(--ocr, .*to read it\.$",
    ):
        load_bytes(text_pdf([None, None]), "scan.pdf")


def test_pdf_without_pages() -> None:
    with pytest.raises(InputError, match=r"^x\.pdf has no pages\.$"):
        load_bytes(text_pdf([]), "x.pdf")


def test_truncated_pdf_is_damaged_and_pypdf_stays_quiet(caplog: pytest.LogCaptureFixture) -> None:
    pdf = text_pdf(["Some text.", "More text."])
    pypdf_logger = logging.getLogger("pypdf")
    level_before = pypdf_logger.level
    caplog.set_level(logging.WARNING)
    with pytest.raises(
        InputError, match=r"^x\.pdf could not be read as a PDF \(it may be damaged or truncated\)\.$"
    ):
        load_bytes(pdf[: len(pdf) // 2], "x.pdf")
    assert not [r for r in caplog.records if r.name.startswith("pypdf")]
    assert pypdf_logger.level == level_before


def test_fake_pdf() -> None:
    with pytest.raises(InputError, match=r"^x\.pdf is not a valid PDF file\.$"):
        load_bytes(b"Just some text pretending to be a PDF.", "x.pdf")


def test_pdf_without_pypdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pypdf", None)
    message = "Reading PDF files needs the docs-input extra: pip install 'summary-coverage[docs-input]'."
    with pytest.raises(MissingExtraError, match=f"^{re.escape(message)}$"):
        load_bytes(text_pdf(["Text."]), "x.pdf")


# --------------------------------------------------------------------------
# Word


def test_docx_paragraphs_headings_and_tables_in_order(tmp_path: Path) -> None:
    loaded = load_path(write(tmp_path, "contract.docx", word_docx()))
    assert loaded.text == (  # Heading 1 and 2 styles become markdown headings (Title would be "#")
        "## Payment Terms\n\n"
        "The client pays within 30 days.\n\n"
        "Item | Price | Due\n"
        "Audit | 1,000 | May\n\n"
        "### Termination\n\n"
        "Either party may end this agreement.\nNotice is 60 days."
    )
    assert (loaded.format, loaded.encoding, loaded.warnings) == ("docx", None, ())


def _save(document: DocxDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_merged_cells_appear_once() -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=2)
    top = table.cell(0, 0).merge(table.cell(0, 1))
    top.text = "Fees"
    table.cell(1, 0).text = "Audit"
    table.cell(1, 1).text = "Spans two rows"
    table.cell(1, 1).merge(table.cell(2, 1))
    table.cell(2, 0).text = "Review"
    assert load_bytes(_save(document), "t.docx").text == "Fees\nAudit | Spans two rows\nReview | "


def test_docx_content_controls_are_read() -> None:
    document = docx.Document()
    document.add_paragraph("Before.")
    inner = document.add_paragraph("Inside a content control.")._p
    sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    inner.addprevious(sdt)
    sdt.append(content)
    content.append(inner)
    document.add_paragraph("After.")
    text = load_bytes(_save(document), "c.docx").text
    assert text == "Before.\n\nInside a content control.\n\nAfter."


def test_empty_docx() -> None:
    with pytest.raises(InputError, match=r"^x\.docx is empty\.$"):
        load_bytes(_save(docx.Document()), "x.docx")


def test_fake_docx() -> None:
    with pytest.raises(InputError, match=r"^x\.docx is not a valid Word \(\.docx\) file\.$"):
        load_bytes(b"Plain text with a .docx name.", "x.docx")
    with pytest.raises(InputError, match=r"^x\.docx is not a valid Word \(\.docx\) file\.$"):
        load_bytes(b"PK\x03\x04 but then nothing", "x.docx")


def test_zip_that_is_not_word() -> None:
    with pytest.raises(InputError, match=r"^x\.docx could not be read as a Word document\.$"):
        load_bytes(zip_bytes({"hello.txt": b"hello"}), "x.docx")


def test_truncated_docx() -> None:
    data = word_docx()
    with pytest.raises(InputError, match=r"^x\.docx is not a valid Word \(\.docx\) file\.$"):
        load_bytes(data[: len(data) // 2], "x.docx")


BOMB = r"^x\.docx is too large when decompressed to be a safe Word document\.$"


def test_docx_zip_bomb_by_ratio() -> None:
    bomb = zero_bomb_zip(11 * 1024 * 1024)  # 11 MB of zeros: ratio ~1000:1
    assert len(bomb) < 100 * 1024
    with pytest.raises(InputError, match=BOMB):
        load_bytes(bomb, "x.docx")


def test_docx_zip_bomb_300_mb() -> None:
    with pytest.raises(InputError, match=BOMB):
        load_bytes(zero_bomb_zip(300 * 1024 * 1024), "x.docx")


def test_docx_zip_bomb_by_total_of_small_entries() -> None:
    # 21 entries of 10 MB: none trips the ratio rule, the 210 MB total does.
    bomb = zero_bomb_zip(10 * 1024 * 1024, entries=21)
    with pytest.raises(InputError, match=BOMB):
        load_bytes(bomb, "x.docx")
    ok = zero_bomb_zip(10 * 1024 * 1024, entries=19)
    with pytest.raises(InputError, match=r"could not be read as a Word document"):
        load_bytes(ok, "x.docx")  # passes the guard; python-docx then finds no document


def test_docx_zip_bomb_total_limit_is_inclusive(monkeypatch: pytest.MonkeyPatch) -> None:
    data = word_docx()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        total = sum(entry.file_size for entry in archive.infolist())
    monkeypatch.setattr(docx_files, "DOCX_MAX_UNCOMPRESSED_BYTES", total - 1)
    with pytest.raises(InputError, match=BOMB):
        load_bytes(data, "x.docx")
    monkeypatch.setattr(docx_files, "DOCX_MAX_UNCOMPRESSED_BYTES", total)
    assert load_bytes(data, "x.docx").text.startswith("## Payment Terms")


def test_docx_zip_bomb_by_entry_count() -> None:
    archive = zip_bytes({f"f{i}": b"" for i in range(10_001)})
    with pytest.raises(InputError, match=BOMB):
        load_bytes(archive, "x.docx")


def test_docx_without_python_docx(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "docx", None)
    message = "Reading Word files needs the docs-input extra: pip install 'summary-coverage[docs-input]'."
    with pytest.raises(MissingExtraError, match=f"^{re.escape(message)}$"):
        load_bytes(word_docx(), "x.docx")


# --------------------------------------------------------------------------
# Paths


def test_load_path_accepts_str_and_pathlike(tmp_path: Path) -> None:
    path = write(tmp_path, "a.md", b"Hello.\n")
    assert load_path(path) == load_path(str(path))
    assert load_path(path).source == str(path)


def test_missing_path(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    with pytest.raises(InputError, match=f"^{re.escape(f'No such file: {path}.')}$"):
        load_path(path)
    with pytest.raises(InputError, match=r"^No such file: "):
        load_path(tmp_path / "x.txt" / "below")


def test_dash_is_an_ordinary_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match=r"^No such file: -\.$"):
        load_path("-")


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=f"^{re.escape(f'{tmp_path} is a directory, not a file.')}$"):
        load_path(tmp_path)


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "secret.txt", b"text")

    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(loaders, "open", denied, raising=False)  # chmod does not stop root
    with pytest.raises(InputError, match=r"secret\.txt cannot be read: permission denied\.$"):
        load_path(path)


def test_other_os_errors_are_input_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "flaky.txt", b"text")

    def io_error(*args: object, **kwargs: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(loaders, "open", io_error, raising=False)
    with pytest.raises(InputError, match=r"flaky\.txt could not be read: Input/output error\.$"):
        load_path(path)


def test_size_is_checked_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "big.pdf", b"x" * 20)

    def no_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(loaders, "open", no_open, raising=False)
    with pytest.raises(InputError, match=r"big\.pdf is 20 bytes, over the 10-byte limit\.$"):
        load_path(path, max_bytes=10)
