"""The HTTP service: FastAPI routes over one :class:`~summary_coverage.checker.Checker` per process.

| method | path | answers |
| --- | --- | --- |
| POST | ``/v1/check`` | the report (JSON schema 1, ``report.to_json()``); ``?format=html``: HTML |
| POST | ``/v1/batch`` | JSON lines in, JSON lines out as rows finish (the batch CLI's rows) |
| GET | ``/healthz`` | 200 while the process is up |
| GET | ``/readyz`` | 200 when the model is loaded and the queue has room, else 503 |
| GET | ``/metrics`` | Prometheus text |
| GET | ``/docs``, ``/openapi.json`` | the OpenAPI schema |

Errors always have the shape of :mod:`summary_coverage.service.problems`.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import weakref
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect

from ..batch.rows import BatchItem, rows_for_chunk
from ..errors import BudgetExceededError, InputError
from ..report.html_report import render_html
from ..report.language import LANGUAGES
from ..settings import Settings
from .body_limit import BodyLimit, request_id_of
from .config import ServiceConfig, read_api_key
from .frontdoor import FrontDoor
from .inputs import CheckInput, check_limits, from_json, from_upload, settings_from
from .metrics import Metrics
from .problems import ApiError, error_body
from .work import ClientGone, Overloaded, WorkQueue

if TYPE_CHECKING:
    from ..checker import Checker
    from ..report.results import CoverageReport

logger = logging.getLogger("summary_coverage.service")

CONFIG_ENV = "SUMMARY_COVERAGE_SERVICE_CONFIG"
BATCH_CHUNK = 32
"""Batch lines checked together (one encoder pass); rows stream out chunk by chunk."""

_CHECK_BODY = {
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["document", "summary"],
                "properties": {
                    "document": {"type": "string"},
                    "summary": {"type": "string"},
                    "settings": {"type": "object", "description": "summary_coverage.Settings fields"},
                },
            }
        },
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["document", "summary"],
                "properties": {
                    "document": {"type": "string", "format": "binary"},
                    "summary": {"type": "string", "format": "binary"},
                    "settings": {"type": "string", "description": "settings as JSON"},
                },
            }
        },
    }
}
_BATCH_BODY = {
    "content": {
        "application/x-ndjson": {
            "schema": {"type": "string", "description": 'one {"id"?, "document", "summary"} object per line'}
        }
    }
}


def _json_error(exc: ApiError, request_id: str) -> Response:
    headers = {"x-request-id": request_id} | exc.headers
    return Response(error_body(exc.status, exc.message, request_id), exc.status, headers, "application/json")


class Service:
    """The state of one service process: config, checker, queue, metrics.

    Args:
        config: The process's options.
        checker: The checker to use; ``None`` loads the configured model now.
    """

    def __init__(self, config: ServiceConfig, checker: Checker | None = None) -> None:
        from ..checker import Checker

        self.config = config
        self.api_key = read_api_key(config.api_key_file) if config.api_key_file else None
        if checker is None:
            model: Any = config.model
            if config.backend != "torch":  # the report's model says what ran, and why under auto
                from ..encode.backends import load_backend

                model, _ = load_backend(
                    config.model, config.backend, device=config.device, dtype=config.dtype
                )
            checker = Checker(model, device=config.device, dtype=config.dtype, cache=config.cache)
        self.checker = checker
        preload = getattr(self.checker, "support_judge", None)
        if callable(preload):
            preload()  # the support judge loads with the model, not on the first request
        self.queue = WorkQueue(config.queue_size)
        self.metrics = Metrics(lambda: self.queue.depth)

    async def check(self, request: Request) -> Response:
        fmt = request.query_params.get("format", "json")
        if fmt not in ("json", "html"):
            raise ApiError(400, f"format must be json or html, got {fmt!r}.")
        lang = request.query_params.get("lang", "en")
        if lang not in LANGUAGES:
            raise ApiError(
                400, f"lang must be one of {', '.join(LANGUAGES)} (the HTML report's language), got {lang!r}."
            )
        item = await self._read_check(request)
        async with self._admitted():
            report = await self.queue.run(
                lambda progress: self.checker.check(
                    item.document, item.summary, settings=item.settings, progress=progress
                ),
                request.is_disconnected,
            )
        self._count_tokens(report)
        if item.sources:
            report = replace(
                report,
                document=replace(report.document, source=item.sources[0]),
                summary=replace(report.summary, source=item.sources[1]),
                warnings=item.warnings + report.warnings,  # the loaded files' own warnings are in already
            )
        if fmt == "html":
            return Response(render_html(report, lang=lang), media_type="text/html; charset=utf-8")
        return Response(report.to_json(), media_type="application/json")

    async def _read_check(self, request: Request) -> CheckInput:
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind == "application/json":
            return from_json(await request.body(), self.config)
        if kind == "multipart/form-data":
            form = await request.form(max_files=2, max_fields=4)
            try:
                files = {}
                for name in ("document", "summary"):
                    upload = form.get(name)
                    if upload is None or isinstance(upload, str):
                        raise ApiError(400, f"The multipart body needs a file named {name!r}.")
                    files[name] = (upload.filename or name, await upload.read())
                raw = form.get("settings")
                try:
                    settings_raw = json.loads(raw) if isinstance(raw, str) and raw.strip() else None
                except json.JSONDecodeError as exc:
                    raise ApiError(400, "The settings field is not valid JSON.") from exc
                settings = settings_from(settings_raw, self.config)
                document = from_upload(
                    *files["document"], summary=False, max_chars=settings.max_chars, ocr=settings.ocr
                )
                summary = from_upload(
                    *files["summary"], summary=True, max_chars=settings.max_chars, ocr=settings.ocr
                )
            finally:
                await form.close()
            names = (files["document"][0], files["summary"][0])
            return CheckInput(document, summary, settings, names)
        raise ApiError(415, "Send application/json or multipart/form-data.")

    @contextlib.asynccontextmanager
    async def _admitted(self) -> AsyncIterator[None]:
        """A place in the queue for one check, with the library's errors as HTTP errors."""
        release = self._admit()
        try:
            yield
        except BudgetExceededError as exc:
            raise ApiError(504, str(exc)) from exc
        except InputError as exc:
            raise ApiError(422, str(exc)) from exc
        finally:
            release()

    def _count_tokens(self, report: CoverageReport) -> None:
        self.metrics.tokens(report.document.tokens + report.summary.tokens)

    def _admit(self) -> Callable[[], None]:
        """Take a place in the queue (returns its release), or answer 429 with ``Retry-After``."""
        try:
            return self.queue.acquire()
        except Overloaded:
            raise ApiError(
                429,
                f"The service is busy ({self.queue.capacity} requests in progress); retry shortly.",
                {"retry-after": str(self.config.retry_after)},
            ) from None

    async def batch(self, request: Request) -> Response:
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind not in ("application/x-ndjson", "application/jsonl", "application/json", "text/plain"):
            raise ApiError(415, "Send the pairs as JSON lines (application/x-ndjson).")
        raw = request.query_params.get("settings")
        try:
            settings = settings_from(json.loads(raw) if raw else None, self.config)
        except json.JSONDecodeError as exc:
            raise ApiError(400, "The settings query parameter is not valid JSON.") from exc
        full = request.query_params.get("full", "false").lower() in ("1", "true", "yes")
        body = await request.body()
        items = parse_lines(body, settings.max_chars)
        release = self._admit()
        rows = self._batch_rows(items, settings, full, request, release)
        weakref.finalize(rows, release)  # a stream never started still gives its place back
        return StreamingResponse(rows, media_type="application/x-ndjson")

    async def _batch_rows(
        self,
        items: list[BatchItem],
        settings: Settings,
        full: bool,
        request: Request,
        release: Callable[[], None],
    ) -> AsyncIterator[bytes]:
        try:
            for start in range(0, len(items), BATCH_CHUNK):
                chunk = items[start : start + BATCH_CHUNK]

                def work(
                    _progress: Callable[..., None], chunk: list[BatchItem] = chunk
                ) -> list[dict[str, Any]]:
                    return rows_for_chunk(self.checker, chunk, settings, full, on_report=self._count_tokens)

                rows = await self.queue.run(work, request.is_disconnected)
                yield "".join(json.dumps(r) + "\n" for r in rows).encode("utf-8")
        except ClientGone:
            logger.info("batch client left", extra={"request_id": request_id_of(request.scope)})
        finally:
            release()


