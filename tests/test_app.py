"""The dashboard under Streamlit's AppTest: sample, uploads, re-scoring, bad input, sessions.

Most tests swap the model for the deterministic HashingEncoder through the
``summary_coverage.app.session.make_checker`` hook, so they count encoder calls
and run fast; the sample test uses the real bundled model.
"""

from __future__ import annotations

import gc
import re

import pytest
import streamlit as st
import tomllib
from streamlit.testing.v1 import AppTest

from summary_coverage import Checker, HashingEncoder
from summary_coverage.app import session
from summary_coverage.app.loading import ModelLoader
from summary_coverage.inputs import files as loaders

from conftest import ROOT, SAMPLES
from fixtures_docs import text_pdf, word_docx

APP = str(ROOT / "streamlit_app.py")
LEASE = "## 1. Rent\n\nRent is 900 euros each month.\n\n## 2. Pets\n\nNo dogs or cats may live in the flat.\n"
SUMMARY = "- Rent is 900 euros each month.\n- Zebras graze on the roof."


@pytest.fixture(autouse=True)
def _fresh_caches():
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()


@pytest.fixture()
def hashing_encoder(monkeypatch) -> HashingEncoder:
    encoder = HashingEncoder()
    monkeypatch.setattr(session, "make_checker", lambda model: Checker(encoder))
    return encoder


def app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=240).run()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def errors(at: AppTest) -> list[str]:
    return [e.value.replace("\\", "") for e in at.error]


def upload(at: AppTest, key: str, name: str, data: bytes, mime: str = "application/octet-stream") -> AppTest:
    return at.file_uploader(key=key).set_value((name, data, mime)).run()


def test_sample_button_with_the_real_model_shows_the_whole_page() -> None:
    at = app()
    assert not at.exception and not metrics(at)
    at.button(key="sample_button").click().run()
    assert not at.exception
    m = metrics(at)
    assert set(m) == {
        "Coverage", "Support", "Uncovered passages", "Unsupported sentences", "Document tokens",
        "Coverage after review", "Support after review", "Open flags", "Confirmed / dismissed",
    }  # fmt: skip
    assert m["Coverage after review"] == m["Coverage"] and m["Confirmed / dismissed"] == "0 / 0"
    assert m["Unsupported sentences"] == "2" and m["Document tokens"] == "6,846"
    assert any("bge-m3" in w.value and "fetch-model" in w.value.replace("\\", "") for w in at.warning)
    pick = at.selectbox(key="section_pick")
    assert "13. Insurance" in pick.options and "14. Subcontracting and Personnel" in pick.options
    flawed = (SAMPLES / "services_agreement.flawed_summary.md").read_text(encoding="utf-8")
    assert at.text_area(key="summary_text").value == flawed
    assert [b.label for b in at.get("download_button")] == [
        "JSON report (schema 1, with the review)",
        "Passages (CSV)",
        "HTML report",
        "Word copy with comments",
    ]
    page = " ".join(md.value for md in at.markdown).replace("\\", "")
    marked = " ".join(h.value for h in at.get("html"))
    assert "oak saplings" in marked  # the unsupported sentence is listed, its unsupported words marked
    assert "<mark class='flag' title='contradicted: " in marked and ">sixty days</mark>" in marked
    assert "contradicted" in page and "sixty days" in page and "thirty (30) days" in page  # changed number
    pick.set_value(pick.options.index("14. Subcontracting and Personnel")).run()
    detail = " ".join(md.value for md in at.markdown).replace("\\", "")
    assert "14.3 The Provider's Account Director" in detail and "✗ uncovered" in detail


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("lease.txt", LEASE.encode("utf-8")),
        ("lease.md", LEASE.encode("utf-16")),
        (
            "lease.pdf",
            text_pdf(["1. RENT", "Rent is 900 euros each month. No dogs or cats may live in the flat."]),
        ),
        ("lease.docx", word_docx()),
    ],
)
def test_each_document_format_can_be_uploaded(hashing_encoder, name, data) -> None:
    at = app()
    at.text_area(key="summary_text").input(SUMMARY).run()
    upload(at, "document", name, data)
    assert not at.exception and not errors(at)
    assert int(metrics(at)["Document tokens"].replace(",", "")) > 0
    # What was scored, in one line (every character of these documents is).
    assert any(c.value == "Document text: scored 100% of the text" for c in at.caption), [
        c.value for c in at.caption
    ]


