"""Starting the workbench: which address, which token, then uvicorn (``normcheck serve``)."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from normcheck.errors import Code, NormcheckError

TOKEN_ENV = "NORMCHECK_SERVE_TOKEN"
DEFAULT_PORT = 8765
MIN_TOKEN_CHARS = 16


def is_loopback(host: str) -> bool:
    """Whether ``host`` is a loopback address (127.0.0.0/8, ::1) or ``localhost``."""
    h = host.strip().strip("[]").lower()
    if h == "localhost":
        return True
    try:
        return ipaddress.ip_address(h).is_loopback
    except ValueError:
        return False


def default_data_dir() -> Path:
    from normcheck.paths import normcheck_home

    return normcheck_home() / "workbench"


def settings(host: str, token: str | None) -> tuple[str | None, list[str] | None]:
    """(the token in force, the Host names allowed) for binding ``host``.

    A non-loopback address needs a token (``--token`` or ``NORMCHECK_SERVE_TOKEN``, at least 16
    characters): raises ValueError [E205] otherwise. On loopback the Host header must name the loopback."""
    tok = token if token is not None else (os.environ.get(TOKEN_ENV) or None)
    if tok is not None and len(tok) < MIN_TOKEN_CHARS:
        raise ValueError(f"[{Code.BAD_SETTING.value}] the token must have at least {MIN_TOKEN_CHARS} characters "
                         "(e.g. python -c 'import secrets; print(secrets.token_urlsafe())')")
    if is_loopback(host):
        return tok, ["127.0.0.1", "localhost", "::1", "[::1]", host.lower()]
    if tok is None:
        raise ValueError(f"[{Code.BAD_SETTING.value}] --host {host} is not a loopback address: anyone on the "
                         f"network could read the drafts. Give a token (--token or {TOKEN_ENV}) to serve off "
                         "loopback, or bind 127.0.0.1")
    return tok, None


def build_app(*, host: str = "127.0.0.1", data_dir: str | Path | None = None, token: str | None = None,
              roots: Sequence[str | Path] = (), corpus: Any = None, reviewer: str | None = None) -> Any:
    """The application ``normcheck serve`` runs (validated settings). E303 when the [serve] extra is absent."""
    tok, hosts = settings(host, token)
    try:
        from normcheck.serve.app import create_app
    except ImportError as exc:
        raise NormcheckError(Code.EXTRA_MISSING, f"the workbench needs the [serve] extra ({exc.name} is missing): "
                             "pip install 'normcheck[serve]'") from None
    return create_app(data_dir or default_data_dir(), token=tok, roots=roots or [Path.cwd()], corpus=corpus,
                      allowed_hosts=hosts, reviewer=reviewer)


def serve(app: Any, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT, quiet: bool = False) -> None:
    """Run ``app`` with uvicorn until interrupted."""
    import uvicorn

    uvicorn.run(app, host=host, port=port, log_level="warning" if quiet else "info", access_log=not quiet)
