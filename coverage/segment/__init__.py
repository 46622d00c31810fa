"""Segmentation: pure text in, frozen pieces with exact character offsets out.

Sections, paragraphs, passages (the scored units) and sentences; summaries
are split into the sentences that get checked. No model, no downloads.
"""

from __future__ import annotations
