"""The coverage report: frozen results, JSON schema version 1, and re-thresholding.

A :class:`CoverageReport` is the contract between the engine and everything
that presents it (CLI, dashboard, batch output, users' own code). It
round-trips through :meth:`CoverageReport.to_dict` / :meth:`from_dict` and
JSON. Offsets are character offsets into the exact document and summary
texts that were checked.

Thresholds only decide the ``covered``/``supported`` flags and the figures
derived from them; best matches do not depend on them. So
:meth:`CoverageReport.with_thresholds` re-scores a report instantly, without
the model.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..encode.encoder import ModelInfo
from ..errors import InputError
from ..facts.quantities import Mismatch
from ..score.signals import uncovered_importance, weighted_mean, weighted_share
from ..score.verifier import Flag
from .language import say, term
from .review import Review

if TYPE_CHECKING:
    import pandas as pd

SCHEMA_VERSION = 1


@dataclass(frozen=True, slots=True)
class Accounting:
    """Where every character of a text went: into a scored passage, or skipped with a reason.

    Counts are of non-whitespace characters (blank space carries nothing to
    score). ``scored + sum of skipped characters + unaccounted == chars``,
    and ``unaccounted`` is 0: a character neither scored nor reported as
    skipped would be text lost silently (the report warns if it ever is not).

    Attributes:
        chars: Non-whitespace characters in the text.
        scored: Those inside a scored passage.
        skipped: ``(what, count, characters)`` per kind of skipped text, e.g.
            ``("header/footer lines", 12, 431)``.
    """

    chars: int
    scored: int
    skipped: tuple[tuple[str, int, int], ...] = ()

    @property
    def unaccounted(self) -> int:
        """Characters neither scored nor skipped (0 unless something is wrong)."""
        return self.chars - self.scored - sum(c for _, _, c in self.skipped)

    @property
    def share(self) -> float:
        """Share of the text's characters that were scored (1.0 for a text with none)."""
        return self.scored / self.chars if self.chars else 1.0

    def line(self, lang: str = "en") -> str:
        """One line for people: ``"scored 99.3% of the text; skipped: 12 header/footer lines"``.

        ``lang`` is the language of its fixed words (``"en"`` or ``"zh"``, :mod:`.language`).
        """
        pct = f"{100 * self.share:.1f}".rstrip("0").rstrip(".") if self.share < 1 else "100"
        if self.share < 1 and pct == "100":
            pct = "99.9"
        out = say(lang, "scored {pct}% of the text", pct=pct)
        if self.skipped:
            out += say(lang, "; skipped: ") + say(lang, ", ").join(
                say(lang, "{n} {what}", n=n, what=term(lang, what)) for what, n, _ in self.skipped
            )
        if self.unaccounted:
            out += say(lang, "; {n} characters neither scored nor skipped", n=self.unaccounted)
        return out


@dataclass(frozen=True, slots=True)
class TextInfo:
    """Facts about one input text.

    Attributes:
        source: File name, ``"<stdin>"`` or ``"<text>"``.
        chars: Length in characters.
        tokens: Length in model tokens (sum over passages or sentences,
            special tokens included).
        sha256: Hex digest of the UTF-8 text, to tie the report to its input.
        pages: Number of pages of a PDF; 0 for other inputs.
        ocr_pages: The PDF pages whose text came from OCR.
        accounted: For the document, where its characters went (scored or
            skipped, by reason); ``None`` for the summary and for reports
            saved before it was kept.
    """

    source: str
    chars: int
    tokens: int
    sha256: str
    pages: int = 0
    ocr_pages: tuple[int, ...] = ()
    accounted: Accounting | None = None


@dataclass(frozen=True, slots=True)
class SkippedText:
    """A part of the summary or the document that was not scored, and why.

    Attributes:
        start: Character offset in the text named by ``part``.
        end: End offset (exclusive).
        text: The skipped text.
        reason: Why it was not scored ("heading line, not a claim", "page
            furniture (running header or footer) of page 3").
        part: ``"summary"`` or ``"document"``.
        page: The PDF page it is on, or ``None``.
    """

    start: int
    end: int
    text: str
    reason: str
    part: str = "summary"
    page: int | None = None