def test_summary_can_be_uploaded_instead_of_pasted(hashing_encoder) -> None:
    at = app()
    upload(at, "document", "lease.md", LEASE.encode())
    upload(at, "summary_file", "summary.txt", SUMMARY.encode())
    assert metrics(at)["Unsupported sentences"] == "1"


def test_moving_a_threshold_rescores_without_re_embedding(hashing_encoder) -> None:
    at = app()
    at.text_area(key="summary_text").input(SUMMARY).run()
    upload(at, "document", "lease.md", LEASE.encode())
    calls, before = hashing_encoder.calls, metrics(at)
    assert calls == 2  # one warm-up call when the model loads, one for the check
    at.sidebar.slider[0].set_value(1.0).run()  # coverage threshold
    at.sidebar.slider[1].set_value(0.0).run()  # support threshold
    after = metrics(at)
    assert hashing_encoder.calls == calls, "a threshold change must not re-embed"
    assert after["Coverage"] == "0%" and after["Unsupported sentences"] == "0" and after != before


def test_a_rerun_rebuilds_only_what_changed(hashing_encoder, monkeypatch) -> None:
    from summary_coverage.app import report_page
    from summary_coverage.report import document_view

    pages, views = [], []
    build_page, build_view = report_page.build_report_page, document_view.document_html
    monkeypatch.setattr(
        report_page,
        "build_report_page",
        lambda r, *a: pages.append(r.coverage_threshold) or build_page(r, *a),
    )
    monkeypatch.setattr(
        document_view, "document_html", lambda *a, **k: views.append(k["focus"]) or build_view(*a, **k)
    )
    at = app()
    at.text_area(key="summary_text").input(SUMMARY).run()
    upload(at, "document", "lease.md", LEASE.encode())
    assert len(pages) == 1 and not views  # the Document tab is closed: its page is not built
    at.session_state["view_tab"] = "Document"
    at.run()
    assert len(pages) == 1 and len(views) == 1 and len(at.get("iframe")) == 1
    at.run()  # nothing changed: no figure, table, escaped text or document page is built again
    at.get("download_button")[0].click().run()
    assert len(pages) == 1 and len(views) == 1
    at.selectbox(key="section_pick").set_value(1).run()  # the Document tab scrolls elsewhere
    assert len(pages) == 1 and len(views) == 2
    at.sidebar.slider[0].set_value(0.9).run()  # decisions change: the page is rebuilt, once
    assert pages == [0.5, 0.9] and not at.exception


BAD_INPUTS = [
    ("photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(64), "looks like a binary file"),
    ("scan.pdf", text_pdf([None, None]), "has no text layer (it looks scanned)"),
    ("empty.txt", b"", "empty.txt is empty."),
    ("blank.md", b"  \n\n\t", "contains only whitespace"),
    ("mystery.txt", bytes(range(128, 256)), "could not be decoded as text"),
    ("fake.docx", b"just text, not a zip", "is not a valid Word (.docx) file"),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_INPUTS)
def test_bad_document_gives_one_error_box_and_keeps_the_page_working(
    hashing_encoder, name, data, message
) -> None:
    at = app()
    at.text_area(key="summary_text").input(SUMMARY).run()
    upload(at, "document", "lease.md", LEASE.encode())
    good = metrics(at)
    upload(at, "document", name, data)
    assert not at.exception
    assert len(errors(at)) == 1 and message in errors(at)[0]
    assert metrics(at) == good, "the last good result stays on the page"
    assert at.button(key="sample_button") is not None


def test_uploaders_accept_only_the_supported_formats() -> None:
    at = app()
    for key in ("document", "summary_file"):
        assert sorted(at.file_uploader(key=key).proto.type) == [".docx", ".md", ".pdf", ".txt"]
    # Streamlit itself refuses other extensions (the browser's file picker filters them too).
    at.file_uploader(key="document").set_value(("photo.png", b"\x89PNG", "image/png")).run()
    assert "Invalid file extension: `.png`" in at.exception[0].message


def test_file_over_the_upload_limit_is_refused(hashing_encoder, monkeypatch) -> None:
    monkeypatch.setattr(loaders, "DEFAULT_MAX_BYTES", 1000)
    at = app()
    upload(at, "document", "big.txt", b"word " * 400)
    assert not at.exception and len(errors(at)) == 1 and "over the" in errors(at)[0]


def test_upload_limit_matches_the_library() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] * 1024 * 1024 == loaders.DEFAULT_MAX_BYTES
    assert config["server"]["enableXsrfProtection"] is True


