"""Dashboard: upload a document and its summary, see what is covered and what is not.

A thin page over the public API; it holds no scoring logic. Run with
``make app`` (or ``streamlit run streamlit_app.py``).
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from pathlib import Path  # noqa: E402

import streamlit as st  # noqa: E402

from summary_coverage import Checker, CoverageError, CoverageReport, Settings, load_bytes  # noqa: E402

SAMPLES = Path(__file__).resolve().parent / "sample_docs"


@st.cache_resource(show_spinner="Loading the model…")
def get_checker(model: str | None) -> Checker:
    """One shared Checker per model for every session."""
    return Checker(model or None)


@st.cache_data(show_spinner=False, max_entries=64)
def analyse(document: str, summary: str, model: str | None) -> dict:
    """Check a pair; cached by content and model, returned as the JSON-ready dict."""
    return get_checker(model).check(document, summary).to_dict(include_matrix=True)


def _read_upload(upload, label: str) -> str | None:
    if upload is None:
        return None
    try:
        return load_bytes(upload.getvalue(), upload.name).text
    except CoverageError as exc:
        st.error(f"{label}: {exc}")
        return None


def main() -> None:
    st.set_page_config(page_title="summary-coverage", layout="wide")
    st.title("summary-coverage")
    st.caption("Which parts of the document does the summary leave out, and which sentences lack support?")

    with st.sidebar:
        model = st.text_input("Model (hub id or local folder; empty = default)", value="") or None
        try:
            checker = get_checker(model)
        except CoverageError as exc:
            st.error(str(exc))
            return
        default_cov, default_sup, _ = Settings().resolve(checker.model_info.name)
        cov_t = st.slider("Coverage threshold", 0.0, 1.0, value=default_cov, step=0.01, key="cov_t")
        sup_t = st.slider("Support threshold", 0.0, 1.0, value=default_sup, step=0.01, key="sup_t")

    if st.button("Try the sample contract", key="sample"):
        st.session_state["document_text"] = (SAMPLES / "services_agreement.md").read_text(encoding="utf-8")
        st.session_state["summary_text"] = (SAMPLES / "services_agreement.flawed_summary.md").read_text(
            encoding="utf-8"
        )

    left, right = st.columns(2)
    with left:
        doc_upload = st.file_uploader("Document", type=["txt", "md", "pdf", "docx"], key="document")
    with right:
        sum_upload = st.file_uploader("Summary", type=["txt", "md", "pdf", "docx"], key="summary")
    document = _read_upload(doc_upload, "Document") or st.session_state.get("document_text")
    summary = _read_upload(sum_upload, "Summary") or st.session_state.get("summary_text")
    if not document or summary is None:
        st.info("Upload a document and its summary, or try the sample contract.")
        return

    try:
        report = CoverageReport.from_dict(analyse(document, summary, model)).with_thresholds(cov_t, sup_t)
    except CoverageError as exc:
        st.error(str(exc))
        return

    info = checker.model_info
    if info.fallback:
        st.warning(f"Using the bundled all-MiniLM-L6-v2, not bge-m3: {info.reason}")
    else:
        st.caption(f"Model: {info.name} on {info.device}")
    c1, c2, c3, c4, c5 = st.columns(5)
    c1.metric("Coverage", f"{report.coverage:.0%}")
    c2.metric("Support", f"{report.support:.0%}")
    c3.metric("Uncovered passages", len(report.uncovered))
    c4.metric("Unsupported sentences", len(report.unsupported))
    c5.metric("Document tokens", f"{report.document.tokens:,}")

    st.subheader("Sections")
    st.dataframe(
        [
            {"section": s.title, "coverage": round(s.coverage, 3), "score": round(s.score, 3)}
            for s in report.sections
        ],
        width="stretch",
        key="sections_table",
    )
    titles = {s.index: s.title for s in report.sections}
    st.subheader("Uncovered passages")
    st.dataframe(
        [
            {
                "section": titles[report.passages[i].section],
                "score": round(report.passages[i].score, 3),
                "start": report.passages[i].start,
                "text": report.passages[i].text,
            }
            for i in report.uncovered
        ],
        width="stretch",
        key="uncovered_table",
    )
    st.subheader("Unsupported summary sentences")
    st.dataframe(
        [
            {
                "sentence": report.summary_sentences[i].text,
                "support": round(report.summary_sentences[i].support, 3),
            }
            for i in report.unsupported
        ],
        width="stretch",
        key="unsupported_table",
    )
    st.download_button(
        "Download the JSON report", report.to_json(), "coverage_report.json", "application/json"
    )


main()
