"""Image work: pull, push, build, remove, tag, prune, search Docker Hub.

Pull, push and build answer with a ``ClosableStream`` over the engine's own
socket, so closing it cancels the transfer and frees the reading thread.
Errors become ``TransferError`` with a ``kind`` the dialogs can explain.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dockertui.backend import credentials
from dockertui.backend.errors import EngineError, EngineUnavailable
from dockertui.backend.models import ContainerInfo, ImageInfo
from dockertui.backend.raw import image_from_summary
from dockertui.backend.run import PullProgress
from dockertui.backend.streams import ClosableStream

if TYPE_CHECKING:
    from dockertui.backend.client import DockerBackend

# The SDK is imported in the functions that call the engine: the UI imports
# this module's names (parse_reference, TransferError …) before it connects.

HUB = "docker.io"
SEARCH_TIMEOUT = 20

# The distribution project's reference grammar, slightly simplified.
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_DOMAIN = r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?"
_PATH = re.compile(rf"^{_COMPONENT}(?:/{_COMPONENT})*$")
_DOMAIN_RE = re.compile(rf"^{_DOMAIN}$")
_TAG = re.compile(r"^[\w][\w.-]{0,127}$")
_DIGEST = re.compile(r"^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}$")


@dataclass(frozen=True)
class ImageReference:
    """A parsed ``[registry/]path[:tag][@digest]``; no tag and no digest means ``latest``."""

    domain: str
    path: str
    tag: str = ""
    digest: str = ""

    @property
    def repository(self) -> str:
        return f"{self.domain}/{self.path}" if self.domain else self.path

    @property
    def registry(self) -> str:
        """Where it lives: the host, or ``docker.io`` for Docker Hub."""
        return self.domain or HUB

    @property
    def tag_or_digest(self) -> str:
        return self.digest or self.tag or "latest"

    def __str__(self) -> str:
        if self.digest:
            return f"{self.repository}@{self.digest}"
        return f"{self.repository}:{self.tag or 'latest'}"

    @property
    def kind(self) -> str:
        """``official`` (one word, Docker Hub), ``user`` (user/name on Hub) or ``registry``."""
        if self.domain and self.domain not in (HUB, "index.docker.io"):
            return "registry"
        path = self.path.removeprefix("library/") if self.domain else self.path
        return "official" if "/" not in path else "user"


def _is_domain(part: str) -> bool:
    return "." in part or ":" in part or part == "localhost"


def parse_reference(text: str) -> ImageReference:
    """Parse what a user typed; ValueError explains what is wrong with it."""
    reference = text.strip()
    if not reference:
        raise ValueError("type an image name, like busybox or registry.example.com/team/app:1.2")
    if any(c.isspace() for c in reference):
        raise ValueError("an image reference has no spaces")
    name, _, digest = reference.partition("@")
    if digest and not _DIGEST.match(digest):
        raise ValueError(f"{digest!r} is not a digest (sha256:<64 hex digits>)")
    first, slash, rest = name.partition("/")
    domain = first if slash and _is_domain(first) else ""
    remainder = rest if domain else name
    tag = ""
    path, colon, maybe_tag = remainder.rpartition(":")
    if colon:
        tag = maybe_tag
        if not _TAG.match(tag):
            raise ValueError(f"{tag!r} is not a valid tag (letters, digits, _ . -, up to 128)")
    else:
        path = remainder
    if domain and not _DOMAIN_RE.match(domain):
        raise ValueError(f"{domain!r} is not a registry host[:port]")
    if not path:
        raise ValueError("the repository name is missing")
    if path != path.lower() and _PATH.match(path.lower()):
        raise ValueError(f"repository names must be lowercase: {path!r}")
    if not _PATH.match(path):
        raise ValueError(f"{path!r} is not a repository name (lowercase letters, digits, and . _ - between them)")
    return ImageReference(domain, path, tag, digest)


def classify(reference: str) -> str:
    """official, user or registry, for a name like those in ``docker images``."""
    try:
        return parse_reference(reference).kind
    except ValueError:
        return "unknown"


# ------------------------------------------------------------------ errors


class TransferError(EngineError):
    """A pull or push failed; ``kind`` is not_found, unauthorized, unreachable, reference, credentials or other."""

    def __init__(self, message: str, kind: str, status: int | None = None) -> None:
        super().__init__(message, status)
        self.kind = kind


_KINDS = (
    ("reference", ("invalid reference format", "repository name must", "invalid tag format")),
    ("unreachable", ("connection refused", "no such host", "i/o timeout", "dial tcp", "network is unreachable",
                     "tls handshake", "client.timeout", "http response to https client", "connection reset")),
    ("unauthorized", ("unauthorized", "authentication required", "no basic auth credentials", "denied:",
                      "incorrect username or password", "access to the resource is denied")),
    ("not_found", ("manifest unknown", "not found", "does not exist", "pull access denied", "no such image")),
)

KIND_TITLES = {
    "reference": "Malformed reference",
    "unreachable": "Registry unreachable",
    "unauthorized": "Not authorized",
    "credentials": "Login unavailable",
    "not_found": "Not found",
    "other": "Failed",
}


def error_kind(message: str, status: int | None = None) -> str:
    text = message.lower()
    for kind, needles in _KINDS:
        if any(needle in text for needle in needles):
            return kind
    if status == 404:
        return "not_found"
    if status == 401:
        return "unauthorized"
    return "other"


def _transfer_error(error: EngineError) -> TransferError:
    return TransferError(str(error), error_kind(str(error), error.status), error.status)


# --------------------------------------------------------- pull and push


def _auth_header(registry: str) -> dict[str, str]:
    """The stored login for ``registry``; a broken store or helper is a TransferError, as the CLI says it."""
    try:
        found = credentials.auth_config(registry)
    except credentials.CredentialsError as error:
        raise TransferError(f"{error} (see {credentials.config_path()})", "credentials") from error
    from docker.auth import encode_header

    return {"X-Registry-Auth": encode_header(found or {})}


def _progress(raw: dict[str, Any]) -> PullProgress:
    if raw.get("error"):
        raise _transfer_error(EngineError(str(raw["error"])))
    detail = raw.get("progressDetail") or {}
    return PullProgress(
        layer=str(raw.get("id", "")),
        status=str(raw.get("status", "")),
        current=int(detail.get("current") or 0),
        total=int(detail.get("total") or 0),
    )


def _open_stream(backend: DockerBackend, path: str, convert, **kwargs: Any) -> ClosableStream:
    """POST and stream decoded JSON lines; closing the result shuts the socket."""
    import docker.errors
    from docker.types.daemon import CancellableStream

    api = backend.api
    url = api._url(path, *kwargs.pop("path_args", ()))
    response = backend.call("_post", url, stream=True, timeout=None, **kwargs)
    try:
        api._raise_for_status(response)
    except docker.errors.APIError as error:
        response.close()
        raise EngineError(error.explanation or str(error), error.status_code) from error
    return ClosableStream(CancellableStream(api._stream_helper(response, decode=True), response), convert)


def pull(backend: DockerBackend, text: str) -> ClosableStream[PullProgress]:
    """``docker pull``, with the stored login for the image's registry."""
    try:
        reference = parse_reference(text)
    except ValueError as error:
        raise TransferError(str(error), "reference") from error
    params = {"fromImage": reference.repository, "tag": reference.tag_or_digest}
    headers = _auth_header(reference.registry)
    try:
        return _open_stream(backend, "/images/create", _progress, params=params, headers=headers)
    except EngineUnavailable:
        raise
    except EngineError as error:
        raise _transfer_error(error) from error


