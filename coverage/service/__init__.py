"""The HTTP service (``summary-coverage serve``): FastAPI and uvicorn over the library's Checker.

Install with the ``api`` extra. :func:`~summary_coverage.service.app.create_app`
builds the ASGI app; :func:`~summary_coverage.service.server.serve` runs it.
"""

from __future__ import annotations

from .config import ServiceConfig

__all__ = ["ServiceConfig"]
