"""``docker cp`` both ways, through the archive API.

Out: the engine's tar of a path is written to a local path as it arrives,
member by member, and nothing may land outside that path: a member named
absolutely or with ``..`` stops the copy (UnsafeArchive), a link that points
outside is left out (and named in the result), a file is never written
through a link, and a device or a pipe is not made. In: a local file or
folder is tarred into a temporary file (owned by root, as ``docker cp``
makes it), then sent with its length, so progress is a share of the whole.
"""

from __future__ import annotations

import os
import posixpath
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, TYPE_CHECKING

from dockertui.backend.errors import EngineError
from dockertui.backend.files import (
    Progress,
    Stopper,
    Throttle,
    open_archive,
    resolve,
    tar_members,
)

if TYPE_CHECKING:
    from dockertui.backend.client import DockerBackend

WRITE_BLOCK = 1024 * 1024
# An upload of a big folder may take the engine a while to unpack after the last byte.
UPLOAD_ANSWER_SECONDS = 300


class UnsafeArchive(EngineError):
    """A member of the archive would land outside the destination: nothing more is written."""


@dataclass(frozen=True)
class CopyResult:
    """What a copy wrote: regular files, their bytes, and what it left out, with why."""

    destination: str
    files: int
    bytes: int
    skipped: tuple[str, ...] = ()


def destination_for(typed: str, name: str, is_dir: bool) -> Path:
    """Where a copy out goes: the path typed, or ``name`` inside it when it ends in ``/``
    or is a folder and a file is copied (as ``cp`` does)."""
    path = Path(typed.strip()).expanduser()
    if typed.strip().endswith("/") or (path.is_dir() and not is_dir):
        return path / name
    return path


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


class SafeExtractor:
    """Writes an archive's members under ``destination``, refusing any that would leave it.

    The first member is the copied item itself (the engine names it by its
    basename, or "" for ``/``); it becomes ``destination``.
    """

    def __init__(self, destination: Path) -> None:
        self.destination = destination
        self._root: str | None = None
        self._real: str = ""
        self.files = 0
        self.bytes = 0
        self.skipped: list[str] = []
        self._written: set[str] = set()  # archive names of the files written, for hard links
        self._dirs: list[tuple[Path, tarfile.TarInfo]] = []

    def relative(self, name: str) -> PurePosixPath:
        """The member's path under the copied item; UnsafeArchive if it is not under it."""
        if self._root is None:
            self._root = name.rstrip("/")
            return PurePosixPath()
        root = self._root
        if not root:
            inner = name.lstrip("/") if name.startswith("/") else None
        elif name.rstrip("/") == root:
            inner = ""
        else:
            inner = name[len(root) + 1:] if name.startswith(root + "/") else None
        relative = PurePosixPath(inner or "")
        if inner is None or inner.startswith("/") or ".." in relative.parts:
            raise UnsafeArchive(f"refused the archive: its member {name!r} would land outside the destination")
        return relative

    def target(self, relative: PurePosixPath) -> Path:
        target = self.destination.joinpath(*relative.parts)
        # Every write goes into a real folder under the destination: never through a link out of it.
        parent = os.path.realpath(target.parent)
        if relative.parts and not _inside(parent, self._real):
            raise UnsafeArchive(f"refused to write {relative}: a link in the destination leads outside it")
        return target

    def add(self, tar: tarfile.TarFile, member: tarfile.TarInfo, stopper: Stopper) -> None:
        relative = self.relative(member.name)
        if not relative.parts:
            self._start(member)
        target = self.target(relative)
        if relative.parts:
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # a tar may leave a folder out
        shown = str(relative) if relative.parts else self.destination.name
        if member.isdir():
            if relative.parts:  # the copied folder itself was made by _start
                if target.is_symlink() or (target.exists() and not target.is_dir()):
                    raise EngineError(f"{target} is there and is not a folder: not replaced")
                target.mkdir(mode=0o700, exist_ok=True)
            self._dirs.append((target, member))
        elif member.isfile():
            self._write(tar, member, target, stopper)
        elif member.issym():
            # A relative link stays inside if, followed from where it sits, it does.
            landing = posixpath.normpath(posixpath.join(str(relative.parent), member.linkname))
            if member.linkname.startswith("/") or not relative.parts or landing == ".." or landing.startswith("../"):
                self.skipped.append(f"{shown}: a link to {member.linkname}, outside the copy")
                return
            self._clear(target)
            os.symlink(member.linkname, target)
        elif member.islnk():
            # Only to a file this copy wrote: that one is under the destination.
            if member.linkname.rstrip("/") not in self._written:
                self.skipped.append(f"{shown}: a hard link to {member.linkname}, not in the copy")
                return
            source = self.target(self.relative(member.linkname))
            self._clear(target)
            os.link(source, target)
            self.files += 1
        else:
            self.skipped.append(f"{shown}: a device or pipe, not made")

    def _start(self, member: tarfile.TarInfo) -> None:
        """The copied item: its folder, if it is one, is the destination itself."""
        if member.isdir():
            if self.destination.exists() and not self.destination.is_dir():
                raise EngineError(f"{self.destination} is there and is not a folder: not replaced")
            self.destination.mkdir(mode=0o700, parents=True, exist_ok=True)
        else:
            self.destination.parent.mkdir(parents=True, exist_ok=True)
        self._real = os.path.realpath(self.destination if member.isdir() else self.destination.parent)
        if not member.isdir():
            self._real = os.path.join(self._real, self.destination.name)

    def _clear(self, target: Path) -> None:
        """A file or link where a file or link goes is replaced (the user said so); a folder is not."""
        if target.is_symlink() or target.is_file():
            target.unlink()
        elif target.exists():
            raise EngineError(f"{target} is a folder here: not replaced")

    def _write(self, tar: tarfile.TarFile, member: tarfile.TarInfo, target: Path, stopper: Stopper) -> None:
        self._clear(target)
        source = tar.extractfile(member)
        # O_NOFOLLOW: a link put there meanwhile is not followed.
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            while source is not None and (block := source.read(WRITE_BLOCK)):
                stopper.check()
                out.write(block)
                self.bytes += len(block)
        os.chmod(target, member.mode & 0o777)
        os.utime(target, (member.mtime, member.mtime))
        self.files += 1
        self._written.add(member.name.rstrip("/"))

    def finish(self) -> None:
        """Folders get their modes and times last: writing into them changed both."""
        for folder, member in reversed(self._dirs):
            os.chmod(folder, (member.mode & 0o777) | 0o700)
            os.utime(folder, (member.mtime, member.mtime))