def push(backend: DockerBackend, text: str) -> ClosableStream[PullProgress]:
    """``docker push`` of one local tag, with the stored login for its registry."""
    try:
        reference = parse_reference(text)
    except ValueError as error:
        raise TransferError(str(error), "reference") from error
    headers = _auth_header(reference.registry)
    try:
        return _open_stream(
            backend, "/images/{0}/push", _progress, path_args=(reference.repository,),
            params={"tag": reference.tag or "latest"}, headers=headers,
        )
    except EngineUnavailable:
        raise
    except EngineError as error:
        raise _transfer_error(error) from error


def login(backend: DockerBackend, registry: str, username: str, password: str) -> str:
    """Check the account with the registry (through the engine), then store it.

    Returns where it was stored. Raises TransferError (kind unauthorized,
    unreachable …) when the registry refuses; nothing is stored then.
    """
    key = credentials.registry_key(registry)
    try:
        backend.call("login", username, password=password, registry=key, reauth=True)
    except EngineUnavailable:
        raise
    except EngineError as error:
        # The engine's message quotes the registry's answer, never the password.
        raise _transfer_error(error) from error
    return credentials.store(credentials.Credentials(key, username, password))


# ------------------------------------------------------------------ build


@dataclass(frozen=True)
class BuildLine:
    """One piece of build output; ``error`` on failure, ``image_id`` at the end."""

    text: str = ""
    error: str = ""
    image_id: str = ""


def _build_line(raw: dict[str, Any]) -> BuildLine:
    if raw.get("error") or raw.get("errorDetail"):
        detail = raw.get("errorDetail") or {}
        return BuildLine(error=str(raw.get("error") or detail.get("message") or "build failed"))
    aux = raw.get("aux") or {}
    if isinstance(aux, dict) and aux.get("ID"):
        return BuildLine(image_id=str(aux["ID"]))
    return BuildLine(text=str(raw.get("stream") or raw.get("status") or ""))


def last_step(texts: list[str]) -> str:
    """The last ``Step n/m : …`` line of a build's output: the failing one after an error."""
    for text in reversed(texts):
        if text.startswith("Step "):
            return text.strip()
    return ""


