"""Command line: ``summary-coverage check DOCUMENT SUMMARY`` and ``summary-coverage batch INPUT -o OUTPUT``.

Exit codes: 0 success; 2 bad input (one sentence on stderr, no traceback);
1 internal error or a missing optional extra; 3 (``batch`` only) the output is
complete but some rows are error rows.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .encode.backends import BACKENDS
from .errors import CoverageError, InputError, MissingExtraError, ModelLoadError
from .report.language import LANGUAGES

if TYPE_CHECKING:
    from .inputs.files import LoadedText
    from .settings import Settings

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT, EXIT_ROW_ERRORS = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        raise InputError(message[:1].upper() + message[1:] + ".")


def _threshold(value: str) -> float:
    try:
        x = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number") from None
    if not 0.0 <= x <= 1.0:
        raise argparse.ArgumentTypeError(f"{value} is not between 0 and 1")
    return x


def _env_language() -> str:
    """The default language of the human-readable output: ``$SUMMARY_COVERAGE_LANG`` when valid, else en."""
    lang = os.environ.get("SUMMARY_COVERAGE_LANG", "en")
    return lang if lang in LANGUAGES else "en"


def _add_scoring_options(p: argparse.ArgumentParser) -> None:
    """The model, device, backend, threshold and size options that ``check`` and ``batch`` share."""
    p.add_argument("--model", default=None, help="hub id, local folder or 'bundled' (default: BAAI/bge-m3)")
    p.add_argument("--device", default="auto", help="auto, cpu, cuda, cuda:N or mps (default: auto)")
    p.add_argument(
        "--dtype",
        choices=["auto", "float32", "bfloat16", "float16"],
        default="auto",
        help="number format (default auto: float16 on CUDA, bfloat16 on CPUs with bf16 instructions, "
        "else float32)",
    )
    p.add_argument(
        "--backend",
        choices=list(BACKENDS),
        default="torch",
        help="torch (default); onnx: ONNX Runtime int8 on the CPU (needs the onnx extra); auto: whichever "
        "measures faster on this machine with the same vectors (measured once per model, then remembered)",
    )
    p.add_argument("--coverage-threshold", type=_threshold, default=None, metavar="X")
    p.add_argument("--support-threshold", type=_threshold, default=None, metavar="Y")
    p.add_argument("--max-chars", type=int, default=None, help="largest document, in characters")
    p.add_argument("--max-tokens", type=int, default=None, help="largest document, in model tokens")
    p.add_argument(
        "--no-judge", action="store_true",
        help="do not run the support judge (support then comes from the other signals alone)",
    )  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser (exposed for documentation and tests)."""
    parser = _Parser(
        prog="summary-coverage",
        description="Check a long document against its summary: what the summary leaves out, "
        "and which of its sentences the document does not support.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    c = sub.add_parser("check", help="check one document against one summary")
    c.add_argument("document", help="document file (.txt, .md, .pdf, .docx) or - for stdin")
    c.add_argument("summary", help="summary file or - for stdin")
    _add_scoring_options(c)
    c.add_argument("--json", action="store_true", help="print the JSON report (schema version 1)")
    c.add_argument("--top", type=int, default=10, help="uncovered passages to list (default 10)")
    c.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=_env_language(),
        help="language of the report's fixed texts: en (English) or zh (中文); "
        "default $SUMMARY_COVERAGE_LANG or en; JSON keys never change",
    )
    c.add_argument(
        "--ocr", action="store_true",
        help="read PDF pages without a text layer with Tesseract (needs the ocr extra and tesseract)",
    )  # fmt: skip
    c.add_argument("--debug", action="store_true", help="show tracebacks for internal errors")
    b = sub.add_parser(
        "batch",
        help="score many pairs: INPUT (.jsonl/.csv/.parquet) with id, document, summary "
        "(or document_path/summary_path) columns, one output row per input row",
    )
    b.add_argument(
        "input", help="input file (.jsonl, .csv, .parquet; a directory of shards with --engine ray)"
    )
    b.add_argument("-o", "--output", required=True, help="output file (.jsonl, .csv, .parquet)")
    b.add_argument("--resume", action="store_true", help="continue a killed run: skip ids already written")
    b.add_argument("--overwrite", action="store_true", help="replace an existing output")
    b.add_argument("--full", action="store_true", help="add the full JSON report as a 'report' column")
    b.add_argument("--cache", metavar="DIR", default=None, help="on-disk embedding cache shared across runs")
    b.add_argument("--engine", choices=["local", "ray"], default="local", help="local (default) or ray")
    b.add_argument("--base-dir", default=None, help="folder *_path columns are read from (default: INPUT's)")
    b.add_argument(
        "--chunk-size", type=int, default=None,
        help="most pairs encoded together (default 256; a chunk also ends at about 100k tokens)",
    )  # fmt: skip
    _add_scoring_options(b)
    b.add_argument(
        "--time-budget", type=float, default=None, metavar="SECONDS",
        help="seconds per pair; a pair past it becomes an error row (default: no limit)",
    )  # fmt: skip
    b.add_argument(
        "--ocr", action="store_true",
        help="read *_path PDF pages without a text layer with Tesseract (slow: seconds a page)",
    )  # fmt: skip
    b.add_argument("--no-progress", action="store_true", help="no progress bar")
    b.add_argument("--debug", action="store_true", help="show tracebacks for internal errors")
    f = sub.add_parser("fetch-model", help="download a model (default BAAI/bge-m3) into the local cache")
    f.add_argument("model", nargs="?", default=None)
    _add_serve_parser(sub)
    return parser


