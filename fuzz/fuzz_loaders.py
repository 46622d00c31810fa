"""Coverage-guided fuzzing of ``summary_coverage.inputs.files.load_bytes`` with atheris.

The first input byte picks the file name's suffix (``.txt``, ``.md``, ``.pdf``
or ``.docx``, cycling with ``byte % 4``); the remaining bytes are the file.
``load_bytes`` may reject an input only with ``InputError`` (or
``MissingExtraError`` when the ``docs-input`` extra is absent). Any other
exception, a result that breaks the documented contract, a hang (libFuzzer
``-timeout``) or runaway memory (``-rss_limit_mb``) is a finding.

Run (from the repository root)::

    .venv/bin/python fuzz/fuzz_loaders.py build/fuzz/loaders/corpus fuzz/corpus/loaders \\
        -max_total_time=120 -timeout=30

or ``make fuzz``. New inputs go to the first folder; ``fuzz/corpus/loaders``
holds the seeds: cuts of ``sample_docs/`` in several encodings, a three-page
PDF and a hand-built ``.docx``. ``tests/test_fuzz_regressions.py`` replays
the seeds and every saved finding through :func:`check_input` without atheris.
"""

from __future__ import annotations

import sys

SUFFIXES = (".txt", ".md", ".pdf", ".docx")
"""File name suffixes, chosen by ``first_byte % 4``."""

# Imported before instrumentation so that only the packages below pay for it.
_UNINSTRUMENTED = ("numpy", "torch", "scipy", "transformers", "sentence_transformers", "nltk", "tqdm")
# Packages whose branches guide the fuzzer: ours and the parsers it wraps.
_INSTRUMENTED = ("summary_coverage", "pypdf", "docx", "charset_normalizer")


def split_input(data: bytes) -> tuple[str, bytes]:
    """The file name (from the first byte) and the file's bytes (the rest)."""
    if not data:
        return "fuzz.txt", b""
    return "fuzz" + SUFFIXES[data[0] % len(SUFFIXES)], data[1:]


def check_input(data: bytes) -> None:
    """Load one fuzz input and check the result; raise on any finding.

    Raises:
        AssertionError: The loaded text breaks the ``LoadedText`` contract.
        Exception: Anything ``load_bytes`` raised other than ``InputError``
            or ``MissingExtraError``.
    """
    from summary_coverage.errors import InputError, MissingExtraError
    from summary_coverage.inputs.files import DEFAULT_MAX_CHARS, load_bytes

    name, payload = split_input(data)
    try:
        loaded = load_bytes(payload, name)
    except InputError as exc:
        message = str(exc)
        assert name in message, f"the error message does not name the file: {message!r}"
        return
    except MissingExtraError:
        return
    assert isinstance(loaded.text, str)
    assert loaded.text and not loaded.text.isspace(), "empty or blank text was accepted"
    assert len(loaded.text) <= DEFAULT_MAX_CHARS
    assert loaded.source == name
    assert loaded.format in ("text", "markdown", "pdf", "docx"), loaded.format
    if loaded.format in ("text", "markdown"):
        assert loaded.encoding, "a text file must report its encoding"
    else:
        assert loaded.encoding is None
    assert all(isinstance(w, str) and w for w in loaded.warnings)


def test_one_input(data: bytes) -> None:
    """The atheris entry point."""
    check_input(data)


def main() -> None:
    """Import the targets under instrumentation and hand control to libFuzzer."""
    import importlib

    import atheris

    for module in _UNINSTRUMENTED:
        importlib.import_module(module)
    with atheris.instrument_imports(include=list(_INSTRUMENTED)):
        import charset_normalizer  # noqa: F401
        import docx  # noqa: F401
        import pypdf  # noqa: F401

        import summary_coverage.inputs.files  # noqa: F401
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