def build(
    backend: DockerBackend,
    path: str,
    tag: str = "",
    buildargs: dict[str, str] | None = None,
    labels: dict[str, str] | None = None,
    dockerfile: str | None = None,
    target: str = "",
    no_cache: bool = False,
) -> ClosableStream[BuildLine]:
    """``docker build PATH``: stream the output; close to cancel.

    Raises ValueError when the directory or its Dockerfile is missing.
    """
    if not os.path.isdir(path):
        raise ValueError(f"{path!r} is not a directory")
    name = dockerfile or "Dockerfile"
    if not os.path.isfile(os.path.join(path, name)):
        raise ValueError(f"there is no {name} in {path}")
    if tag:
        parse_reference(tag)
    ignore_file = os.path.join(path, ".dockerignore")
    exclude = None
    if os.path.exists(ignore_file):
        with open(ignore_file) as ignore:
            exclude = [line.strip() for line in ignore if line.strip() and not line.startswith("#")]
    from docker.api.build import process_dockerfile
    from docker.utils import tar

    dockerfile_spec = process_dockerfile(dockerfile, path)
    context = tar(path, exclude=exclude, dockerfile=dockerfile_spec, gzip=False)
    params: dict[str, Any] = {"t": tag or None, "rm": True, "forcerm": True, "q": False, "pull": False}
    if dockerfile_spec[0]:
        params["dockerfile"] = dockerfile_spec[0]
    if buildargs:
        params["buildargs"] = json.dumps(buildargs)
    if labels:
        params["labels"] = json.dumps(labels)
    if target:
        params["target"] = target
    if no_cache:
        params["nocache"] = True
    try:
        return _open_stream(backend, "/build", _build_line, params=params, data=context,
                            headers={"Content-Type": "application/tar"})
    finally:
        context.close()


# ------------------------------------------------------ remove, tag, prune


@dataclass(frozen=True)
class PruneResult:
    deleted: int
    space_reclaimed: int


def containers_using(backend: DockerBackend, image_id: str) -> list[ContainerInfo]:
    """Every container (running or not) created from exactly this image."""
    return [c for c in backend.list_containers() if c.image_id == image_id]


def remove_image(backend: DockerBackend, reference: str, force: bool = False) -> list[str]:
    """``docker rmi``: a tag untags, an id deletes. Returns the engine's report lines."""
    result = backend.call("remove_image", reference, force=force)
    return [f"{key}: {value}" for entry in result or [] for key, value in entry.items()]


def tag_image(backend: DockerBackend, image_id: str, new_name: str) -> str:
    """``docker tag``: give the image another name; returns the full new name."""
    reference = parse_reference(new_name)
    if reference.digest:
        raise ValueError("a new name takes a tag, not a digest")
    backend.call("tag", image_id, reference.repository, tag=reference.tag or "latest")
    return str(reference)


def _prune_filters(labels: list[str]) -> dict[str, Any]:
    return {"dangling": True, "label": labels} if labels else {"dangling": True}


def dangling_images(backend: DockerBackend, labels: list[str]) -> list[ImageInfo]:
    """What a prune with these label filters (``key=value``) would delete."""
    images = backend.call("images", filters=_prune_filters(labels))
    return [image_from_summary(raw) for raw in images]


def prune_images(backend: DockerBackend, labels: list[str]) -> PruneResult:
    """``docker image prune --filter label=…``: dangling images only."""
    filters = {"dangling": ["true"]}
    if labels:
        filters["label"] = labels
    result = backend.call("prune_images", filters=filters) or {}
    return PruneResult(len(result.get("ImagesDeleted") or []), int(result.get("SpaceReclaimed") or 0))


# ----------------------------------------------------------------- search


@dataclass(frozen=True)
class HubResult:
    name: str
    description: str
    stars: int
    official: bool
    automated: bool = False


def search_hub(backend: DockerBackend, term: str, limit: int = 25, timeout: float = SEARCH_TIMEOUT) -> list[HubResult]:
    """``docker search``, through the engine; fails within ``timeout`` seconds."""
    if not term.strip():
        raise ValueError("type something to search for")
    import docker.errors
    import requests.exceptions

    api = backend.api
    try:
        response = api._get(api._url("/images/search"), params={"term": term.strip(), "limit": limit}, timeout=timeout)
        results = api._result(response, json=True)
    except requests.exceptions.Timeout as error:
        raise TransferError(f"Docker Hub did not answer within {timeout:.0f}s", "unreachable") from error
    except docker.errors.APIError as error:
        message = error.explanation or str(error)
        kind = error_kind(message, error.status_code)
        if kind == "unreachable":
            message = f"Docker Hub cannot be reached from the engine: {message}"
        raise TransferError(message, kind, error.status_code) from error
    except (requests.exceptions.RequestException, OSError) as error:
        raise EngineUnavailable(str(error)) from error
    return [
        HubResult(
            name=str(raw.get("name", "")),
            description=str(raw.get("description") or ""),
            stars=int(raw.get("star_count") or 0),
            official=bool(raw.get("is_official")),
            automated=bool(raw.get("is_automated")),
        )
        for raw in results or []
    ]