def test_no_full_garbage_collection_after_every_run() -> None:
    # Streamlit's default gc.collect(2) after each run took 0.3 s of the GIL once the model was
    # loaded: every click waited, and a few tabs polling the model load starved the load itself.
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["runner"]["postScriptGC"] is False


def test_the_loaded_model_is_kept_out_of_the_collectors_way() -> None:
    gc.unfreeze()
    try:
        loader = ModelLoader(lambda: Checker(HashingEncoder()))
        assert loader.wait(60) and isinstance(loader.result(), Checker)
        assert gc.get_freeze_count() > 0  # what the load created is never walked again
    finally:
        gc.unfreeze()


def test_a_model_that_cannot_load_is_an_error_box_not_a_traceback() -> None:
    at = app()
    at.sidebar.text_input(key="model").input("acme/no-such-model").run()
    assert not at.exception
    assert len(errors(at)) == 1 and "acme/no-such-model" in errors(at)[0]
    assert at.button(key="sample_button") is not None


def test_two_sessions_see_their_own_results(hashing_encoder) -> None:
    first, second = app(), app()
    first.text_area(key="summary_text").input("- Rent is 900 euros each month.").run()
    second.text_area(key="summary_text").input("- No dogs or cats may live in the flat.").run()
    upload(first, "document", "lease.md", LEASE.encode())
    upload(second, "document", "lease.md", LEASE.encode())
    first.run()
    assert metrics(first)["Coverage"] != metrics(second)["Coverage"]
    for at, sentence in ((first, "Rent is 900"), (second, "No dogs")):
        detail = at.selectbox(key="section_pick")
        assert detail is not None
        assert sentence in at.text_area(key="summary_text").value


def test_user_text_is_escaped_on_the_page(hashing_encoder) -> None:
    at = app()
    at.text_area(key="summary_text").input("- ![x](http://evil/p.png) <img src=x onerror=alert(1)>").run()
    upload(at, "document", "lease.md", (LEASE + "\n\n[click](javascript:alert(1))\n").encode())
    assert not at.exception
    for md in at.markdown:
        assert not re.search(r"(?<!\\)\]\((http|javascript)|(?<!\\)<img", md.value), md.value


