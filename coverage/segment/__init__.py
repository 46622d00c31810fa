"""Segmentation: pure text in, frozen pieces with exact character offsets out.

Sections, paragraphs, passages (the scored units) and sentences; summaries
are split into the sentences that get checked. No model, no downloads.
"""

from __future__ import annotations

from .document import segment_document
from .paragraphs import split_paragraphs
from .passages import split_passages
from .pieces import DocumentSegmentation, Passage, Section, Span, SummarySegmentation
from .sections import split_sections
from .sentences import split_sentences
from .summary import segment_summary
from .tokens import ApproximateTokenCounter, TokenCounter

__all__ = [
    "ApproximateTokenCounter",
    "DocumentSegmentation",
    "Passage",
    "Section",
    "Span",
    "SummarySegmentation",
    "TokenCounter",
    "segment_document",
    "segment_summary",
    "split_paragraphs",
    "split_passages",
    "split_sections",
    "split_sentences",
]
