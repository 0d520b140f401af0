"""Images and containers as artefacts: docker commit, save, load and export.

Each is an object whose ``run()`` blocks (call it in a thread) and whose
``close()`` cancels it from any other thread, at any moment: it shuts the
request's connection (closable_request.py). Save and export write the
engine's tar into a local file, and a failed or cancelled one leaves no
partial file; load streams a local tar to the engine without reading it
into memory. ``written``, ``sent`` and ``layer`` tell the progress so far,
for a UI to read whenever it likes.
"""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from dockertui.backend.closable_request import Cancelled, ClosableRequest
from dockertui.backend.errors import EngineError
from dockertui.backend.images import parse_reference

if TYPE_CHECKING:
    from dockertui.backend.client import DockerBackend

READ_SIZE = 256 * 1024
_UNSAFE_IN_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


class ArchiveError(EngineError):
    """A save, export or load failed; the message says why in words a user can act on."""


# ------------------------------------------------------------------ paths


def default_file_name(name: str) -> str:
    """``./team-app-1.2.tar`` for ``team/app:1.2``: a file name the CLI's users would type."""
    stem = name.removesuffix(":latest")
    stem = _UNSAFE_IN_FILE_NAME.sub("-", stem.removeprefix("sha256:")).strip("-.") or "archive"
    return f"./{stem}.tar"


def target_path(text: str) -> Path:
    """Where a save or export may write; ValueError says why not (existing files are the caller's to ask about)."""
    if not text.strip():
        raise ValueError("type the file to write, such as ./image.tar")
    path = Path(text.strip()).expanduser().absolute()
    if path.is_dir():
        raise ValueError(f"{path} is a folder: give a file name in it, such as {path / 'image.tar'}")
    if not path.parent.is_dir():
        raise ValueError(f"there is no folder {path.parent}")
    if not os.access(path.parent, os.W_OK):
        raise ValueError(f"the folder {path.parent} is not writable")
    return path


def source_path(text: str) -> Path:
    """A tar file load may read; ValueError says why not."""
    if not text.strip():
        raise ValueError("type the tar file to load, such as ./image.tar")
    path = Path(text.strip()).expanduser().absolute()
    if not path.exists():
        raise ValueError(f"there is no file {path}")
    if not path.is_file():
        raise ValueError(f"{path} is not a file")
    if not os.access(path, os.R_OK):
        raise ValueError(f"{path} is not readable")
    return path


def _file_problem(path: Path, error: OSError) -> str:
    return f"cannot write {path}: {error.strerror or error}"


# ----------------------------------------------------------------- commit


@dataclass(frozen=True)
class CommitSpec:
    """What ``docker commit`` takes: ``reference`` may be empty (an image with no name)."""

    container_id: str
    reference: str = ""
    message: str = ""
    author: str = ""
    pause: bool = True
    labels: tuple[tuple[str, str], ...] = ()


def check_commit_reference(text: str) -> str:
    """The name a commit gives, as the CLI writes it (``:latest`` added); "" for none. ValueError if bad."""
    if not text.strip():
        return ""
    reference = parse_reference(text)
    if reference.digest:
        raise ValueError("a commit's name takes a tag, not a digest")
    return str(reference)


class Commit:
    """``docker commit``: ``run()`` returns the new image's id, or None when closed first.

    Closing only stops the waiting: the engine may still finish the commit,
    and the image then shows up by itself.
    """

    def __init__(self, backend: DockerBackend, spec: CommitSpec) -> None:
        self.spec = spec
        self._request = ClosableRequest(backend)

    def close(self) -> None:
        self._request.close()

    def run(self) -> str | None:
        spec = self.spec
        params: dict[str, Any] = {"container": spec.container_id, "pause": "1" if spec.pause else "0"}
        if spec.reference:
            reference = parse_reference(spec.reference)
            params.update(repo=reference.repository, tag=reference.tag or "latest")
        if spec.message:
            params["comment"] = spec.message
        if spec.author:
            params["author"] = spec.author
        if spec.labels:
            # Dockerfile instructions applied to the new image; quoted, so any label survives.
            params["changes"] = [f"LABEL {json.dumps(key)}={json.dumps(value)}" for key, value in spec.labels]
        try:
            self._request.send("POST", "/commit", params=params, body=b"{}",
                               headers={"Content-Type": "application/json"})
            answer = b"".join(iter(lambda: self._request.read(READ_SIZE), b""))
        except Cancelled:
            return None
        self._request.finish()
        try:
            return str(json.loads(answer)["Id"])
        except (ValueError, KeyError, TypeError) as error:
            raise EngineError(f"the engine's answer to the commit had no image id: {answer[:200]!r}") from error


# ----------------------------------------------------------- save, export


@dataclass(frozen=True)
class Written:
    """A finished save or export: where, and how many bytes."""

    path: Path
    size: int


