"""Run the service: ``summary-coverage serve`` (uvicorn, one model per worker process)."""

from __future__ import annotations

import os
from typing import Any

from ..errors import MissingExtraError
from .config import ServiceConfig
from .logs import log_config


def serve(config: ServiceConfig) -> None:
    """Serve until interrupted. With ``workers > 1``, each uvicorn worker loads its own model.

    Raises:
        MissingExtraError: FastAPI or uvicorn is not installed (the ``api`` extra).
    """
    try:
        import fastapi  # noqa: F401
        import uvicorn
    except ImportError as exc:
        raise MissingExtraError(
            'The HTTP service needs the api extra: pip install "summary-coverage[api]".'
        ) from exc
    from .app import CONFIG_ENV, create_app

    common: dict[str, Any] = {
        "host": config.host,
        "port": config.port,
        "log_config": log_config(config.log_level),
        "log_level": config.log_level,
        "access_log": False,
        "server_header": False,
    }
    if config.workers > 1:
        os.environ[CONFIG_ENV] = config.to_json()
        uvicorn.run(
            "summary_coverage.service.app:app_from_env", factory=True, workers=config.workers, **common
        )
    else:
        uvicorn.run(create_app(config), **common)