@dataclass(frozen=True, slots=True)
class PassageResult:
    """How well the summary covers one passage of the document.

    Attributes:
        index: Position in the document, from 0.
        section: Index of the enclosing section.
        start: Character offset of the passage in the document.
        end: End offset (exclusive); ``document[start:end] == text``.
        text: The passage.
        tokens: Length in model tokens.
        score: The verifier's probability, in [0, 1], that the summary covers
            this passage: the highest over the summary's sentences
            (:mod:`summary_coverage.score.verifier`). 0 when the summary is empty.
        covered: ``score >= coverage_threshold``.
        best_sentence: Index of the summary sentence that matched best, or
            ``None`` for an empty summary.
        split: True when the passage is a piece of an over-long paragraph.
        signals: Each signal's value at the best match (e.g. ``{"dense": 0.62}``),
            showing what contributed to ``score``.
        page: The 1-based PDF page the passage starts on; ``None`` for
            inputs without pages.
    """

    index: int
    section: int
    start: int
    end: int
    text: str
    tokens: int
    score: float
    covered: bool
    best_sentence: int | None
    split: bool = False
    signals: Mapping[str, float] = field(default_factory=dict)
    page: int | None = None


@dataclass(frozen=True, slots=True)
class SentenceResult:
    """How well the document supports one summary sentence.

    Attributes:
        index: Position in the summary, from 0.
        start: Character offset in the summary.
        end: End offset (exclusive); ``summary[start:end] == text``.
        text: The sentence (bullet markers excluded).
        support: The verifier's probability that the document supports this
            sentence, in [0, 1] (:mod:`summary_coverage.score.verifier`). It
            uses every signal: similarity to the best passage, what the
            evidence passages together say, names, parties, negation,
            modality and the numbers and places check; a contradicted figure or place, an
            invented name or a negated clause each pull it down.
        supported: ``support >= support_threshold``, always; there is no
            other rule, so a score and its decision never disagree.
        best_passage: Index of the best evidence passage, or ``None`` when
            the document has no passages.
        signals: Each signal's value at the best match, and every support
            feature the verifier used.
        flags: The words of the sentence that carry no support, with the
            reason (absent, not in evidence, contradicted, negated, modality
            changed, antonym, role swapped), strongest first; offsets are
            summary offsets.
        evidence: The passages the sentence was checked against together
            (its best passages and their neighbours), best first.
        judge: What the support judge (:mod:`summary_coverage.judge`) read in
            the sentence's best evidence windows: ``entailed`` (the highest
            chance that a window states it), ``contradicted`` (the highest
            chance that one states the opposite or another value) and
            ``neither``; empty when the judge did not run (``judge_note`` says why).
        judge_note: Why the judge did not read this sentence ("" when it did).
        contradicted_by: The passage that contradicts the sentence (the judge's
            P(contradicted) there is at least 0.5 and above its P(entailed)), or ``None``.
        contradiction_span: ``(start, end)`` in the document of the words of
            that passage the judge read (a window of whole sentences), or ``None``.
    """

    index: int
    start: int
    end: int
    text: str
    support: float
    supported: bool
    best_passage: int | None
    signals: Mapping[str, float] = field(default_factory=dict)
    flags: tuple[Flag, ...] = ()
    evidence: tuple[int, ...] = ()
    judge: Mapping[str, float] = field(default_factory=dict)
    judge_note: str = ""
    contradicted_by: int | None = None
    contradiction_span: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class SectionResult:
    """Coverage of one section of the document.

    Attributes:
        index: Position in the document, from 0.
        title: The heading line (see :class:`~summary_coverage.segment.pieces.Section`).
        start: Character offset of the section.
        end: End offset (exclusive).
        coverage: Token-weighted share of the section's passages that are
            covered, in [0, 1]. 0.0 means the summary says nothing about it.
        score: Token-weighted mean coverage probability of its passages: the
            chance that the summary covers this section.
        passages: Indices of its passages.
        tokens: Total tokens of its passages.
    """

    index: int
    title: str
    start: int
    end: int
    coverage: float
    score: float
    passages: tuple[int, ...]
    tokens: int