def parse_lines(body: bytes, max_chars: int) -> list[BatchItem]:
    """One :class:`BatchItem` per non-blank line; a bad line becomes an error item (never raises).

    A line is ``{"id"?, "document", "summary"}``. Paths (``document_path``,
    ``summary_path``) are refused: the service never reads its own files.
    """
    items: list[BatchItem] = []
    for n, line in enumerate(body.decode("utf-8", errors="replace").splitlines()):
        if not line.strip():
            continue
        rid = str(len(items))
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            items.append(BatchItem(rid, None, None, f"Line {n + 1} is not valid JSON."))
            continue
        if not isinstance(row, dict):
            items.append(BatchItem(rid, None, None, f"Line {n + 1} must be a JSON object."))
            continue
        rid = str(row["id"]) if row.get("id") is not None else rid
        if "document_path" in row or "summary_path" in row:
            items.append(BatchItem(rid, None, None, "Paths are not accepted over HTTP; send the texts."))
            continue
        document, summary = row.get("document"), row.get("summary", "")
        if not isinstance(document, str) or not document.strip():
            items.append(BatchItem(rid, None, None, "The row has no 'document' text."))
            continue
        if not isinstance(summary, str):
            items.append(BatchItem(rid, None, None, "The row's 'summary' must be a string."))
            continue
        try:
            check_limits(document, summary, max_chars)
        except ApiError as exc:
            items.append(BatchItem(rid, None, None, exc.message))
            continue
        items.append(BatchItem(rid, document, summary))
    return items


