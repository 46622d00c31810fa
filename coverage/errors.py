"""Exceptions raised by summary-coverage.

Every error the library raises on purpose derives from :class:`CoverageError`.
Its message is one plain sentence meant for the end user: the CLI prints it
as-is (exit code 2 for :class:`InputError`) and the dashboard shows it in an
error box.
"""

from __future__ import annotations


class CoverageError(Exception):
    """Base class for every error summary-coverage raises deliberately."""


class InputError(CoverageError, ValueError):
    """The document, the summary or an option is unusable as given.

    Examples: an empty document, an unsupported file type, a scanned PDF
    without a text layer, a file over the size limit, a threshold outside
    [0, 1].
    """


class ModelLoadError(CoverageError):
    """A model the user asked for by name or path cannot be loaded."""


class MissingExtraError(CoverageError):
    """An optional dependency needed for this feature is not installed."""


class BudgetExceededError(CoverageError):
    """A check ran past its time budget (``Settings.time_budget``) and was stopped."""
