"""A container's files through the archive API (no shell or ls needed in the container).

``GET /containers/{id}/archive?path=`` answers with a tar of the path and its
stat in a header; ``HEAD`` gives the stat alone. A directory's tar holds
everything under it, so listing one reads every member's header and lets the
rest of the bytes go by: the direct children are kept, a sub-directory's
contents are not. A big tree still crosses the wire, so a listing stops at a
cap (LIMITS) and says so, and a ``Stopper`` shuts the connection from another
thread, which is what frees a reader blocked on it. It works on a stopped
container too. ``docker diff`` is here as well: what changed since the image.
"""

from __future__ import annotations

import base64
import binascii
import json
import posixpath
import re
import stat
import tarfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from dockertui.backend.errors import EngineError
from dockertui.backend.streams import close_response

if TYPE_CHECKING:
    from dockertui.backend.client import DockerBackend

# Go's os.FileMode bits in the stat header.
GO_DIR = 1 << 31
GO_SYMLINK = 1 << 27
GO_SPECIAL = (1 << 26) | (1 << 25) | (1 << 24) | (1 << 21)  # device, pipe, socket, char device
# tarfile's stream mode reads this much at a time: its default, 10 KiB, makes
# ten thousand small reads of a 100 MB file it only skips; more costs a copy of
# the rest of the buffer at each small member's header.
READ_BLOCK = 64 * 1024
# A file's first bytes shown by the viewer; a NUL among the first ones means binary.
VIEW_BYTES = 256 * 1024
SNIFF_BYTES = 8192
# Links followed to find what a path finally is (a loop ends here).
MAX_HOPS = 16
PROGRESS_SECONDS = 0.2
CHANGE_KINDS = {0: "C", 1: "A", 2: "D"}  # docker diff: changed, added, deleted


@dataclass(frozen=True)
class Limits:
    """Where a listing stops: entries shown, and bytes read (a sub-tree's file data passes by too)."""

    entries: int = 10_000
    bytes: int = 512 * 1024 * 1024


LIMITS = Limits()
UNCAPPED = Limits(bytes=1 << 62)  # a listing read on: the entries' cap stays, the table has to hold them


@dataclass(frozen=True)
class FileEntry:
    """One entry of a directory: ``kind`` is dir, file, link or other (a device, a pipe)."""

    name: str
    kind: str
    size: int
    mode: int  # st_mode: type and permission bits, for stat.filemode
    mtime: float  # epoch seconds
    link_target: str = ""

    @property
    def mode_text(self) -> str:
        return stat.filemode(self.mode)


@dataclass(frozen=True)
class Listing:
    """A directory's entries, dirs first; ``cut`` says why it stopped early ("" if whole)."""

    path: str
    entries: tuple[FileEntry, ...]
    cut: str = ""
    bytes_read: int = 0
    seconds: float = 0.0
    read_on: bool = False  # cut by the byte cap: reading on (without it) would find more



@dataclass(frozen=True)
class PathStat:
    """The stat header of a path, as the engine reports it (links not followed)."""

    name: str
    size: int
    mode: int  # Go's os.FileMode
    link_target: str = ""
    mtime: float = 0.0  # epoch seconds

    @property
    def is_dir(self) -> bool:
        return bool(self.mode & GO_DIR)

    @property
    def is_link(self) -> bool:
        return bool(self.mode & GO_SYMLINK)


@dataclass(frozen=True)
class FileContent:
    """A file's first bytes as text; ``text`` None: binary. ``size`` is the whole file's."""

    path: str
    size: int
    text: str | None
    cut: bool = False


@dataclass(frozen=True)
class FileChange:
    """One line of ``docker diff``: ``kind`` A (added), C (changed) or D (deleted)."""

    path: str
    kind: str


@dataclass(frozen=True)
class Progress:
    """How far a transfer got: tar members seen and bytes read or sent."""

    members: int
    bytes: int


class Stopped(Exception):
    """The user stopped the transfer (its connection was shut)."""


class ReadEnough(Exception):
    """A listing read as many bytes as it may (Limits.bytes)."""