def _add_serve_parser(sub: Any) -> None:
    from .service.config import DEFAULT_QUEUE, DEFAULT_TIME_BUDGET

    s = sub.add_parser("serve", help="run the HTTP service (needs the api extra)")
    s.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1: this machine only)")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--model", default=None, help="hub id, local folder or 'bundled' (default: BAAI/bge-m3)")
    s.add_argument("--device", default="auto")
    s.add_argument("--dtype", choices=["auto", "float32", "bfloat16", "float16"], default="auto")
    s.add_argument(
        "--backend",
        choices=list(BACKENDS),
        default="torch",
        help="torch (default), onnx (int8 on the CPU) or auto (measured once per model and machine)",
    )
    s.add_argument("--workers", type=int, default=1, help="server processes, one model each (default 1)")
    s.add_argument(
        "--queue-size", type=int, default=DEFAULT_QUEUE,
        help=f"requests admitted at once per worker; more get 429 (default {DEFAULT_QUEUE})",
    )  # fmt: skip
    s.add_argument(
        "--time-budget", type=float, default=DEFAULT_TIME_BUDGET, metavar="SECONDS",
        help=f"seconds a check may take before it answers 504 (default {DEFAULT_TIME_BUDGET:g})",
    )  # fmt: skip
    s.add_argument("--max-body-mb", type=float, default=50.0, help="largest request body (default 50 MB)")
    s.add_argument("--max-chars", type=int, default=None, help="longest text, in characters")
    s.add_argument("--api-key-file", default=None, help="require Authorization: Bearer <the file's key>")
    s.add_argument("--cors-origin", action="append", default=[], help="allow this origin (repeatable)")
    s.add_argument("--log-level", choices=["debug", "info", "warning", "error"], default="info")
    s.add_argument("--no-cache", action="store_true", help="encode every text of every request afresh")


def _version() -> str:
    from .version import __version__

    return __version__


def _read(arg: str, max_chars: int, *, allow_empty: bool, ocr: bool = False) -> LoadedText:
    from .inputs.files import load_bytes, load_path

    if arg == "-":
        loaded = load_bytes(
            sys.stdin.buffer.read(), "<stdin>", max_chars=max_chars, allow_empty=allow_empty, ocr=ocr
        )
    else:
        loaded = load_path(arg, max_chars=max_chars, allow_empty=allow_empty, ocr=ocr)
    for w in loaded.warnings:
        print(f"warning: {w}", file=sys.stderr)
    return loaded


def _settings(args: argparse.Namespace) -> Settings:
    """Settings from the shared scoring options (``--time-budget`` exists only for ``batch``)."""
    from .settings import DEFAULT_MAX_CHARS, DEFAULT_MAX_TOKENS, Settings

    return Settings(
        coverage_threshold=args.coverage_threshold,
        support_threshold=args.support_threshold,
        max_chars=args.max_chars or DEFAULT_MAX_CHARS,
        max_tokens=args.max_tokens or DEFAULT_MAX_TOKENS,
        time_budget=getattr(args, "time_budget", None),
        ocr=bool(getattr(args, "ocr", False)),
        judge=not getattr(args, "no_judge", False),
    )


def _model(args: argparse.Namespace) -> Any:
    """The model argument for Checker: a name, or a loaded encoder with --backend onnx or auto."""
    if args.backend == "torch":
        return args.model
    from .encode.backends import load_backend

    encoder, choice = load_backend(args.model, args.backend, device=args.device, dtype=args.dtype)
    if choice.reason:
        print(f"backend: {choice.reason}", file=sys.stderr)
    return encoder


def _check(args: argparse.Namespace) -> int:
    from .checker import Checker
    from .report.terminal import render_text

    if args.document == "-" and args.summary == "-":
        raise InputError("Only one of DOCUMENT and SUMMARY can be read from stdin (-).")
    settings = _settings(args)
    document = _read(args.document, settings.max_chars, allow_empty=False, ocr=settings.ocr)
    summary = _read(args.summary, settings.max_chars, allow_empty=True, ocr=settings.ocr)
    if not summary.text.strip():
        print("warning: the summary is empty, so every passage is uncovered.", file=sys.stderr)
    # A fallback to the bundled model is announced by the library's logger warning.
    checker = Checker(_model(args), device=args.device, dtype=args.dtype, settings=settings)
    report = checker.check(document, summary)  # loaded texts: a PDF keeps its pages and furniture
    sys.stdout.write(
        report.to_json() + "\n" if args.json else render_text(report, top=args.top, lang=args.lang)
    )
    return EXIT_OK