def test_document_view_and_word_copy_keep_user_text_as_text(hashing_encoder, monkeypatch) -> None:
    import io

    import docx
    from streamlit.runtime.media_file_manager import MediaFileManager

    deferred = {}  # the dashboard's downloads are built when clicked: keep their builders
    add_deferred = MediaFileManager.add_deferred

    def spy(self, data, mimetype, coordinates, file_name=None, **kwargs):
        deferred[file_name] = data
        return add_deferred(self, data, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    hostile_doc = LEASE + "\n## 3. Roof\n\nThe <script>alert('doc')</script> roof & attic are shared.\n"
    hostile_summary = "- Rent is 900 euros each month.\n- Zebras <img src=x onerror=alert(1)> & co graze."
    at = app()
    at.text_area(key="summary_text").input(hostile_summary).run()
    upload(at, "document", "lease.md", hostile_doc.encode())
    at.session_state["view_tab"] = "Document"
    at.run()
    assert not at.exception
    view = at.get("iframe")[0].proto.srcdoc  # the Document tab's page
    assert "<script>alert('doc')" not in view and "&lt;script&gt;alert(" in view
    assert "<img src=x" not in view
    copy = docx.Document(io.BytesIO(deferred["coverage_review.docx"]()))
    body = "\n".join(p.text for p in copy.paragraphs)
    assert "The <script>alert('doc')</script> roof & attic are shared." in body  # text, not markup
    comments = "\n".join(c.text for c in copy.comments)
    assert "Zebras <img src=x onerror=alert(1)> & co graze." in comments
    (flags,) = [int(h.value.split("(")[1].split()[0]) for h in at.subheader if h.value.startswith("Review (")]
    assert len(copy.comments) == flags  # one comment per flag


def test_sample_files_exist() -> None:
    for name in (
        "services_agreement.md",
        "services_agreement.flawed_summary.md",
        "services_agreement.summary.md",
    ):
        assert (SAMPLES / name).is_file()


def test_a_printed_pdf_shows_pages_and_a_scan_asks_for_ocr(hashing_encoder) -> None:
    from fixtures_docs import contract_as_pdf

    pdf, _ = contract_as_pdf(
        LEASE + "\n\n" + "\n\n".join(f"## {n}. Clause\n\nClause {n} says rent is due." for n in range(3, 60))
    )
    at = app()
    at.text_area(key="summary_text").input(SUMMARY).run()
    upload(at, "document", "lease.pdf", pdf)
    assert not at.exception and not errors(at)
    shown = " ".join(m.value for m in at.markdown)
    assert re.search(r"page \d+, characters \d+–\d+", shown)  # uncovered passages say their page
    assert "12/1/26" not in shown  # the print header is furniture, never a passage

    at = app()
    at.text_area(key="summary_text").input(SUMMARY).run()
    upload(at, "document", "scan.pdf", text_pdf([None, None]))
    assert any("turn on OCR" in e for e in errors(at))
    assert at.checkbox(key="ocr").value is False  # the box is there, off by default


def _saved_report(hashing_encoder, decision: str, note: str) -> bytes:
    from summary_coverage.report.review import Review
    from summary_coverage.report.review_items import review_items

    report = Checker(hashing_encoder).check(LEASE, SUMMARY)
    first = review_items(report)[0].flag
    return report.to_dict() | {"review": Review().decide(first, decision, note=note).to_list()}


def test_a_saved_report_reopens_with_its_review_and_sessions_keep_their_own(hashing_encoder) -> None:
    import json

    one = json.dumps(
        _saved_report(hashing_encoder, "dismissed", "<img src=x onerror=alert(1)> fine")
    ).encode()
    two = json.dumps(_saved_report(hashing_encoder, "confirmed", "right")).encode()
    first, second = app(), app()
    upload(first, "saved_report", "one.json", one, "application/json")
    upload(second, "saved_report", "two.json", two, "application/json")
    assert not first.exception and not second.exception
    assert metrics(first)["Confirmed / dismissed"] == "0 / 1"
    assert metrics(second)["Confirmed / dismissed"] == "1 / 0"
    page = " ".join(md.value for md in first.markdown)
    assert "<img" not in page  # the note is data in the table, never markup on the page
    labels = [b.label for b in first.get("download_button")]
    assert "Word copy with comments" not in labels  # a JSON report does not hold the document
    upload(first, "saved_report", "bad.json", b'{"schema_version": 1}', "application/json")
    assert any("could not be opened" in e for e in errors(first))


def test_no_stray_text_at_the_top_of_the_page() -> None:
    at = app()
    shown = [md.value for md in at.markdown]
    assert not any("page start offsets" in v for v in shown)  # a bare string in the script is drawn by magic
