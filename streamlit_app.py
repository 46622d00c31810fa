"""Dashboard: upload a contract and its summary, see what is covered, section by section.

A thin page over the public API: the checker, the report and every table
and figure come from ``summary_coverage``; this file holds layout and UI
state only. Run it with ``make app`` (or ``streamlit run streamlit_app.py``).
"""

from __future__ import annotations

import dataclasses
import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import streamlit as st

SAMPLES = Path(__file__).resolve().parent / "sample_docs"
SAMPLE_DOC = "services_agreement.md"
SAMPLE_SUMMARY = "services_agreement.flawed_summary.md"
FORMATS = ["txt", "md", "pdf", "docx"]


def _language_module() -> ModuleType:
    """The package's table of fixed texts (``report/language.py``), read without importing the package.

    The shell is drawn before the library is imported (see :func:`shell`), yet in the chosen language.
    """
    spec = importlib.util.find_spec("summary_coverage")
    assert spec is not None and spec.submodule_search_locations, "summary_coverage is not installed"
    path = Path(next(iter(spec.submodule_search_locations))) / "report" / "language.py"
    module_spec = importlib.util.spec_from_file_location("_summary_coverage_language", path)
    assert module_spec is not None and module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module


LANGUAGE = _language_module()


def lang() -> str:
    """The language picked in the sidebar (English until one is picked)."""
    chosen = st.session_state.get("lang", "en")
    return chosen if chosen in LANGUAGE.LANGUAGES else "en"


def tr(text: str, /, **values: Any) -> str:
    """A fixed text of the page in the picked language (``report/language.py`` holds the Chinese)."""
    return str(LANGUAGE.say(lang(), text, **values))


def load_sample() -> None:
    st.session_state["sample"] = True
    st.session_state["summary_text"] = (SAMPLES / SAMPLE_SUMMARY).read_text(encoding="utf-8")


def shell() -> Any:
    """The page's frame: title, sample button, uploaders. Returns the box for the model's notice.

    Drawn before the library is imported (numpy, the checker, the report builders: about a
    third of a second on a cold server), so the page is usable at once.
    """
    st.set_page_config(page_title="summary-coverage", page_icon="📑", layout="wide")
    st.title("summary-coverage")
    st.caption(
        tr("Which parts of the document does the summary leave out, and which of its sentences lack support?")
    )
    st.button(tr("Try the sample contract"), key="sample_button", type="primary", on_click=load_sample)
    left, right = st.columns(2)
    with left:
        st.file_uploader(tr("Document (.txt, .md, .pdf, .docx)"), type=FORMATS, key="document")
        st.checkbox(
            tr("Read scanned PDF pages with OCR (slow: seconds a page)"),
            key="ocr",
            help=tr("Pages without a text layer are read with Tesseract; the report lists them."),
        )
        st.file_uploader(
            tr("…or open a saved JSON report (with its review)"), type=["json"], key="saved_report"
        )
    with right:
        st.file_uploader(tr("Summary file"), type=FORMATS, key="summary_file")
        st.text_area(tr("…or paste the summary"), key="summary_text", height=140)
    # The model's notice comes below the inputs: filled later, it must not move what is above it
    # (a button that moves as the user clicks it loses the click).
    return st.container()


MODEL_BOX = shell()

# Only now the library; the sidebar (which needs its thresholds) is drawn after the shell.
import streamlit.components.v1 as components  # noqa: E402

from summary_coverage import CoverageError, CoverageReport, Settings  # noqa: E402
from summary_coverage.app import session  # noqa: E402
from summary_coverage.app.loading import ModelLoader  # noqa: E402
from summary_coverage.app.report_page import build_report_page, memo_one, page_key  # noqa: E402
from summary_coverage.app.review_table import CHOICES, review_from_rows, review_rows  # noqa: E402
from summary_coverage.inputs import files as loaders  # noqa: E402
from summary_coverage.report.document_view import document_html  # noqa: E402
from summary_coverage.report.escape import escape_markdown  # noqa: E402
from summary_coverage.report.html_report import render_html  # noqa: E402
from summary_coverage.report.review import Review  # noqa: E402
from summary_coverage.report.review_items import after_review  # noqa: E402
from summary_coverage.report.views import (  # noqa: E402
    accounting_line,
    passages_csv,
    section_detail,
    where,
)
from summary_coverage.report.word_copy import word_copy  # noqa: E402
from summary_coverage.score.verifier import resolve_thresholds  # noqa: E402

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@st.cache_resource(show_spinner=False)
def get_loader(model: str | None) -> ModelLoader:
    """One background load per model, shared by every session (the model is only read)."""
    return ModelLoader(lambda: session.make_checker(model))