BATCH_ENV = {"ONEDNN_PRIMITIVE_CACHE_CAPACITY": "0"}
"""Set (unless already set) before torch loads in ``batch``: oneDNN caches CPU kernels per tensor
shape, up to 1,024 of them, and a long batch of differently sized texts fills that cache. With it
off, peak memory stayed flat between 100 and 1,000 pairs (650 / 691 MB, against 660 / 826 MB),
at a few per cent of speed."""


def _batch(args: argparse.Namespace) -> int:
    for key, value in BATCH_ENV.items():
        os.environ.setdefault(key, value)
    from .batch.local import DEFAULT_CHUNK, run_batch_file

    if args.resume and args.overwrite:
        raise InputError("Use --resume or --overwrite, not both.")
    if args.chunk_size is not None and args.chunk_size < 1:
        raise InputError("--chunk-size must be at least 1.")
    settings = _settings(args)
    if args.engine == "ray":
        from .batch.ray_engine import run_batch_ray

        if args.backend != "torch":
            raise InputError(f"--engine ray runs the torch backend; drop --backend {args.backend}.")
        if args.dtype != "auto":
            raise InputError("--engine ray picks each actor's dtype itself (auto); drop --dtype.")

        summary = run_batch_ray(
            args.input, args.output, model=args.model, settings=settings, full=args.full,
            resume=args.resume, overwrite=args.overwrite, base_dir=args.base_dir, cache_dir=args.cache,
            chunk_size=args.chunk_size or DEFAULT_CHUNK, device=args.device, progress=not args.no_progress,
        )  # fmt: skip
    else:
        from .checker import Checker
        from .encode.cache import EmbeddingCache

        cache = EmbeddingCache(directory=args.cache) if args.cache else True
        checker = Checker(_model(args), device=args.device, dtype=args.dtype, settings=settings, cache=cache)
        summary = run_batch_file(
            args.input, args.output, checker=checker, settings=settings, full=args.full,
            chunk_size=args.chunk_size or DEFAULT_CHUNK, resume=args.resume, overwrite=args.overwrite,
            base_dir=args.base_dir, progress=not args.no_progress,
        )  # fmt: skip
    print(
        f"{summary.written} rows written to {args.output} in {summary.seconds:.1f} s"
        + (f", {summary.skipped} already there" if args.resume else "")
        + (f"; {summary.errors} rows are errors (see the 'error' column)" if summary.errors else ""),
        file=sys.stderr,
    )
    return EXIT_ROW_ERRORS if summary.errors else EXIT_OK


def _fetch(args: argparse.Namespace) -> int:
    from .encode.models import DEFAULT_MODEL, fetch_model

    path = fetch_model(args.model or DEFAULT_MODEL)
    print(f"{args.model or DEFAULT_MODEL} is cached at {path}")
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    # oneDNN's kernel cache stays on here (unlike batch): without it short pairs ran at half the
    # speed (28.8 against 54.7 requests/s), and RSS stayed within 50 MB over 2,000 requests anyway.
    from .service.config import ServiceConfig
    from .service.server import serve
    from .settings import DEFAULT_MAX_CHARS

    if args.api_key_file is not None:
        from .service.config import read_api_key

        read_api_key(args.api_key_file)  # a bad key file is a clear error before the model loads
    serve(
        ServiceConfig(
            host=args.host,
            port=args.port,
            model=args.model,
            device=args.device,
            dtype=args.dtype,
            backend=args.backend,
            workers=args.workers,
            queue_size=args.queue_size,
            time_budget=args.time_budget,
            max_body_bytes=int(args.max_body_mb * 1024 * 1024),
            max_chars=args.max_chars or DEFAULT_MAX_CHARS,
            api_key_file=args.api_key_file,
            cors_origins=tuple(args.cors_origin),
            log_level=args.log_level,
            cache=not args.no_cache,
        )
    )
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (the console script exits with it)."""
    for level in (logging.WARNING, logging.ERROR):
        logging.addLevelName(level, logging.getLevelName(level).lower())
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        args = build_parser().parse_args(argv)
        commands = {"check": _check, "batch": _batch, "fetch-model": _fetch, "serve": _serve}
        return commands[args.command](args)
    except (InputError, ModelLoadError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except MissingExtraError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INTERNAL
    except CoverageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INTERNAL
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if debug:
            raise
        print(
            f"internal error: {exc.__class__.__name__}: {exc}. Rerun with --debug for a traceback.",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