@dataclass(frozen=True, slots=True)
class CoverageReport:
    """The result of checking one document against one summary.

    Attributes:
        coverage: Document coverage in [0, 1]: the token-weighted share of
            passages that the summary covers.
        support: Document support in [0, 1]: the share of summary sentences
            the document supports (1.0 for an empty summary, which claims
            nothing; a warning says so).
        sections: Per-section coverage, in document order.
        passages: Per-passage results, in document order. Every passage of
            the document is here.
        summary_sentences: Per-sentence results, in summary order.
        uncovered: Indices of uncovered passages, most important first
            (see :func:`~summary_coverage.score.signals.uncovered_importance`).
        unsupported: Indices of unsupported sentences, weakest support first.
        model: Which model scored, and whether it is a fallback.
        settings: Effective settings, thresholds included.
        versions: Package versions that produced the report.
        document: Facts about the document text.
        summary: Facts about the summary text.
        skipped: Parts not scored, with the reason: summary heading lines,
            and a PDF's page furniture (``part == "document"``).
        mismatches: Facts (numbers, dates, amounts, durations, percentages)
            of summary sentences that their evidence contradicts or lacks,
            with both spans. A contradicted fact makes its sentence
            unsupported, however high its similarity.
        warnings: Plain-language notes (fallback model, empty summary, ...).
        review: A reviewer's decisions on the flags (:mod:`.review`); empty
            for a fresh check. JSON field ``"review"`` (a list; absent in
            reports written before reviews, which read as empty).
        schema_version: Version of the JSON layout (1).
        matrix: The passages x sentences coverage probability matrix. Excluded
            from equality, and from JSON unless ``include_matrix=True``.
        signal_matrices: The raw signal matrices (``dense_z``, ``lexical``,
            ``specificity``, ``fused``, ``hybrid``) of a fresh check, for
            analysis; never in JSON, and ``None`` in a report read back.
    """

    coverage: float
    support: float
    sections: tuple[SectionResult, ...]
    passages: tuple[PassageResult, ...]
    summary_sentences: tuple[SentenceResult, ...]
    uncovered: tuple[int, ...]
    unsupported: tuple[int, ...]
    model: ModelInfo
    settings: Mapping[str, Any]
    versions: Mapping[str, str]
    document: TextInfo
    summary: TextInfo
    skipped: tuple[SkippedText, ...] = ()
    mismatches: tuple[Mismatch, ...] = ()
    warnings: tuple[str, ...] = ()
    review: Review = Review()
    schema_version: int = SCHEMA_VERSION
    matrix: np.ndarray | None = field(default=None, compare=False, repr=False)
    signal_matrices: Mapping[str, np.ndarray] | None = field(default=None, compare=False, repr=False)

    @property
    def coverage_threshold(self) -> float:
        """The threshold that decided ``covered``."""
        return float(self.settings["coverage_threshold"])

    @property
    def support_threshold(self) -> float:
        """The threshold that decided ``supported``."""
        return float(self.settings["support_threshold"])

    def with_thresholds(
        self, coverage_threshold: float | None = None, support_threshold: float | None = None
    ) -> CoverageReport:
        """Return the report re-decided at new thresholds, without re-embedding.

        Args:
            coverage_threshold: New coverage threshold in [0, 1]; ``None`` keeps it.
            support_threshold: New support threshold in [0, 1]; ``None`` keeps it.

        Raises:
            InputError: A threshold outside [0, 1].
        """
        cov_t = self.coverage_threshold if coverage_threshold is None else coverage_threshold
        sup_t = self.support_threshold if support_threshold is None else support_threshold
        for name, value in (("coverage_threshold", cov_t), ("support_threshold", sup_t)):
            if not 0.0 <= value <= 1.0:
                raise InputError(f"{name} must be between 0 and 1, got {value}.")
        passages = tuple(dataclasses.replace(p, covered=p.score >= cov_t) for p in self.passages)
        # Reports written before the verifier decided "contradicted => unsupported" outside the score.
        legacy = "verifier" not in self.settings
        contradicted = (
            {m.sentence for m in self.mismatches if m.status == "contradicted"} if legacy else set()
        )
        sentences = tuple(
            dataclasses.replace(
                s,
                supported=s.best_passage is not None and s.support >= sup_t and s.index not in contradicted,
            )
            for s in self.summary_sentences
        )
        tokens = np.array([p.tokens for p in passages], dtype=np.float64)
        scores = np.array([p.score for p in passages], dtype=np.float64)
        covered = np.array([p.covered for p in passages], dtype=bool)
        sections = tuple(
            dataclasses.replace(
                sec,
                coverage=weighted_share(tokens[list(sec.passages)], covered[list(sec.passages)]),
                score=weighted_mean(tokens[list(sec.passages)], scores[list(sec.passages)]),
            )
            for sec in self.sections
        )
        settings = dict(self.settings)
        if coverage_threshold is not None or support_threshold is not None:
            settings["threshold_source"] = "set by the user"
        settings["coverage_threshold"] = float(cov_t)
        settings["support_threshold"] = float(sup_t)
        return dataclasses.replace(
            self,
            coverage=weighted_share(tokens, covered),
            support=(sum(s.supported for s in sentences) / len(sentences)) if sentences else 1.0,
            sections=sections,
            passages=passages,
            summary_sentences=sentences,
            uncovered=_rank_uncovered(passages, sections, cov_t),
            unsupported=tuple(
                s.index
                for s in sorted(sentences, key=lambda s: (s.index not in contradicted, s.support, s.index))
                if not s.supported
            ),
            settings=settings,
        )

    # --- serialisation -------------------------------------------------

    def to_dict(self, *, include_matrix: bool = False) -> dict[str, Any]:
        """Return the report as plain JSON types (schema version 1)."""
        out: dict[str, Any] = {
            "schema_version": self.schema_version,
            "model": self.model.to_dict(),
            "settings": dict(self.settings),
            "versions": dict(self.versions),
            "document": _text_info_dict(self.document),
            "summary": _text_info_dict(self.summary),
            "coverage": self.coverage,
            "support": self.support,
            "sections": [dataclasses.asdict(s) | {"passages": list(s.passages)} for s in self.sections],
            "passages": [dataclasses.asdict(p) | {"signals": dict(p.signals)} for p in self.passages],
            "summary_sentences": [
                dataclasses.asdict(s)
                | {
                    "signals": dict(s.signals),
                    "flags": [f.to_dict() for f in s.flags],
                    "evidence": list(s.evidence),
                    "judge": dict(s.judge),
                    "contradiction_span": None
                    if s.contradiction_span is None
                    else list(s.contradiction_span),
                }
                for s in self.summary_sentences
            ],
            "uncovered": list(self.uncovered),
            "unsupported": list(self.unsupported),
            "skipped": [dataclasses.asdict(s) for s in self.skipped],
            "mismatches": [m.to_dict() for m in self.mismatches],
            "warnings": list(self.warnings),
            "review": self.review.to_list(),
        }
        if include_matrix and self.matrix is not None:
            out["matrix"] = self.matrix.tolist()
        return out

    def to_json(self, *, indent: int | None = 2, include_matrix: bool = False) -> str:
        """Return the report as a JSON string (UTF-8 text, not ASCII-escaped)."""
        return json.dumps(self.to_dict(include_matrix=include_matrix), indent=indent, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CoverageReport:
        """Rebuild a report from :meth:`to_dict` output.

        Raises:
            InputError: The data has another schema version.
        """
        version = data.get("schema_version")
        if version != SCHEMA_VERSION:
            raise InputError(f"Unsupported report schema version {version!r}; expected {SCHEMA_VERSION}.")
        matrix = data.get("matrix")
        return cls(
            coverage=float(data["coverage"]),
            support=float(data["support"]),
            sections=tuple(
                SectionResult(**(dict(s) | {"passages": tuple(s["passages"])})) for s in data["sections"]
            ),
            passages=tuple(PassageResult(**p) for p in data["passages"]),
            summary_sentences=tuple(
                SentenceResult(
                    **(
                        dict(s)
                        | {
                            "flags": tuple(Flag.from_dict(f) for f in s.get("flags", [])),
                            "evidence": tuple(s.get("evidence", [])),
                            "judge": dict(s.get("judge") or {}),
                            "contradiction_span": None
                            if s.get("contradiction_span") is None
                            else (int(s["contradiction_span"][0]), int(s["contradiction_span"][1])),
                        }
                    )
                )
                for s in data["summary_sentences"]
            ),
            uncovered=tuple(data["uncovered"]),
            unsupported=tuple(data["unsupported"]),
            model=ModelInfo.from_dict(data["model"]),
            settings=dict(data["settings"]),
            versions=dict(data["versions"]),
            document=_text_info(data["document"]),
            summary=_text_info(data["summary"]),
            skipped=tuple(SkippedText(**s) for s in data.get("skipped", [])),
            mismatches=tuple(Mismatch.from_dict(m) for m in data.get("mismatches", [])),
            warnings=tuple(data.get("warnings", [])),
            review=Review.from_list(data.get("review")),
            schema_version=SCHEMA_VERSION,
            matrix=None if matrix is None else np.asarray(matrix, dtype=np.float64),
        )

    @classmethod
    def from_json(cls, text: str) -> CoverageReport:
        """Rebuild a report from :meth:`to_json` output."""
        return cls.from_dict(json.loads(text))

    def to_dataframe(self) -> pd.DataFrame:
        """Return one row per passage (pandas), with its section title and best sentence."""
        import pandas as pd

        titles = {s.index: s.title for s in self.sections}
        rows = []
        for p in self.passages:
            best = None if p.best_sentence is None else self.summary_sentences[p.best_sentence].text
            rows.append(
                {
                    "passage": p.index,
                    "section": p.section,
                    "section_title": titles.get(p.section, ""),
                    "start": p.start,
                    "end": p.end,
                    "tokens": p.tokens,
                    "score": p.score,
                    "covered": p.covered,
                    "best_sentence": p.best_sentence,
                    "best_sentence_text": best,
                    "split": p.split,
                    "text": p.text,
                }
            )
        return pd.DataFrame(rows)


def _text_info_dict(info: TextInfo) -> dict[str, Any]:
    """Plain JSON types (lists, not tuples), so a report read back compares equal to its JSON."""
    acc = info.accounted
    return dataclasses.asdict(info) | {
        "ocr_pages": list(info.ocr_pages),
        "accounted": None
        if acc is None
        else {"chars": acc.chars, "scored": acc.scored, "skipped": [list(x) for x in acc.skipped]},
    }


def _text_info(data: Mapping[str, Any]) -> TextInfo:
    acc = data.get("accounted")
    accounted = (
        None
        if acc is None
        else Accounting(
            int(acc["chars"]),
            int(acc["scored"]),
            tuple((str(w), int(n), int(c)) for w, n, c in acc["skipped"]),
        )
    )
    return TextInfo(**(dict(data) | {"ocr_pages": tuple(data.get("ocr_pages", ())), "accounted": accounted}))


def _rank_uncovered(
    passages: Sequence[PassageResult], sections: Sequence[SectionResult], threshold: float
) -> tuple[int, ...]:
    """Uncovered passage indices: wholly uncovered sections first, then by importance."""
    untouched = {s.index for s in sections if s.coverage == 0.0}
    todo = [p for p in passages if not p.covered]
    todo.sort(
        key=lambda p: (
            p.section not in untouched,
            -uncovered_importance(p.score, p.tokens, threshold),
            p.index,
        )
    )
    return tuple(p.index for p in todo)
