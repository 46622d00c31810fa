"""summary-coverage: check a long document against its summary.

Coverage: which sections and passages of the document does the summary
leave out? Support: which summary sentences have no support in the document,
and where is the evidence for the rest?

Example:
    >>> from summary_coverage import check  # doctest: +SKIP
    >>> report = check(contract_text, summary_text)  # doctest: +SKIP
    >>> report.coverage, report.support  # doctest: +SKIP
"""

from __future__ import annotations

from .batch.local import run_batch_file, score_batch
from .checker import Checker, check, default_checker
from .encode.cache import EmbeddingCache
from .encode.encoder import Encoder, ModelInfo, SentenceTransformerEncoder
from .encode.hashing import HashingEncoder
from .encode.models import BUNDLED_MODEL, DEFAULT_MODEL, load_encoder
from .errors import CoverageError, InputError, MissingExtraError, ModelLoadError
from .inputs.files import LoadedText, load_bytes, load_path
from .report.results import CoverageReport, PassageResult, SectionResult, SentenceResult
from .segment.document import segment_document
from .segment.summary import segment_summary
from .settings import Settings
from .version import __version__

__all__ = [
    "BUNDLED_MODEL",
    "DEFAULT_MODEL",
    "Checker",
    "CoverageError",
    "CoverageReport",
    "EmbeddingCache",
    "Encoder",
    "HashingEncoder",
    "InputError",
    "LoadedText",
    "MissingExtraError",
    "ModelInfo",
    "ModelLoadError",
    "PassageResult",
    "SectionResult",
    "SentenceResult",
    "SentenceTransformerEncoder",
    "Settings",
    "__version__",
    "check",
    "default_checker",
    "load_bytes",
    "load_encoder",
    "load_path",
    "run_batch_file",
    "score_batch",
    "segment_document",
    "segment_summary",
]