class Throttle:
    """Passes progress on at most every PROGRESS_SECONDS: each one is a message to the UI."""

    def __init__(self, progress: Callable[[Progress], None] | None) -> None:
        self._progress = progress
        self._told = time.monotonic()

    def __call__(self, members: int, count: int) -> None:
        now = time.monotonic()
        if self._progress is not None and now - self._told >= PROGRESS_SECONDS:
            self._told = now
            self._progress(Progress(members, count))


class Stopper:
    """Stops one transfer from any thread: shuts the connection it reads, or ends the body it sends."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._response: Any = None
        self._stopped = False

    @property
    def stopped(self) -> bool:
        return self._stopped

    def stop(self) -> None:
        """The user's stop: shutting the socket is what frees a reader blocked on it."""
        with self._lock:
            self._stopped = True
            response, self._response = self._response, None
        if response is not None:
            close_response(response)

    def hold(self, response: Any) -> None:
        """The response to shut on stop; one stopped already is shut at once."""
        with self._lock:
            self._response = response
            stopped = self._stopped
        if stopped:
            close_response(response)
            raise Stopped()

    def done(self) -> None:
        """The reader's own end, from its thread: the rest of the body is not wanted.

        Closed here rather than shut by stop(): a body read to its end has given
        its connection back to the pool, where another request may have it now.
        """
        with self._lock:
            response, self._response = self._response, None
        if response is not None:
            response.close()

    def check(self) -> None:
        if self._stopped:
            raise Stopped()


def megabytes(count: int) -> str:
    return f"{count / 1_000_000:,.1f} MB"


def parse_stat(header: str | None) -> PathStat | None:
    """X-Docker-Container-Path-Stat: base64 of a JSON object."""
    if not header:
        return None
    try:
        raw = json.loads(base64.b64decode(header))
    except (binascii.Error, ValueError):
        return None
    return PathStat(str(raw.get("name", "")), int(raw.get("size") or 0), int(raw.get("mode") or 0),
                    str(raw.get("linkTarget") or ""), epoch_seconds(str(raw.get("mtime") or "")))


def epoch_seconds(stamp: str) -> float:
    """An RFC 3339 time as Go writes it (nanoseconds, Z), as epoch seconds; 0 if unreadable."""
    match = re.fullmatch(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)", stamp)
    if match is None:
        return 0.0
    whole, fraction, zone = match.groups()
    when = datetime.fromisoformat(whole + ("+00:00" if zone == "Z" else zone))
    return when.timestamp() + float(f"0.{fraction or 0}")


def _archive_url(backend: DockerBackend, container_id: str) -> str:
    return backend.api._url("/containers/{0}/archive", container_id)


def _raise_for_status(backend: DockerBackend, response: Any, path: str) -> None:
    import docker.errors

    try:
        backend.api._raise_for_status(response)
    except docker.errors.APIError as error:
        response.close()
        message = error.explanation or str(error)
        if not isinstance(message, str) or not message.strip():
            message = f"{path}: not found" if error.status_code == 404 else str(error)
        raise EngineError(message, error.status_code) from error


def stat_path(backend: DockerBackend, container_id: str, path: str) -> PathStat:
    """The stat of ``path`` (a link itself, not what it points to); EngineError 404 if none."""
    response = backend.call("head", _archive_url(backend, container_id), params={"path": path})
    if response.status_code == 404:
        raise EngineError(f"{path}: no such file, or the container is gone", 404)
    _raise_for_status(backend, response, path)
    found = parse_stat(response.headers.get("X-Docker-Container-Path-Stat"))
    if found is None:
        raise EngineError(f"the engine sent no stat for {path}")
    return found


def in_order(entries: Iterable[FileEntry]) -> tuple[FileEntry, ...]:
    """Folders first, then by name, as file managers list them."""
    return tuple(sorted(entries, key=lambda entry: (entry.kind != "dir", entry.name)))


