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
# What a credential helper answers when it holds no account for the registry.
NOT_FOUND = object()


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


def _helper_call(helper: str, verb: str, *args: str) -> Any:
    """``get``/``store``/``erase`` through docker-py's helper client (docker.credentials.Store).

    Its failures come back as CredentialsError in our words; a missing
    account as NOT_FOUND. It gets a time limit: a helper that hangs would hold a
    pull or a login for ever.
    """
    import warnings

    from docker.credentials import Store
    from docker.credentials.errors import CredentialsNotFound, StoreError, process_store_error
    from docker.credentials.utils import create_environment_dict

    class TimedStore(Store):
        def _execute(self, subcmd: str, data_input: bytes | None) -> bytes:
            if self.exe is None:
                return super()._execute(subcmd, data_input)  # raises: the helper is not installed
            try:
                return subprocess.run(
                    [self.exe, subcmd], input=data_input, capture_output=True, check=True,
                    timeout=HELPER_TIMEOUT, env=create_environment_dict(self.environment),
                ).stdout
            except subprocess.CalledProcessError as error:
                raise process_store_error(error, self.program) from error

    program = f"docker-credential-{helper}"
    with warnings.catch_warnings():
        # Store warns when the program is not on PATH; the call below says so, as an error.
        warnings.simplefilter("ignore")
        store = TimedStore(helper)
    try:
        return getattr(store, verb)(*args)
    except CredentialsNotFound:
        return NOT_FOUND
    except subprocess.TimeoutExpired as error:
        raise CredentialsError(f"{program} {verb} did not answer within {HELPER_TIMEOUT}s") from error
    except StoreError as error:
        cause = error.__cause__
        if isinstance(cause, subprocess.CalledProcessError):
            # Helpers print their error on stdout; it never holds the secret we sent.
            lines = (cause.stdout or cause.stderr or b"").decode(errors="replace").strip().splitlines()
            if lines and "credentials not found" in lines[-1].lower():
                return NOT_FOUND
            raise CredentialsError(f"{program} {verb} failed: {lines[-1] if lines else cause.returncode}") from error
        if isinstance(cause, OSError) or "not installed" in str(error):
            raise CredentialsError(f"the credential helper {program} is configured but not installed") from error
        raise CredentialsError(f"{program} {verb} failed: {error}") from error
    except ValueError as error:  # an answer that is not JSON
        raise CredentialsError(f"{program} {verb} gave no JSON") from error


def load(registry: str) -> Credentials | None:
    """The stored account for ``registry``, or None when there is none."""
    key = registry_key(registry)
    document = _read_config()
    helper = helper_for(key, document)
    if helper:
        answer = _helper_call(helper, "get", key)
        if answer is NOT_FOUND or not answer.get("Username"):
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
        _helper_call(helper, "store", key, credentials.username, credentials.password)
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
        found = _helper_call(helper, "erase", key) is not NOT_FOUND
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