@st.fragment(run_every=1.0)
def loading_status(loader: ModelLoader) -> None:
    """A status line while the model loads; the whole page reruns once it is ready."""
    if loader.ready():
        st.rerun(scope="app")
    st.caption(
        "⏳ "
        + tr(
            "Loading the model in the background… {s} s. The page is ready to use.", s=f"{loader.elapsed:.0f}"
        )
    )


def show_model(box: Any, checker: Any) -> None:
    """Which model scores: a warning for the bundled fallback (with how to get bge-m3), else a caption."""
    info = checker.model_info
    with box:
        if info.fallback:
            # The reason already says how to get bge-m3 (summary-coverage fetch-model).
            st.warning(
                tr("**Using the bundled all-MiniLM-L6-v2, not BAAI/bge-m3.**")
                + f" {escape_markdown(info.reason)}",
                icon="ℹ️",
            )
        else:
            st.caption(
                tr(
                    "Model: {name} on {device} ({dtype}), max {n} tokens per passage",
                    name=escape_markdown(info.name),
                    device=info.device,
                    dtype=info.dtype,
                    n=info.max_seq_length,
                )
            )


def wait_for_model(loader: ModelLoader) -> Any:
    """Block this run until the model is loaded, with a progress bar; None (and an error box) if it fails."""
    bar = st.progress(0.0, text=tr("Waiting for the model to load…"))
    while not loader.wait(0.2):
        # No total is known: the bar creeps towards the end, never reaching it.
        bar.progress(
            min(0.95, loader.elapsed / (loader.elapsed + 10.0)),
            text=tr("Loading the model… {s} s", s=f"{loader.elapsed:.0f}"),
        )
    bar.empty()
    try:
        return loader.result()
    except CoverageError as exc:
        error(str(exc))
        return None


@st.cache_resource
def get_results() -> session.ResultCache:
    """Reports shared by content hash + model + settings; each session keeps its own UI state."""
    return session.ResultCache(maxsize=32)


def error(message: str) -> None:
    """An error box; the message may contain user text (file names), so it is escaped."""
    st.error(escape_markdown(message), icon="⚠️")


@st.cache_data(max_entries=8, show_spinner=False)
def load_upload(data: bytes, name: str, ocr: bool) -> loaders.LoadedText:
    """An uploaded document as loaded, once per file (OCR takes seconds a page; reruns must not repeat it)."""
    return loaders.load_bytes(data, name, max_bytes=loaders.DEFAULT_MAX_BYTES, ocr=ocr)


def read_document() -> tuple[str | loaders.LoadedText, str] | None:
    upload = st.session_state.get("document")
    if upload is not None:
        try:
            with st.spinner(tr("Reading the document…")):
                loaded = load_upload(upload.getvalue(), upload.name, bool(st.session_state.get("ocr", False)))
        except CoverageError as exc:
            error(tr("Document: {reason}", reason=exc))
            return None
        for w in loaded.warnings:
            st.warning(escape_markdown(w))
        return loaded, upload.name  # a PDF keeps its pages and page furniture
    if st.session_state.get("sample"):
        return (SAMPLES / SAMPLE_DOC).read_text(encoding="utf-8"), SAMPLE_DOC
    return None


def read_summary() -> tuple[str, str] | None:
    upload = st.session_state.get("summary_file")
    if upload is not None:
        try:
            loaded = loaders.load_bytes(
                upload.getvalue(), upload.name, max_bytes=loaders.DEFAULT_MAX_BYTES, allow_empty=True
            )
        except CoverageError as exc:
            error(tr("Summary: {reason}", reason=exc))
            return None
        return loaded.text, upload.name
    pasted = st.session_state.get("summary_text", "")
    if pasted.strip():
        return pasted, tr("pasted summary")
    return None


def analyse(
    checker: Any, model: str | None, document: str | loaders.LoadedText, summary: str
) -> CoverageReport:
    """The report for these texts: from the shared cache, or computed with a staged progress bar."""
    settings = Settings()  # thresholds are applied afterwards, without re-embedding
    text = document if isinstance(document, str) else document.text
    key = session.result_key(text, summary, model, settings)
    cached = get_results().get(key)
    if cached is not None:
        return cached
    bar = st.progress(0.0, text=tr("Reading…"))
    language = lang()

    def progress(stage: str, done: int, total: int) -> None:
        frac, label = session.stage_fraction(stage, done, total, language)
        bar.progress(frac, text=label)

    try:
        return get_results().get_or_compute(
            key, lambda: checker.check(document, summary, settings=settings, progress=progress)
        )
    finally:
        bar.empty()


