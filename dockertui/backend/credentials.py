"""Registry credentials, kept exactly where the docker CLI keeps them.

``$DOCKER_CONFIG/config.json`` (else ``~/.docker/config.json``). Where the
file names a credential helper (``credHelpers`` for one registry, else
``credsStore`` for all), the secret goes to ``docker-credential-<name>``
through its ``store``/``get``/``erase`` protocol; otherwise it is written in
``auths`` as base64 ``user:password``, in a file only the user can read (0600).
So a login from the app serves ``docker push`` on the command line, and the
other way round. Passwords never appear in a repr, a message or a log.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HUB_KEY = "https://index.docker.io/v1/"
_HUB_ALIASES = {"", "docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com", HUB_KEY}
HELPER_TIMEOUT = 20


class CredentialsError(Exception):
    """The config file or a credential helper failed; the message names which."""


@dataclass(frozen=True)
class Credentials:
    """An account on one registry. The password is left out of ``repr``."""

    registry: str
    username: str
    password: str = field(repr=False)


def config_dir() -> Path:
    """Where the docker CLI reads its config: ``DOCKER_CONFIG`` or ``~/.docker``."""
    configured = os.environ.get("DOCKER_CONFIG")
    return Path(configured) if configured else Path.home() / ".docker"


def config_path() -> Path:
    return config_dir() / "config.json"


def registry_key(registry: str) -> str:
    """The key the CLI files a registry under: Hub's v1 URL, else ``host[:port]``."""
    text = registry.strip()
    if text.rstrip("/") in {alias.rstrip("/") for alias in _HUB_ALIASES}:
        return HUB_KEY
    for scheme in ("https://", "http://"):
        text = text.removeprefix(scheme)
    host = text.split("/", 1)[0]
    return HUB_KEY if host in _HUB_ALIASES else host


def _read_config() -> dict[str, Any]:
    path = config_path()
    try:
        text = path.read_text()
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise CredentialsError(f"cannot read {path}: {error.strerror}") from error
    try:
        document = json.loads(text) if text.strip() else {}
    except json.JSONDecodeError as error:
        raise CredentialsError(f"{path} is not valid JSON (line {error.lineno})") from error
    if not isinstance(document, dict):
        raise CredentialsError(f"{path} does not hold a JSON object")
    return document


def _write_config(document: dict[str, Any]) -> None:
    """Replace config.json atomically, readable by its owner only."""
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor, temporary = tempfile.mkstemp(prefix=".config.json.", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w") as out:
            json.dump(document, out, indent="\t")
            out.write("\n")
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise CredentialsError(f"cannot write {path}: {error.strerror}") from error


def helper_for(key: str, document: dict[str, Any] | None = None) -> str | None:
    """The credential helper in charge of ``key``, if the config names one."""
    document = _read_config() if document is None else document
    helpers = document.get("credHelpers") or {}
    for name, helper in helpers.items():
        if registry_key(name) == key and helper:
            return str(helper)
    store = document.get("credsStore")
    return str(store) if store else None


def _run_helper(helper: str, verb: str, payload: str) -> str:
    program = f"docker-credential-{helper}"
    try:
        result = subprocess.run(
            [program, verb], input=payload, capture_output=True, text=True, timeout=HELPER_TIMEOUT
        )
    except FileNotFoundError as error:
        raise CredentialsError(f"the credential helper {program} is configured but not installed") from error
    except subprocess.TimeoutExpired as error:
        raise CredentialsError(f"{program} {verb} did not answer within {HELPER_TIMEOUT}s") from error
    if result.returncode != 0:
        # Helpers print their error on stdout; it never holds the secret we sent.
        reason = (result.stdout or result.stderr).strip().splitlines()
        raise CredentialsError(f"{program} {verb} failed: {reason[-1] if reason else result.returncode}")
    return result.stdout


def _helper_not_found(error: CredentialsError) -> bool:
    return "credentials not found" in str(error).lower()


def load(registry: str) -> Credentials | None:
    """The stored account for ``registry``, or None when there is none."""
    key = registry_key(registry)
    document = _read_config()
    helper = helper_for(key, document)
    if helper:
        try:
            answer = json.loads(_run_helper(helper, "get", key) or "{}")
        except CredentialsError as error:
            if _helper_not_found(error):
                return None
            raise
        except json.JSONDecodeError as error:
            raise CredentialsError(f"docker-credential-{helper} get gave no JSON") from error
        if not answer.get("Username"):
            return None
        return Credentials(key, str(answer["Username"]), str(answer.get("Secret", "")))
    for name, entry in (document.get("auths") or {}).items():
        if registry_key(name) != key or not isinstance(entry, dict):
            continue
        if entry.get("auth"):
            try:
                decoded = base64.b64decode(entry["auth"]).decode()
            except (ValueError, UnicodeDecodeError) as error:
                raise CredentialsError(f"the auth entry for {key} in {config_path()} is not base64") from error
            username, _, password = decoded.partition(":")
            return Credentials(key, username, password)
        if entry.get("username"):
            return Credentials(key, str(entry["username"]), str(entry.get("password", "")))
    return None


def store(credentials: Credentials) -> str:
    """Save an account where the CLI will find it; returns where, for the user."""
    key = registry_key(credentials.registry)
    document = _read_config()
    helper = helper_for(key, document)
    auths = document.setdefault("auths", {})
    for name in [name for name in auths if registry_key(name) == key]:
        del auths[name]
    if helper:
        payload = json.dumps({"ServerURL": key, "Username": credentials.username, "Secret": credentials.password})
        _run_helper(helper, "store", payload)
        # As the CLI does: an empty entry records that we are logged in there.
        auths[key] = {}
        _write_config(document)
        return f"docker-credential-{helper}"
    token = base64.b64encode(f"{credentials.username}:{credentials.password}".encode()).decode()
    auths[key] = {"auth": token}
    _write_config(document)
    return str(config_path())


def erase(registry: str) -> bool:
    """Log out: forget the account for ``registry``. False when there was none."""
    key = registry_key(registry)
    document = _read_config()
    helper = helper_for(key, document)
    found = False
    if helper:
        try:
            _run_helper(helper, "erase", key)
            found = True
        except CredentialsError as error:
            if not _helper_not_found(error):
                raise
    auths = document.get("auths") or {}
    names = [name for name in auths if registry_key(name) == key]
    for name in names:
        del auths[name]
    if names:
        _write_config(document)
    return found or bool(names)


def logged_in_registries() -> list[str]:
    """Every registry the config records a login for."""
    document = _read_config()
    return sorted({registry_key(name) for name in document.get("auths") or {}})


def auth_config(registry: str) -> dict[str, str] | None:
    """The engine's ``X-Registry-Auth`` fields for ``registry``, if logged in."""
    found = load(registry)
    if found is None:
        return None
    return {"username": found.username, "password": found.password, "serveraddress": found.registry}