def extract(members: Iterator[tuple[tarfile.TarFile, tarfile.TarInfo]], destination: Path,
            stopper: Stopper) -> CopyResult:
    """Write the archive's members under ``destination`` (see SafeExtractor)."""
    extractor = SafeExtractor(destination)
    for tar, member in members:
        extractor.add(tar, member, stopper)
    extractor.finish()
    return CopyResult(str(destination), extractor.files, extractor.bytes, tuple(extractor.skipped))


def copy_out(backend: DockerBackend, container_id: str, path: str, destination: Path, stopper: Stopper,
             progress: Callable[[Progress], None] | None = None) -> CopyResult:
    """``docker cp CONTAINER:PATH DESTINATION``; a link at ``path`` is followed."""
    target, _ = resolve(backend, container_id, path)
    reader = open_archive(backend, container_id, target, stopper)
    throttle = Throttle(progress)
    reader.watch = lambda count: throttle(0, count)
    try:
        return extract(tar_members(reader, stopper), destination, stopper)
    except OSError as error:
        raise EngineError(f"could not write {error.filename or destination}: {error.strerror or error}") from error
    finally:
        stopper.done()


class UploadBody:
    """A temporary tar file sent as a request body: counted, and ended by the stopper."""

    def __init__(self, file: IO[bytes], size: int, stopper: Stopper, progress: Callable[[Progress], None] | None) -> None:
        self._file = file
        self._size = size
        self._stopper = stopper
        self._throttle = Throttle(progress)
        self._sent = 0

    def __len__(self) -> int:
        return self._size

    def read(self, size: int = -1) -> bytes:
        self._stopper.check()
        data = self._file.read(size)
        self._sent += len(data)
        self._throttle(0, self._sent)
        return data


def tar_local(local: Path, out: IO[bytes], stopper: Stopper) -> tuple[int, int]:
    """Tar ``local`` (a link given is followed) into ``out``; (files, bytes) in it."""
    counted = [0, 0]

    def owned_by_root(info: tarfile.TarInfo) -> tarfile.TarInfo:
        stopper.check()
        info.uid = info.gid = 0
        info.uname = info.gname = "root"
        if info.isfile():
            counted[0] += 1
            counted[1] += info.size
        return info

    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        tar.add(local.resolve() if local.is_symlink() else local, arcname=local.name, filter=owned_by_root)
    return counted[0], counted[1]


def copy_in(backend: DockerBackend, container_id: str, local: Path, directory: str, stopper: Stopper,
            progress: Callable[[Progress], None] | None = None) -> CopyResult:
    """``docker cp LOCAL CONTAINER:DIRECTORY``: ``local`` lands in ``directory`` under its own name."""
    local = local.expanduser()
    if not local.exists():
        raise EngineError(f"{local}: no such file or folder here")
    with tempfile.TemporaryFile(prefix="dockertui-cp-") as spool:
        try:
            files, size = tar_local(local, spool, stopper)
        except OSError as error:
            raise EngineError(f"could not read {error.filename or local}: {error.strerror or error}") from error
        length = spool.tell()
        spool.seek(0)
        body = UploadBody(spool, length, stopper, progress)
        api = backend.api
        url = api._url("/containers/{0}/archive", container_id)
        response = backend.call("_put", url, params={"path": directory}, data=body,
                                timeout=(api.timeout, UPLOAD_ANSWER_SECONDS))
        try:
            _raise_for_put(backend, response)
        finally:
            response.close()
    return CopyResult(posixpath.join(directory, local.name), files, size)


def _raise_for_put(backend: DockerBackend, response: object) -> None:
    import docker.errors

    try:
        backend.api._raise_for_status(response)
    except docker.errors.APIError as error:
        raise EngineError(error.explanation or str(error), error.status_code) from error