def apply_click(labels: tuple[str, ...], event: Any) -> None:
    """Turn a click on the heatmap or the coverage bar into the selected section (and sentence)."""
    points = list(getattr(getattr(event, "selection", None), "points", None) or [])
    if not points:
        return
    point = points[0]
    signature = repr(point)
    if st.session_state.get("last_click") == signature:
        return  # the same selection, re-sent on a later rerun
    st.session_state["last_click"] = signature
    if point.get("y") in labels:
        st.session_state["section_pick"] = labels.index(point["y"])
        x = point.get("x")
        is_cell = point.get("curve_number", 0) == 0 and isinstance(x, str) and x.startswith("S")
        st.session_state["cell_sentence"] = int(x[1:]) - 1 if is_cell else None


def show_section(report: CoverageReport, labels: tuple[str, ...]) -> None:
    if st.session_state.get("section_pick", 0) >= len(labels):
        st.session_state["section_pick"] = 0
    st.selectbox(
        tr("Section (or click a row or cell of the heatmap)"),
        options=list(range(len(labels))),
        format_func=lambda i: labels[i],
        key="section_pick",
        on_change=lambda: st.session_state.update(cell_sentence=None, doc_focus=None),
    )
    sentence = st.session_state.get("cell_sentence")
    if sentence is not None and sentence >= len(report.summary_sentences):
        sentence = None
    detail = section_detail(report, st.session_state["section_pick"], sentence)
    left, right = st.columns([3, 2])
    with left:
        st.markdown(
            tr(
                "**{title}**: {pct} covered",
                title=escape_markdown(detail.title),
                pct=f"{detail.coverage:.0%}",
            )
        )
        for p in detail.passages:
            with st.container(border=True):
                mark = tr(":green[✓ covered]") if p.covered else tr(":red[**✗ uncovered**]")
                focus = (
                    tr(" · :blue[best match for the selected sentence]")
                    if p.index == detail.focus_passage
                    else ""
                )
                at = where(p.page, p.start, p.end, lang())
                st.markdown(f"{mark} · " + tr("score {score}", score=f"{p.score:.2f}") + f" · {at}{focus}")
                st.markdown(escape_markdown(p.text))
    with right:
        st.markdown(
            tr("**Matching summary sentences**")
            if sentence is None
            else tr("**Summary sentence S{n}**", n=sentence + 1)
        )
        if not detail.sentences:
            st.caption(tr("No summary sentence matches a passage of this section best."))
        for s in detail.sentences:
            with st.container(border=True):
                mark = tr(":green[supported]") if s.supported else tr(":red[**unsupported**]")
                st.markdown(
                    f"S{s.index + 1} · {mark} · " + tr("support {support}", support=f"{s.support:.2f}")
                )
                st.markdown(escape_markdown(s.text))


# The document text, a Word file's own bytes (or None), and a PDF's page start offsets.
# (A comment, not a string: Streamlit's magic would show a bare string on the page.)
Source = tuple[str, bytes | None, tuple[int, ...]]


