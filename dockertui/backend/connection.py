"""Work out which engine to talk to, the way the docker CLI does.

Order: an explicit ``--host``, then a ``--context``, then ``DOCKER_HOST``,
then the current docker context (``DOCKER_CONTEXT``, or ``currentContext``
in the CLI's ``config.json``), then the default socket.

TLS for ``tcp://`` comes from the ``--tls*`` flags or ``DOCKER_TLS_VERIFY`` /
``DOCKER_CERT_PATH``, as with the docker CLI; a context carries its own.
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
class TLSOptions:
    """The docker CLI's ``--tls``, ``--tlsverify``, ``--tlscacert``, ``--tlscert`` and ``--tlskey``."""

    tls: bool = False
    verify: bool = False
    ca_cert: str | None = None
    client_cert: str | None = None
    client_key: str | None = None

    @property
    def given(self) -> bool:
        return bool(self.tls or self.verify or self.ca_cert or self.client_cert or self.client_key)


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


def _tls_from_env(environ: Mapping[str, str], options: TLSOptions | None = None) -> TLSFiles | None:
    """TLS material as the docker CLI finds it: flags first, then the environment.

    Files named by a flag or under ``DOCKER_CERT_PATH`` are used as given (a
    missing one is an error when connecting); ``ca.pem``/``cert.pem``/``key.pem``
    in ``~/.docker`` are used only where they exist, as the CLI does.
    """
    options = options or TLSOptions()
    cert_path = environ.get("DOCKER_CERT_PATH")
    verify = options.verify or environ.get("DOCKER_TLS_VERIFY", "") not in ("", "0")
    if not cert_path and not verify and not options.given:
        return None
    cert_dir = Path(cert_path or docker_config_dir(environ)).expanduser()

    def pick(explicit: str | None, file_name: str) -> str | None:
        if explicit:
            return str(Path(explicit).expanduser())
        default = cert_dir / file_name
        # DOCKER_CERT_PATH names the files outright; ~/.docker only offers them.
        return str(default) if cert_path or default.is_file() else None

    return TLSFiles(
        ca_cert=pick(options.ca_cert, "ca.pem") if verify else None,
        client_cert=pick(options.client_cert, "cert.pem"),
        client_key=pick(options.client_key, "key.pem"),
        verify=verify,
    )


def read_context(name: str, config_dir: Path, environ: Mapping[str, str] | None = None) -> EngineTarget:
    """Read one docker context's endpoint and TLS material.

    The ``default`` context is ``DOCKER_HOST`` (with its TLS settings) when
    ``environ`` has one, else the default socket, as in ``docker context ls``.
    """
    if name == "default":
        if environ and environ.get("DOCKER_HOST"):
            return EngineTarget(url=environ["DOCKER_HOST"], source="context", context="default", tls=_tls_from_env(environ))
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
    tls: TLSOptions | None = None,
) -> EngineTarget:
    """Pick the engine as the docker CLI would.

    ``tls`` (the ``--tls*`` flags) applies to ``--host`` and ``DOCKER_HOST``;
    a context brings its own TLS material.

    Raises:
        ContextError: a context was named (flag, env or config) but is unusable.
    """
    if host:
        return EngineTarget(url=host, source="--host", tls=_tls_from_env(environ, tls))
    if context:
        return read_context(context, docker_config_dir(environ), environ)
    if environ.get("DOCKER_HOST"):
        return EngineTarget(
            url=environ["DOCKER_HOST"], source="DOCKER_HOST", tls=_tls_from_env(environ, tls)
        )
    config_dir = docker_config_dir(environ)
    name = current_context_name(environ, config_dir)
    if name:
        return read_context(name, config_dir, environ)
    return EngineTarget(url=DEFAULT_HOST, source="default")


@dataclass(frozen=True)
class ContextInfo:
    """One entry of ``docker context ls``: a usable target, or why it is not."""

    name: str
    description: str
    url: str
    is_cli_current: bool
    target: EngineTarget | None
    error: str | None = None


def _context_description(meta_path: Path) -> str:
    try:
        meta = json.loads(meta_path.read_text())
        return str((meta.get("Metadata") or {}).get("Description") or "")
    except (OSError, ValueError, AttributeError):
        return ""


def list_contexts(environ: Mapping[str, str] = os.environ) -> list[ContextInfo]:
    """Every docker context, ``default`` first, the others by name.

    A context whose files cannot be read is still listed, with its error, so
    the user sees it rather than wondering where it went.
    """
    config_dir = docker_config_dir(environ)
    current = current_context_name(environ, config_dir) or "default"
    default = read_context("default", config_dir, environ)
    found = [
        ContextInfo(
            name="default",
            description="Current DOCKER_HOST based configuration" if environ.get("DOCKER_HOST") else "The local engine",
            url=default.url,
            is_cli_current=current == "default",
            target=default,
        )
    ]
    named: list[ContextInfo] = []
    meta_root = config_dir / "contexts" / "meta"
    meta_files = sorted(meta_root.glob("*/meta.json")) if meta_root.is_dir() else []
    for meta_path in meta_files:
        try:
            name = str(json.loads(meta_path.read_text())["Name"])
        except (OSError, ValueError, KeyError, TypeError) as error:
            named.append(ContextInfo(meta_path.parent.name[:12], "", "", False, None, f"unreadable: {error}"))
            continue
        description = _context_description(meta_path)
        try:
            target = read_context(name, config_dir, environ)
        except ContextError as error:
            named.append(ContextInfo(name, description, "", name == current, None, str(error)))
            continue
        named.append(ContextInfo(name, description, target.url, name == current, target))
    return found + sorted(named, key=lambda info: info.name.casefold())