class ArchiveWrite:
    """``docker save -o`` or ``docker export -o``: the engine's tar into ``path``.

    ``replace`` (asked first) writes beside the file and replaces it at the
    end, so a cancelled or failed one leaves the old file as it was.
    ``total`` is an estimate (0: unknown); ``answering`` turns true when the
    engine starts sending, ``written`` counts what is on disk.
    """

    def __init__(self, backend: DockerBackend, path: Path, what: str, request: tuple[str, tuple[str, ...], dict | None],
                 replace: bool = False, total: int = 0) -> None:
        self.path = path
        self.what = what
        self.total = total
        self.replace = replace
        self.written = 0
        self.answering = False
        self._request = ClosableRequest(backend)
        self._what_to_ask = request

    def close(self) -> None:
        self._request.close()

    def run(self) -> Written | None:
        """Write the whole archive; None when closed first. Raises ArchiveError or EngineError."""
        handle, partial = self._open_file()
        try:
            with handle:
                path, args, params = self._what_to_ask
                self._request.send("GET", path, *args, params=params)
                self.answering = True
                while chunk := self._request.read(READ_SIZE):
                    try:
                        handle.write(chunk)
                    except OSError as error:
                        raise ArchiveError(_file_problem(self.path, error)) from error
                    self.written += len(chunk)
        except Cancelled:
            _remove(partial)
            return None
        except EngineError as error:
            _remove(partial)
            if error.status == 404:
                raise ArchiveError(f"{self.what}: {error}", 404) from error
            raise
        except BaseException:
            _remove(partial)
            raise
        self._request.finish()
        if partial != self.path:
            os.replace(partial, self.path)
        return Written(self.path, self.written)

    def _open_file(self) -> tuple[IO[bytes], Path]:
        """The file written to: the path itself (made here, so another file of that name is never
        overwritten unasked), or, replacing, one beside it."""
        try:
            if self.replace:
                fd, name = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".part", dir=self.path.parent)
                # mkstemp's file is private (0600): the new one keeps the old one's permissions.
                os.chmod(name, stat.S_IMODE(self.path.stat().st_mode))
                return os.fdopen(fd, "wb"), Path(name)
            return open(self.path, "xb"), self.path
        except FileExistsError as error:
            raise ArchiveError(f"{self.path} exists now: choose to replace it, or another name") from error
        except OSError as error:
            raise ArchiveError(_file_problem(self.path, error)) from error


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def save_images(backend: DockerBackend, references: list[str], path: Path, replace: bool = False,
                total: int = 0) -> ArchiveWrite:
    """``docker save -o path ref…``: every image in one tar, layers they share once."""
    return ArchiveWrite(backend, path, ", ".join(references), ("/images/get", (), {"names": references}),
                        replace, total)


def export_container(backend: DockerBackend, container_id: str, name: str, path: Path,
                     replace: bool = False) -> ArchiveWrite:
    """``docker export -o path container``: its filesystem, flattened; no size is known ahead."""
    return ArchiveWrite(backend, path, name, ("/containers/{0}/export", (container_id,), None), replace)


# ------------------------------------------------------------------- load


@dataclass(frozen=True)
class LayerProgress:
    """The engine's "Loading layer" message: which, how far."""

    layer: str
    current: int
    total: int


class _CountingReader:
    """The file as the request body: counts what is sent; ``len`` gives the Content-Length."""

    def __init__(self, handle: IO[bytes], size: int, load: ArchiveLoad) -> None:
        self._handle = handle
        self._size = size
        self._load = load

    def __len__(self) -> int:
        return self._size

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size)
        self._load.sent += len(data)
        return data


class ArchiveLoad:
    """``docker load -i path``: ``sent`` of ``total`` bytes, then the engine's ``layer`` progress.

    ``run()`` returns what the engine says it loaded ("Loaded image: x:y"),
    or None when closed first. Once the whole file is sent, closing only
    stops the waiting: the engine has it and may still load it.
    """

    def __init__(self, backend: DockerBackend, path: Path) -> None:
        self.path = path
        self.total = path.stat().st_size
        self.sent = 0
        self.layer: LayerProgress | None = None
        self.loaded: list[str] = []
        self._request = ClosableRequest(backend)

    def close(self) -> None:
        self._request.close()

    def run(self) -> list[str] | None:
        try:
            with open(self.path, "rb") as handle:
                body = _CountingReader(handle, self.total, self)
                self._request.send("POST", "/images/load", params={"quiet": "0"}, body=body,
                                   headers={"Content-Type": "application/x-tar", "Content-Length": str(self.total)})
                for line in self._request.lines():
                    self._take(line)
        except Cancelled:
            return None
        except OSError as error:
            raise ArchiveError(f"cannot read {self.path}: {error.strerror or error}") from error
        self._request.finish()
        if not self.loaded:
            raise ArchiveError(f"the engine loaded nothing from {self.path}")
        return self.loaded

    def _take(self, line: bytes) -> None:
        if not line.strip():
            return
        try:
            message = json.loads(line)
        except ValueError:
            return  # not a progress message: nothing to show
        error = message.get("error") or (message.get("errorDetail") or {}).get("message")
        if error:
            raise ArchiveError(str(error).strip())
        text = str(message.get("stream") or "").strip()
        if text.startswith("Loaded image"):
            self.loaded.append(text)
        detail = message.get("progressDetail") or {}
        if message.get("status") and detail:
            self.layer = LayerProgress(str(message.get("id", "")), int(detail.get("current") or 0),
                                       int(detail.get("total") or 0))