def show_report(report: CoverageReport, source: Source | None = None) -> None:
    """The whole result; ``source`` (the document itself) enables the Document tab and the Word copy."""
    # Figures, tables and escaped texts: built once per report and thresholds, not on every rerun.
    language = lang()
    page = memo_one(
        st.session_state,
        "report_page",
        (page_key(report), language),
        lambda: build_report_page(report, language),
    )
    c1, c2, c3, c4, c5 = st.columns(5)
    c1.metric(tr("Coverage"), f"{report.coverage:.0%}")
    c2.metric(tr("Support"), f"{report.support:.0%}")
    c3.metric(tr("Uncovered passages"), len(report.uncovered))
    c4.metric(tr("Unsupported sentences"), len(report.unsupported))
    c5.metric(tr("Document tokens"), f"{report.document.tokens:,}")
    st.caption(tr("Document text: {line}", line=escape_markdown(accounting_line(report, language))))
    for w in page.warnings:
        st.info(w)

    # on_change="rerun": the Document tab's page (the whole text, hundreds of KB for a long
    # contract) is sent only while that tab is open, not on every click in the Report tab.
    report_tab, document_tab = st.tabs([tr("Report"), tr("Document")], key="view_tab", on_change="rerun")
    # The Report tab first: a heatmap cell or a listed passage picked on this run must reach
    # the Document tab on this same run (its view reads what the Report tab's widgets set).
    with report_tab:
        st.subheader(tr("Coverage by section"))
        st.caption(
            tr(
                "Each cell: the best match between a section's passages and one summary sentence (hover for "
                "both). The bar: the share of the section the summary covers. Click a row or cell to open it."
            )
        )
        if page.figure is None:
            st.info(
                tr(
                    "This saved report holds no similarity matrix, so no heatmap "
                    "(the dashboard's JSON has it)."
                )
            )
        else:
            event = st.plotly_chart(
                page.figure,
                key="heatmap",
                on_select="rerun",
                selection_mode="points",
                width="stretch",
                config={"displayModeBar": False},
            )
            apply_click(page.labels, event)
        show_section(report, page.labels)

        st.subheader(tr("Uncovered passages ({n})", n=len(report.uncovered)))
        st.caption(
            tr(
                "Most important first: sections the summary skips entirely, then by how clearly each passage "
                "is missed and how much it holds."
            )
        )
        for line in page.top_uncovered:
            st.markdown(line)
        picked = st.dataframe(
            page.uncovered,
            width="stretch",
            hide_index=True,
            key="uncovered_table",
            on_select="rerun",
            selection_mode="single-row",
        )
        chosen = list(getattr(getattr(picked, "selection", None), "rows", None) or [])
        if chosen and chosen[0] < len(report.uncovered):
            st.session_state["doc_focus"] = report.uncovered[chosen[0]]
            st.caption(tr("The Document tab now scrolls to this passage."))

        st.subheader(tr("Unsupported summary sentences ({n})", n=len(report.unsupported)))
        for card in page.unsupported:
            with st.container(border=True):
                left, right = st.columns(2) if card.contradiction else (st.container(), None)
                with left:
                    st.markdown(card.heading)
                    st.html(card.sentence_html)
                    if card.reasons:
                        st.caption(card.reasons)
                    if card.judge:
                        st.caption(card.judge)
                if right is not None:
                    with right:
                        st.caption(card.contradiction_intro)
                        st.markdown(card.contradiction)
                if card.evidence:
                    st.caption(card.evidence_intro)
                    st.markdown(card.evidence)
        if not report.unsupported:
            st.caption(tr("Every summary sentence has support in the document."))

        st.subheader(tr("Numbers, dates, amounts and places ({n} flagged)", n=len(page.facts)))
        st.caption(
            tr(
                "Numbers, dates, amounts, durations, percentages and places of summary sentences "
                "that their evidence contradicts, or never states. "
                "A contradicted fact pulls its sentence's support down."
            )
        )
        for line in page.facts:
            st.markdown(line)

        with st.expander(tr("All sections")):
            st.dataframe(page.sections, width="stretch", hide_index=True, key="sections_table")

        report = show_review(report)

        st.subheader(tr("Downloads"))
        d1, d2, d3, d4 = st.columns(4)
        # Built when clicked: a rerun that only moved a threshold does no export work.
        d1.download_button(
            tr("JSON report (schema 1, with the review)"),
            lambda: report.to_json(include_matrix=True),  # so that it reopens here with its heatmap
            "coverage_report.json",
            "application/json",
            on_click="ignore",  # no rerun: a download changes nothing on the page
        )
        d2.download_button(
            tr("Passages (CSV)"),
            lambda: passages_csv(report),
            "coverage_passages.csv",
            "text/csv",
            on_click="ignore",
        )
        d3.download_button(
            tr("HTML report"),
            lambda: render_html(
                report, title=tr("Coverage of {source}", source=report.document.source), lang=language
            ),
            "coverage_report.html",
            "text/html",
            on_click="ignore",
        )
        if source is not None:
            text, original, _ = source
            d4.download_button(
                tr("Word copy with comments"),
                lambda: word_copy(report, text, original=original, name=report.document.source),
                "coverage_review.docx",
                DOCX_MIME,
                on_click="ignore",
                help=tr("The document with a Word comment on every flag, with your decisions and notes."),
            )
        else:
            d4.caption(
                tr("The Word copy needs the document itself (a report opened from JSON does not hold it).")
            )
    with document_tab:
        show_document(report, source, shown=bool(document_tab.open))