def create_app(config: ServiceConfig | None = None, checker: Checker | None = None) -> Any:
    """Build the ASGI app (FastAPI inside the body-limit and front-door layers); loads the model now.

    Args:
        config: The options (defaults: :class:`ServiceConfig`).
        checker: A checker to use instead of loading ``config.model``.
    """
    cfg = config or ServiceConfig()
    service = Service(cfg, checker)
    api = FastAPI(
        title="summary-coverage",
        version="1",
        description="What a summary leaves out of its document, and which of its sentences the document "
        "does not support.",
    )

    @api.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        return _json_error(exc, request_id_of(request.scope))

    @api.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException) -> Response:
        return _json_error(ApiError(exc.status_code, str(exc.detail)), request_id_of(request.scope))

    @api.exception_handler(ClientGone)
    @api.exception_handler(ClientDisconnect)  # the client left while its body was being read
    async def _gone(request: Request, exc: Exception) -> Response:
        return Response(status_code=499)  # nobody is listening; counted as 499

    @api.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> Response:
        rid = request_id_of(request.scope)
        logger.error("internal error", exc_info=exc, extra={"request_id": rid})
        return _json_error(ApiError(500, f"Internal error (request id {rid}); it has been logged."), rid)

    @api.post(
        "/v1/check", openapi_extra={"requestBody": _CHECK_BODY}, summary="Check one document/summary pair"
    )
    async def check(request: Request) -> Response:
        return await service.check(request)

    @api.post("/v1/batch", openapi_extra={"requestBody": _BATCH_BODY}, summary="Check JSON lines of pairs")
    async def batch(request: Request) -> Response:
        return await service.batch(request)

    @api.get("/healthz", summary="The process is up")
    async def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok"})

    @api.get("/readyz", summary="The model is loaded and the queue has room")
    async def readyz() -> JSONResponse:
        ready = not service.queue.full
        body = {"status": "ready" if ready else "busy", "model": service.checker.model_info.name}
        return JSONResponse(body, status_code=200 if ready else 503)

    @api.get("/metrics", summary="Prometheus metrics", response_class=PlainTextResponse)
    async def metrics() -> PlainTextResponse:
        return PlainTextResponse(service.metrics.render(), media_type="text/plain; version=0.0.4")

    if cfg.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        api.add_middleware(
            CORSMiddleware, allow_origins=list(cfg.cors_origins), allow_methods=["GET", "POST"]
        )
    api.state.service = service
    return FrontDoor(BodyLimit(api, cfg.max_body_bytes), service.metrics, service.api_key)


def app_from_env() -> Any:
    """The app for a uvicorn worker process, configured by :data:`CONFIG_ENV` (``serve --workers``)."""
    raw = os.environ.get(CONFIG_ENV)
    return create_app(ServiceConfig.from_json(raw) if raw else ServiceConfig())