def entry_at(backend: DockerBackend, container_id: str, path: str) -> FileEntry:
    """``path`` as a listing's entry, from its stat alone (no archive read)."""
    found = stat_path(backend, container_id, path)
    if found.is_dir:
        kind, bits = "dir", stat.S_IFDIR
    elif found.is_link:
        kind, bits = "link", stat.S_IFLNK
    elif found.mode & GO_SPECIAL:
        kind, bits = "other", 0
    else:
        kind, bits = "file", stat.S_IFREG
    return FileEntry(posixpath.basename(path), kind, found.size if kind == "file" else 0, bits | (found.mode & 0o777),
                     found.mtime, found.link_target)


def resolve(backend: DockerBackend, container_id: str, path: str) -> tuple[str, PathStat]:
    """Follow ``path``'s links, as the container would: the final path and its stat."""
    target = path
    for _ in range(MAX_HOPS):
        try:
            found = stat_path(backend, container_id, target)
        except EngineError as error:
            if error.status == 404 and target != path:
                raise EngineError(f"{path} points to {target}, which does not exist", 404) from error
            raise
        if not found.is_link:
            return target, found
        target = posixpath.normpath(posixpath.join(posixpath.dirname(target), found.link_target))
    raise EngineError(f"{path}: too many links in a row (a loop?)")


class ArchiveReader:
    """The tar of one path as a file object, read as it arrives; counts the bytes.

    ``watch`` sees the count after every read: a single big file is read
    inside one step of tarfile's, and its progress and caps count too.
    """

    def __init__(self, response: Any, found: PathStat | None, stopper: Stopper) -> None:
        self._raw = response.raw
        self.stat = found
        self.bytes_read = 0
        self._stopper = stopper
        self.watch: Callable[[int], None] | None = None

    def read(self, size: int = -1) -> bytes:
        self._stopper.check()
        try:
            data = self._raw.read(None if size < 0 else size, decode_content=True)
        except Exception as error:  # a socket shut by stop() fails in several ways
            if self._stopper.stopped:
                raise Stopped() from error
            raise EngineError(f"the engine's archive broke off: {error}") from error
        self.bytes_read += len(data)
        if self.watch is not None:
            self.watch(self.bytes_read)
        return data


def open_archive(backend: DockerBackend, container_id: str, path: str, stopper: Stopper) -> ArchiveReader:
    """GET the tar of ``path``; EngineError if the engine refuses (404: no such path or container)."""
    # On a local socket the engine's gzip is what limits the speed (three times
    # slower in a probe); over a network the fewer bytes are worth it.
    headers = {"Accept-Encoding": "identity"} if backend.is_local else None
    response = backend.call("_get", _archive_url(backend, container_id), params={"path": path},
                            stream=True, headers=headers)
    _raise_for_status(backend, response, path)
    stopper.hold(response)
    return ArchiveReader(response, parse_stat(response.headers.get("X-Docker-Container-Path-Stat")), stopper)


def tar_members(reader: ArchiveReader, stopper: Stopper) -> Iterator[tuple[tarfile.TarFile, tarfile.TarInfo]]:
    """The archive's members in order (stream mode: each one's data can be read only while it is current)."""
    try:
        tar = tarfile.open(fileobj=reader, mode="r|", bufsize=READ_BLOCK)
        for member in tar:
            yield tar, member
            tar.members.clear()  # stream mode keeps every header otherwise
    except tarfile.TarError as error:
        if stopper.stopped:
            raise Stopped() from error
        raise EngineError(f"the engine's archive could not be read: {error}") from error


def _type_bits(member: tarfile.TarInfo) -> tuple[str, int]:
    if member.isdir():
        return "dir", stat.S_IFDIR
    if member.issym():
        return "link", stat.S_IFLNK
    if member.isfile() or member.islnk():
        return "file", stat.S_IFREG
    if member.ischr():
        return "other", stat.S_IFCHR
    if member.isblk():
        return "other", stat.S_IFBLK
    return "other", stat.S_IFIFO if member.isfifo() else 0


def entry_of(name: str, member: tarfile.TarInfo) -> FileEntry:
    kind, bits = _type_bits(member)
    return FileEntry(name, kind, member.size if kind == "file" else 0, bits | (member.mode & 0o7777),
                     float(member.mtime), member.linkname if member.issym() else "")