def show_document(report: CoverageReport, source: Source | None, shown: bool) -> None:
    """The Document tab: the whole text, passages tinted, a sentence's evidence outlined and scrolled to.

    Its sentence picker is always drawn (so its choice is kept); the page itself only when ``shown``.
    """
    if source is None:
        st.info(
            tr("The Document view needs the document itself; a report opened from JSON does not hold it.")
        )
        return
    text, _, pages = source
    n = len(report.summary_sentences)
    picked = st.session_state.get("cell_sentence")
    options = [None, *range(n)]
    if st.session_state.get("doc_sentence") not in options:
        st.session_state["doc_sentence"] = None
    if picked is not None and picked < n and st.session_state.get("doc_sentence_from_cell") != picked:
        st.session_state["doc_sentence"] = picked  # a heatmap cell picks the sentence here too
        st.session_state["doc_sentence_from_cell"] = picked
    sentence = st.selectbox(
        tr("Outline the evidence of a summary sentence"),
        options=options,
        format_func=lambda i: (
            tr("none") if i is None else f"S{i + 1}: {report.summary_sentences[i].text[:90]}"
        ),
        key="doc_sentence",
    )
    focus = None
    if sentence is None:
        listed = st.session_state.get("doc_focus")  # a passage picked in the uncovered list
        section = st.session_state.get("section_pick", 0)
        passages = report.sections[section].passages if section < len(report.sections) else ()
        if isinstance(listed, int) and 0 <= listed < len(report.passages):
            focus = listed
        else:
            focus = passages[0] if passages else None
    if not shown:
        return
    st.caption(
        tr(
            "Each passage is tinted by its chance of being covered (red: missed, green: covered); uncovered "
            "passages have a red bar. Page numbers stand in the margin; page furniture is grey."
        )
    )
    components.html(
        document_view(report, text, sentence, focus, pages),
        height=720,
        scrolling=True,
    )


def document_view(
    report: CoverageReport, text: str, sentence: int | None, focus: int | None, pages: tuple[int, ...]
) -> str:
    """The Document tab's page, rebuilt only when what it shows changes."""
    return memo_one(
        st.session_state,
        "document_view",
        (page_key(report), sentence, focus),
        lambda: document_html(report, text, sentence=sentence, focus=focus, pages=pages, scroll=True),
    )


def show_review(report: CoverageReport) -> CoverageReport:
    """The review desk: settle each flag, see the figures after review; returns the report with its review."""
    items_key = (
        f"review:{report.document.sha256[:16]}:{report.summary.sha256[:16]}:{hash(repr(report.review))}"
    )
    stored: Review = st.session_state.get(items_key, report.review)
    editor = f"{items_key}:{report.coverage_threshold}:{report.support_threshold}"
    # The editor's data must not change under its key: it is fixed when the editor is first shown.
    if f"{editor}:rows" not in st.session_state:
        st.session_state[f"{editor}:rows"] = review_rows(dataclasses.replace(report, review=stored))
    base_rows = st.session_state[f"{editor}:rows"]
    base_review: Review = st.session_state.setdefault(f"{editor}:review", stored)
    st.subheader(tr("Review ({n} flags)", n=len(base_rows)))
    st.caption(
        tr(
            "Confirm or dismiss each flag, with a note if you like; "
            "the JSON report and the Word copy carry it."
        )
    )
    edited = st.data_editor(
        base_rows,
        key=editor,
        hide_index=True,
        width="stretch",
        disabled=["flag", "kind", "finding", "page"],
        column_config={
            "flag": st.column_config.TextColumn(tr("flag")),
            "kind": st.column_config.TextColumn(tr("kind")),
            "finding": st.column_config.TextColumn(tr("finding")),
            "page": st.column_config.NumberColumn(tr("page")),
            "decision": st.column_config.SelectboxColumn(
                tr("decision"), options=list(CHOICES), required=True
            ),
            "note": st.column_config.TextColumn(tr("note"), max_chars=2000),
        },
    )
    review = review_from_rows(edited, base_review)
    st.session_state[items_key] = review
    reviewed = dataclasses.replace(report, review=review)
    figures = after_review(reviewed)
    r1, r2, r3, r4 = st.columns(4)
    r1.metric(tr("Coverage after review"), f"{figures.coverage:.0%}")
    r2.metric(tr("Support after review"), f"{figures.support:.0%}")
    r3.metric(tr("Open flags"), figures.open)
    r4.metric(tr("Confirmed / dismissed"), f"{figures.confirmed} / {figures.dismissed}")
    return reviewed


