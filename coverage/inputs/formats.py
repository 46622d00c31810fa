"""The file formats the loaders know, by suffix, and the extra that reads PDF and Word."""

from __future__ import annotations

SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf", ".docx")
"""File name suffixes with a dedicated reader."""

FORMAT_BY_SUFFIX = {".txt": "text", ".md": "markdown", ".pdf": "pdf", ".docx": "docx"}
"""The ``LoadedText.format`` of each supported suffix; any other name is read as ``"text"``."""

DOCS_INPUT_HINT = "pip install 'summary-coverage[docs-input]'"
"""How to install what reading PDF and Word files needs."""