def child_name(root: str | None, name: str) -> str | None:
    """``name``'s path under the archive's root member (``root`` "" for ``/``), or None for the root."""
    name = name.rstrip("/")
    if root is None or name == root:
        return None
    if not root:
        return name.lstrip("/") or None
    return name[len(root) + 1:] if name.startswith(root + "/") else None


def list_directory(
    backend: DockerBackend, container_id: str, path: str, stopper: Stopper,
    progress: Callable[[Progress], None] | None = None, limits: Limits | None = None,
) -> Listing:
    """The direct children of directory ``path`` (a link to one is followed); ``limits``: LIMITS."""
    limits = limits or LIMITS
    started = time.monotonic()
    try:
        reader = open_archive(backend, container_id, path.rstrip("/") + "/", stopper)
    except EngineError as error:
        # The engine's words name its own storage path ("lstat /var/lib/docker/overlay2/…").
        if "not a directory" in str(error):
            raise EngineError(f"{path} is not a directory", error.status) from error
        raise
    if reader.stat is not None and not reader.stat.is_dir:
        stopper.done()
        raise EngineError(f"{path} is not a directory")
    entries: dict[str, FileEntry] = {}
    root: str | None = None
    cut = ""
    members = 0
    throttle = Throttle(progress)

    def watch(count: int) -> None:
        if count >= limits.bytes:
            raise ReadEnough()
        throttle(members, count)

    reader.watch = watch
    try:
        for _, member in tar_members(reader, stopper):
            members += 1
            if root is None:
                root = member.name.rstrip("/")  # "" for "/": its children are "/bin" …
                continue
            relative = child_name(root, member.name)
            if relative:
                first, _, rest = relative.partition("/")
                if not rest:
                    entries[first] = entry_of(first, member)
                elif first not in entries:  # a tar without its directory's own member
                    entries[first] = FileEntry(first, "dir", 0, stat.S_IFDIR | 0o755, float(member.mtime))
            if len(entries) >= limits.entries:
                cut = f"stopped at {limits.entries:,} entries"
                break
    except ReadEnough:
        cut = f"stopped after reading {megabytes(limits.bytes)}"
    finally:
        stopper.done()
    return Listing(path, in_order(entries.values()), cut, reader.bytes_read, time.monotonic() - started,
                   read_on=cut.startswith("stopped after reading"))


def read_file(backend: DockerBackend, container_id: str, path: str, stopper: Stopper,
              max_bytes: int = VIEW_BYTES) -> FileContent:
    """The first ``max_bytes`` of a file (a link to one is followed), as text, or None if binary."""
    target, found = resolve(backend, container_id, path)
    if found.is_dir:
        raise EngineError(f"{path} is a directory")
    reader = open_archive(backend, container_id, target, stopper)
    try:
        for tar, member in tar_members(reader, stopper):
            if not member.isfile():
                raise EngineError(f"{path} is not a regular file")
            handle = tar.extractfile(member)
            data = handle.read(max_bytes) if handle is not None else b""
            cut = member.size > len(data)
            if b"\x00" in data[:SNIFF_BYTES]:
                return FileContent(path, member.size, None, cut)
            # A cut can split a character: the replacement is for that one at most.
            return FileContent(path, member.size, data.decode("utf-8", errors="replace"), cut)
    finally:
        stopper.done()
    raise EngineError(f"the engine sent an empty archive for {path}")


def start_directory(backend: DockerBackend, container_id: str) -> str:
    """Where browsing starts: the container's working directory, else ``/``."""
    config = backend.inspect_container(container_id).get("Config") or {}
    return str(config.get("WorkingDir") or "/")


def container_changes(backend: DockerBackend, container_id: str) -> list[FileChange]:
    """``docker diff``: what was added, changed or deleted since the image, by path."""
    raw = backend.call("diff", container_id) or []
    changes = [FileChange(str(item.get("Path", "")), CHANGE_KINDS.get(item.get("Kind"), "?")) for item in raw]
    return sorted(changes, key=lambda change: change.path)