def main(model_box: Any) -> None:
    with st.sidebar:
        st.radio(
            "Language / 语言",
            LANGUAGE.LANGUAGES,
            format_func=LANGUAGE.language_name,
            key="lang",
            horizontal=True,
        )
        st.header(tr("Settings"))
        model = (
            st.text_input(
                tr("Model: hub id or local folder (empty = default, BAAI/bge-m3)"), key="model"
            ).strip()
            or None
        )
        # The thresholds are 0.5 on the verifier's scale for every model: no need to wait for it.
        default_cov, default_sup, source = resolve_thresholds(Settings(), model or "BAAI/bge-m3")
        name = model or "default"
        cov_t = st.slider(tr("Coverage threshold"), 0.0, 1.0, default_cov, 0.01, key=f"cov_t:{name}")
        sup_t = st.slider(tr("Support threshold"), 0.0, 1.0, default_sup, 0.01, key=f"sup_t:{name}")
        st.caption(
            tr(
                "Defaults: {coverage} / {support} ({source}).",
                coverage=f"{default_cov:.2f}",
                support=f"{default_sup:.2f}",
                source=escape_markdown(source),
            )
        )

    # Only now start (or look up) the model load: importing torch on another thread slows this
    # one, and the shell is already usable.
    loader = get_loader(model)
    loader.wait(0.3)  # a model that fails at once is an error box on this very run
    checker = None
    failed = False
    with model_box:
        if loader.ready():
            try:
                checker = loader.result()
            except CoverageError as exc:
                error(str(exc))
                failed = True
        else:
            loading_status(loader)
    if checker is not None:
        show_model(model_box, checker)

    saved = read_saved_report()
    if saved is not None:
        if (cov_t, sup_t) != (saved.coverage_threshold, saved.support_threshold):
            saved = saved.with_thresholds(cov_t, sup_t)
        st.caption(tr("Opened the saved report of {source}.", source=escape_markdown(saved.document.source)))
        show_report(saved)
        return
    document, summary = read_document(), read_summary()
    report = None
    if checker is None and not failed and document is not None and summary is not None:
        # Asked for before the model was ready, or it became ready during this run (not `loader.ready()`
        # again: a load that finished between the two looks made the click a no-op).
        checker = wait_for_model(loader)
        if checker is not None:
            show_model(model_box, checker)
    if checker is not None and document is not None and summary is not None:
        try:
            report = analyse(checker, model, document[0], summary[0])
        except CoverageError as exc:
            error(str(exc))
    if report is not None:
        report = dataclasses.replace(
            report,
            document=dataclasses.replace(report.document, source=document[1]),  # type: ignore[index]
            summary=dataclasses.replace(report.summary, source=summary[1]),  # type: ignore[index]
        )
        if (cov_t, sup_t) != (report.coverage_threshold, report.support_threshold):
            report = report.with_thresholds(cov_t, sup_t)
        st.session_state["last_report"] = report
    elif st.session_state.get("last_report") is not None:
        report = st.session_state["last_report"]
        st.caption(tr("Showing the last result that could be computed."))
    if report is None:
        st.info(tr("Upload a document and its summary (or paste the summary), or try the sample contract."))
        return
    show_report(report, document_source(document))


def document_source(document: tuple[str | loaders.LoadedText, str] | None) -> Source | None:
    """The document text, and a Word file's own bytes (the Word copy comments the file itself)."""
    if document is None:
        return None
    value = document[0]
    if isinstance(value, str):
        return value, None, ()
    upload = st.session_state.get("document")
    original = upload.getvalue() if upload is not None and value.format == "docx" else None
    return value.text, original, value.pages


def read_saved_report() -> CoverageReport | None:
    """A report opened from its JSON export (its review included), or ``None``."""
    upload = st.session_state.get("saved_report")
    if upload is None:
        return None
    try:
        return CoverageReport.from_json(upload.getvalue().decode("utf-8"))
    except (CoverageError, ValueError, KeyError, TypeError) as exc:
        reason = (
            str(exc) if isinstance(exc, CoverageError) else tr("it is not a summary-coverage JSON report")
        )
        error(tr("{name} could not be opened: {reason}", name=upload.name, reason=reason))
        return None


main(MODEL_BOX)
