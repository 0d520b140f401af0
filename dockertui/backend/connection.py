"""Work out which engine to talk to, the way the docker CLI does.

Order: an explicit ``--host``, then ``DOCKER_HOST``, then a named or current
docker context (``DOCKER_CONTEXT``, or ``currentContext`` in the CLI's
``config.json``), then the default socket.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_HOST = "unix:///var/run/docker.sock"


class ContextError(Exception):
    """A docker context was named but cannot be read."""


@dataclass(frozen=True)
class TLSFiles:
    """Client TLS material for a ``tcp://`` engine."""

    ca_cert: str | None = None
    client_cert: str | None = None
    client_key: str | None = None
    verify: bool = True


@dataclass(frozen=True)
class EngineTarget:
    """Where the engine is, and how we decided that."""

    url: str
    source: str
    context: str | None = None
    tls: TLSFiles | None = None

    @property
    def display(self) -> str:
        """Short form for the header: the context name, or the URL."""
        if self.context and self.context != "default":
            return f"{self.context} ({self.url})"
        return self.url


def docker_config_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """The docker CLI's config dir: ``DOCKER_CONFIG`` or ``~/.docker``."""
    configured = environ.get("DOCKER_CONFIG")
    if configured:
        return Path(configured).expanduser()
    return Path.home() / ".docker"


def _context_id(name: str) -> str:
    # The CLI stores each context under the sha256 of its name.
    return hashlib.sha256(name.encode()).hexdigest()


def _tls_from_env(environ: Mapping[str, str]) -> TLSFiles | None:
    cert_path = environ.get("DOCKER_CERT_PATH")
    verify = environ.get("DOCKER_TLS_VERIFY", "") not in ("", "0")
    if not cert_path and not verify:
        return None
    cert_dir = Path(cert_path or docker_config_dir(environ)).expanduser()
    return TLSFiles(
        ca_cert=str(cert_dir / "ca.pem") if verify else None,
        client_cert=str(cert_dir / "cert.pem"),
        client_key=str(cert_dir / "key.pem"),
        verify=verify,
    )


def read_context(name: str, config_dir: Path) -> EngineTarget:
    """Read one docker context's endpoint and TLS material."""
    if name == "default":
        return EngineTarget(url=DEFAULT_HOST, source="context", context="default")
    meta_path = config_dir / "contexts" / "meta" / _context_id(name) / "meta.json"
    try:
        meta = json.loads(meta_path.read_text())
        endpoint = meta["Endpoints"]["docker"]
        url = endpoint["Host"]
    except FileNotFoundError:
        raise ContextError(f"docker context {name!r} not found ({meta_path})") from None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ContextError(f"docker context {name!r} is unreadable: {error}") from None
    tls_dir = config_dir / "contexts" / "tls" / _context_id(name) / "docker"
    tls = None
    if tls_dir.is_dir():
        def present(file_name: str) -> str | None:
            path = tls_dir / file_name
            return str(path) if path.is_file() else None

        tls = TLSFiles(
            ca_cert=present("ca.pem"),
            client_cert=present("cert.pem"),
            client_key=present("key.pem"),
            verify=not endpoint.get("SkipTLSVerify", False),
        )
    return EngineTarget(url=url, source="context", context=name, tls=tls)


def current_context_name(environ: Mapping[str, str], config_dir: Path) -> str | None:
    """``DOCKER_CONTEXT``, else ``currentContext`` from the CLI config."""
    if environ.get("DOCKER_CONTEXT"):
        return environ["DOCKER_CONTEXT"]
    try:
        config = json.loads((config_dir / "config.json").read_text())
    except (OSError, ValueError):
        return None
    name = config.get("currentContext") if isinstance(config, dict) else None
    return name or None


def resolve_target(
    host: str | None = None,
    context: str | None = None,
    environ: Mapping[str, str] = os.environ,
) -> EngineTarget:
    """Pick the engine as the docker CLI would.

    Raises:
        ContextError: a context was named (flag, env or config) but is unusable.
    """
    if host:
        return EngineTarget(url=host, source="--host", tls=_tls_from_env(environ))
    if context:
        return read_context(context, docker_config_dir(environ))
    if environ.get("DOCKER_HOST"):
        return EngineTarget(
            url=environ["DOCKER_HOST"], source="DOCKER_HOST", tls=_tls_from_env(environ)
        )
    config_dir = docker_config_dir(environ)
    name = current_context_name(environ, config_dir)
    if name:
        return read_context(name, config_dir)
    return EngineTarget(url=DEFAULT_HOST, source="default")
