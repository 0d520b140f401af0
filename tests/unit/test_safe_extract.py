"""Copying out of a container writes nothing outside the destination, whatever the archive names."""

from __future__ import annotations

import io
import os
import tarfile
from pathlib import Path

import pytest

from dockertui.backend.archive_copy import UnsafeArchive, destination_for, extract
from dockertui.backend.files import Stopper, child_name


def archive(*members: tuple[str, str, str]) -> io.BytesIO:
    """A tar of (name, kind, content or link target) members, kind "dir", "file", "link" or "hard"."""
    data = io.BytesIO()
    with tarfile.open(fileobj=data, mode="w") as tar:
        for name, kind, value in members:
            info = tarfile.TarInfo(name)
            info.mtime = 1_700_000_000
            if kind == "dir":
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                tar.addfile(info)
            elif kind == "file":
                info.size, info.mode = len(value.encode()), 0o644
                tar.addfile(info, io.BytesIO(value.encode()))
            else:
                info.type = tarfile.SYMTYPE if kind == "link" else tarfile.LNKTYPE
                info.linkname = value
                tar.addfile(info)
    data.seek(0)
    return data


def run(data: io.BytesIO, destination: Path):
    tar = tarfile.open(fileobj=data, mode="r|")
    return extract(((tar, member) for member in tar), destination, Stopper())


def test_a_folder_is_written_whole_at_the_destination(tmp_path):
    result = run(archive(("data", "dir", ""), ("data/a.txt", "file", "[bold]a[/]"), ("data/sub", "dir", ""),
                         ("data/sub/b", "file", "b"), ("data/rel", "link", "sub/b"), ("data/hard", "hard", "data/a.txt")),
                 tmp_path / "out")
    assert (tmp_path / "out/a.txt").read_text() == "[bold]a[/]"
    assert (tmp_path / "out/sub/b").read_text() == "b"
    assert os.readlink(tmp_path / "out/rel") == "sub/b"
    assert (tmp_path / "out/hard").read_text() == "[bold]a[/]"
    assert (result.files, result.bytes, result.skipped) == (3, 11, ())


@pytest.mark.parametrize("hostile", ["../evil", "data/../evil", "data/sub/../../evil", "/evil", "other/evil"])
def test_a_member_outside_the_copied_item_stops_the_copy(tmp_path, hostile):
    destination = tmp_path / "dest" / "out"
    with pytest.raises(UnsafeArchive, match="outside the destination"):
        run(archive(("data", "dir", ""), (hostile, "file", "owned")), destination)
    assert not (tmp_path / "evil").exists() and not (tmp_path / "dest" / "evil").exists()
    assert not any(path.name == "evil" for path in tmp_path.rglob("*"))


def test_links_that_point_outside_are_left_out_and_named(tmp_path):
    result = run(archive(("data", "dir", ""), ("data/abs", "link", "/etc/passwd"), ("data/up", "link", "../../x"),
                         ("data/sub", "dir", ""), ("data/sub/up", "link", "../.."),
                         ("data/hard", "hard", "elsewhere/secret")), tmp_path / "out")
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == ["sub"]
    assert [reason.split(":")[0] for reason in result.skipped] == ["abs", "up", "sub/up", "hard"]


def test_nothing_is_written_through_a_link_already_in_the_destination(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "sub").symlink_to(outside)
    with pytest.raises(UnsafeArchive, match="leads outside"):
        run(archive(("data", "dir", ""), ("data/sub/owned", "file", "x")), tmp_path / "out")
    assert list(outside.iterdir()) == []


def test_a_file_replaces_a_link_instead_of_writing_through_it(tmp_path):
    target = tmp_path / "target"
    target.write_text("keep")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "a").symlink_to(target)
    run(archive(("data", "dir", ""), ("data/a", "file", "new")), tmp_path / "out")
    assert target.read_text() == "keep"
    assert not (tmp_path / "out" / "a").is_symlink() and (tmp_path / "out" / "a").read_text() == "new"


def test_where_a_copy_goes(tmp_path):
    assert destination_for(str(tmp_path / "x"), "hosts", is_dir=False) == tmp_path / "x"
    assert destination_for(f"{tmp_path}/", "hosts", is_dir=False) == tmp_path / "hosts"
    assert destination_for(str(tmp_path), "hosts", is_dir=False) == tmp_path / "hosts"
    assert destination_for(str(tmp_path), "data", is_dir=True) == tmp_path


def test_direct_children_under_the_archive_root():
    assert child_name("bin", "bin/sh") == "sh"
    assert child_name("bin", "bin") is None
    assert child_name("", "/etc/hosts") == "etc/hosts"
    assert child_name("bin", "binary/x") is None
