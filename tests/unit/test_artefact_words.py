"""What commit, export, save and load take from the user: the ``:`` line's words, file names, image names."""

from __future__ import annotations

import pytest

from dockertui.backend.artefacts import (
    check_commit_reference,
    default_file_name,
    source_path,
    target_path,
)
from dockertui.command_line import parse_line


@pytest.mark.parametrize(
    ("text", "verb", "flags", "args"),
    [
        ("commit web", "commit", {}, ("web",)),
        ("commit -m 'new [/foo] files' -a me web app:2", "commit",
         {"message": "new [/foo] files", "author": "me"}, ("web", "app:2")),
        ("commit --pause=false web", "commit", {"pause": False}, ("web",)),
        ("commit -p web", "commit", {"pause": True}, ("web",)),
        ("export -o fs.tar web", "export", {"output": "fs.tar"}, ("web",)),
        ("save -o all.tar busybox app:1", "save", {"output": "all.tar"}, ("busybox", "app:1")),
        ("docker save --output=one.tar busybox", "save", {"output": "one.tar"}, ("busybox",)),
        ("load -i all.tar", "load", {"input": "all.tar"}, ()),
        ("load", "load", {}, ()),
    ],
)
def test_artefact_lines_parse_as_the_cli_reads_them(text, verb, flags, args):
    command = parse_line(text)
    assert (command.verb, command.flags, command.args) == (verb, flags, args)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("commit", "missing argument"),
        ("commit web a b", "too many arguments"),
        ("commit -c 'CMD x' web", "commit does not take -c"),
        ("export web db", "too many arguments"),
        ("save", "missing argument"),
        ("load busybox", "too many arguments"),
        ("save -o", "-o needs a value"),
    ],
)
def test_what_is_wrong_with_an_artefact_line_is_said(text, problem):
    with pytest.raises(ValueError, match=problem):
        parse_line(text)


@pytest.mark.parametrize(
    ("name", "file"),
    [
        ("busybox:latest", "./busybox.tar"),
        ("team/app:1.2", "./team-app-1.2.tar"),
        ("localhost:5000/app:1", "./localhost-5000-app-1.tar"),
        ("sha256:0123456789ab", "./0123456789ab.tar"),
        ("web", "./web.tar"),
        ("../../etc/passwd", "./etc-passwd.tar"),
    ],
)
def test_default_file_names_are_plain_names_here(name, file):
    assert default_file_name(name) == file


def test_a_file_to_write_needs_a_name_in_a_folder_that_exists(tmp_path):
    assert target_path(str(tmp_path / "a.tar")) == tmp_path / "a.tar"
    with pytest.raises(ValueError, match="type the file"):
        target_path("  ")
    with pytest.raises(ValueError, match="is a folder"):
        target_path(str(tmp_path))
    with pytest.raises(ValueError, match="there is no folder"):
        target_path(str(tmp_path / "nowhere" / "a.tar"))


def test_a_file_to_load_must_be_there(tmp_path):
    (tmp_path / "a.tar").write_bytes(b"x")
    assert source_path(str(tmp_path / "a.tar")) == tmp_path / "a.tar"
    with pytest.raises(ValueError, match="there is no file"):
        source_path(str(tmp_path / "b.tar"))
    with pytest.raises(ValueError, match="is not a file"):
        source_path(str(tmp_path))


def test_a_commit_names_its_image_as_docker_tag_does():
    assert check_commit_reference("") == ""
    assert check_commit_reference("app") == "app:latest"
    assert check_commit_reference("registry.example.com:5000/team/app:2") == "registry.example.com:5000/team/app:2"
    for bad, problem in (("App", "lowercase"), ("a b", "no spaces"), ("app@sha256:" + "0" * 64, "not a digest")):
        with pytest.raises(ValueError, match=problem):
            check_commit_reference(bad)
