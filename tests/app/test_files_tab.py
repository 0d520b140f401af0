"""The Files tab against the real engine: browse, view, copy out and in, docker diff, and what goes wrong."""

from __future__ import annotations

import io
import tarfile
import threading

import pytest
from textual.widgets import TextArea

from dockertui.app import DockerTUI
from dockertui.backend import DockerBackend, EngineError
from dockertui.backend import files as backend_files
from dockertui.backend.files import (
    Limits,
    Stopped,
    Stopper,
    container_changes,
    list_directory,
    read_file,
)
from dockertui.screens.confirm import ConfirmScreen
from dockertui.screens.file_viewer import FileViewerScreen
from dockertui.widgets.file_table import UP
from dockertui.widgets.files_pane import FilesPane
from dockertui.widgets.theme_roles import CHANGE_ADDED, CHANGE_CHANGED, CHANGE_DELETED
from tests.support.pilot import (
    connected_app,
    dashboard_up,
    paste_line,
    screen_with,
    select_row,
    wait_until,
)

pytestmark = pytest.mark.integration

SIZE = (120, 36)
# Markup, a colour, a window title (OSC) and a link: all must show as the plain text they are.
HOSTILE_NAME = "[bold]x [$accent] [link=x]y.txt"  # a file name cannot hold a slash, so no closing tag
HOSTILE = "[bold]x[/] \x1b[31mred\x1b[0m \x1b]0;owned\x07[link=http://x]y[/link] [$accent]\n"
SHOWN = "[bold]x[/] red [link=http://x]y[/link] [$accent]\n"
BINARY = bytes(range(256)) * 4
FILES = {"a.txt": b"alpha\n", "sub/deep.txt": b"deep\n", "sub/deeper/x.txt": b"x" * 3000,
         HOSTILE_NAME: HOSTILE.encode(), "bin.dat": BINARY}


def tar_of(files: dict[str, bytes], links: dict[str, str] | None = None) -> bytes:
    """A tar of ``files`` (path -> bytes) and symbolic ``links`` (path -> target)."""
    data = io.BytesIO()
    with tarfile.open(fileobj=data, mode="w") as tar:
        for name, body in files.items():
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(body), 0o644
            tar.addfile(info, io.BytesIO(body))
        for name, target in (links or {}).items():
            info = tarfile.TarInfo(name)
            info.type, info.linkname = tarfile.SYMTYPE, target
            tar.addfile(info)
    return data.getvalue()


def read_back(container, path: str) -> bytes:
    """A file's bytes as the engine has them (the SDK's own get_archive)."""
    stream, _ = container.get_archive(path)
    with tarfile.open(fileobj=io.BytesIO(b"".join(stream))) as tar:
        member = tar.next()
        return tar.extractfile(member).read()


@pytest.fixture
def data_container(make_container):
    """A running container that starts in /data, with FILES there and a link to sub."""
    container = make_container(command=["sleep", "300"], working_dir="/data")
    container.put_archive("/data", tar_of(FILES, {"link": "sub"}))
    return container


@pytest.fixture
def backend(engine_target):
    backend = DockerBackend.connect(engine_target)
    yield backend
    backend.close()


def heading(pane: FilesPane) -> str:
    return str(pane.query_one("#files-heading").render())


def rows(pane: FilesPane) -> list[str]:
    return [row.key.value for row in pane.table.ordered_rows]


async def files_tab(pilot, container) -> FilesPane:
    """The Files tab of ``container``, shown and focused, once its first listing is in."""
    dashboard = await connected_app(pilot)
    await select_row(pilot, dashboard.containers, container.id)
    await pilot.press("f")
    pane = dashboard.query_one(FilesPane)
    await wait_until(pilot, lambda: pane.path is not None and not pane.busy, what=lambda: heading(pane))
    pane.table.focus()
    return pane


async def on_row(pilot, pane: FilesPane, key: str) -> None:
    await wait_until(pilot, lambda: key in pane.table.rows, what=f"row {key}")
    pane.table.move_cursor(row=pane.table.get_row_index(key))
    await pilot.pause()


# ------------------------------------------------------------------ backend


def test_a_listing_holds_the_direct_children_only_and_works_on_a_stopped_container(backend, data_container):
    listing = list_directory(backend, data_container.id, "/data", Stopper())
    assert [(entry.name, entry.kind) for entry in listing.entries] == [
        ("sub", "dir"), (HOSTILE_NAME, "file"), ("a.txt", "file"), ("bin.dat", "file"), ("link", "link")]
    assert listing.cut == ""
    assert [entry.link_target for entry in listing.entries if entry.kind == "link"] == ["sub"]
    assert "sh" in {entry.name for entry in list_directory(backend, data_container.id, "/bin", Stopper()).entries}
    # A link to a folder lists the folder; a stopped container is still readable.
    data_container.stop(timeout=0)
    assert [e.name for e in list_directory(backend, data_container.id, "/data/link", Stopper()).entries] == [
        "deeper", "deep.txt"]
    cut = list_directory(backend, data_container.id, "/data", Stopper(), limits=Limits(entries=2))
    assert len(cut.entries) == 2 and "2 entries" in cut.cut
    with pytest.raises(EngineError, match="is not a directory"):
        list_directory(backend, data_container.id, "/data/a.txt", Stopper())
    with pytest.raises(EngineError) as missing:
        list_directory(backend, data_container.id, "/nowhere", Stopper())
    assert missing.value.status == 404


def test_a_file_is_read_as_text_or_named_binary(backend, data_container):
    content = read_file(backend, data_container.id, f"/data/{HOSTILE_NAME}", Stopper())
    assert content.text == HOSTILE and not content.cut
    binary = read_file(backend, data_container.id, "/data/bin.dat", Stopper())
    assert binary.text is None and binary.size == len(BINARY)
    cut = read_file(backend, data_container.id, "/data/sub/deeper/x.txt", Stopper(), max_bytes=100)
    assert cut.text == "x" * 100 and cut.cut and cut.size == 3000
    # /bin/sh is a link to busybox: followed, and found binary.
    assert read_file(backend, data_container.id, "/bin/sh", Stopper()).text is None


def test_a_listing_that_would_never_end_stops_when_asked(backend, make_container):
    """A sparse 50 GB file: the engine streams every zero of it, so only a stop ends the listing soon."""
    container = make_container(command=["sh", "-c", "mkdir /huge && dd if=/dev/zero of=/huge/zero bs=1 count=0 seek=50G"
                                         " 2>/dev/null; sleep 300"])
    container.exec_run(["sh", "-c", "while [ ! -e /huge/zero ]; do sleep 0.1; done"])
    stopper = Stopper()
    seen = threading.Event()
    outcome: list[object] = []

    def listing() -> None:
        try:
            outcome.append(list_directory(backend, container.id, "/huge", stopper, lambda _: seen.set(),
                                          limits=Limits(bytes=1 << 40)))
        except Stopped as stopped:
            outcome.append(stopped)

    reader = threading.Thread(target=listing)
    reader.start()
    try:
        assert seen.wait(15), "no progress from the listing"
    finally:
        stopper.stop()
        reader.join(10)
    assert not reader.is_alive() and isinstance(outcome[0], Stopped)
    assert backend.list_containers()  # the connection pool still works


def test_docker_diff_says_what_was_added_changed_and_deleted(backend, data_container):
    data_container.exec_run(["rm", "/bin/yes"])
    changes = {change.path: change.kind for change in container_changes(backend, data_container.id)}
    assert changes["/data/a.txt"] == "A" and changes["/bin"] == "C" and changes["/bin/yes"] == "D"


# ---------------------------------------------------------------------- app


async def test_browse_and_view_a_file_as_plain_text(engine_target, data_container, make_container):
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        pane = await files_tab(pilot, data_container)
        assert pane.path == "/data" and rows(pane) == [UP, "sub", HOSTILE_NAME, "a.txt", "bin.dat", "link"]
        assert "5 entries" in heading(pane)

        # Into a folder and back: the cursor comes back to it.
        await on_row(pilot, pane, "sub")
        await pilot.press("enter")
        await wait_until(pilot, lambda: pane.path == "/data/sub" and not pane.busy, what=lambda: heading(pane))
        assert rows(pane) == [UP, "deeper", "deep.txt"]
        await pilot.press("backspace")
        await wait_until(pilot, lambda: pane.path == "/data" and not pane.busy)
        assert pane.table.current_key == "sub"
        # Through a link to a folder, and up with ←.
        await on_row(pilot, pane, "link")
        await pilot.press("right")
        await wait_until(pilot, lambda: pane.path == "/data/link" and rows(pane) == [UP, "deeper", "deep.txt"])
        await pilot.press("left")
        await wait_until(pilot, lambda: pane.path == "/data" and not pane.busy)

        # The hostile file: its name and its text exactly as written, escapes gone.
        await on_row(pilot, pane, HOSTILE_NAME)
        await pilot.press("enter")
        await screen_with(pilot, FileViewerScreen, TextArea)
        assert app.screen.query_one(TextArea).text == SHOWN
        assert f"/data/{HOSTILE_NAME}" in str(app.screen.query_one("#viewer-heading").render())
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, FileViewerScreen), what="the viewer closed")

        await on_row(pilot, pane, "bin.dat")
        await pilot.press("enter")
        await screen_with(pilot, FileViewerScreen, "#viewer-binary")
        assert not app.screen.query(TextArea)
        assert f"binary, {len(BINARY):,} bytes" in str(app.screen.query_one("#viewer-binary").render())
        await pilot.press("escape")

        # An image has no files to browse.
        await pilot.press("2")
        await wait_until(pilot, lambda: "No container selected" in heading(pane), what=lambda: heading(pane))


async def test_copy_a_folder_out_and_a_file_in(engine_target, data_container, tmp_path):
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        pane = await files_tab(pilot, data_container)
        await on_row(pilot, pane, "sub")
        await pilot.press("o")
        field = pane.query_one("#files-prompt")
        await wait_until(pilot, lambda: app.focused is field, what="the prompt")
        assert field.value == "./sub"
        destination = tmp_path / "out"
        await pilot.press("ctrl+u")
        paste_line(app, str(destination), enter=False)
        await pilot.press("enter")
        await wait_until(pilot, lambda: not pane.busy and (destination / "deeper/x.txt").is_file(), what="the copy out")
        written = {str(path.relative_to(destination)): path.read_bytes() for path in destination.rglob("*") if path.is_file()}
        assert written == {name.removeprefix("sub/"): body for name, body in FILES.items() if name.startswith("sub/")}
        assert any("Copied to" in str(n.message) and "2 files" in str(n.message) for n in app._notifications)

        # Again to the same place: asked first; no leaves it alone.
        (destination / "deep.txt").write_bytes(b"mine\n")
        await pilot.press("o")
        await wait_until(pilot, lambda: app.focused is field)
        await pilot.press("ctrl+u")
        paste_line(app, str(destination), enter=False)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the overwrite question")
        await pilot.press("n")
        await wait_until(pilot, lambda: not isinstance(app.screen, ConfirmScreen))
        assert (destination / "deep.txt").read_bytes() == b"mine\n"

        # A local file in: listed under the cursor, and the engine has its bytes.
        local = tmp_path / "up [x].txt"
        local.write_bytes(b"uploaded [b]\n")
        await pilot.press("i")
        await wait_until(pilot, lambda: app.focused is field)
        paste_line(app, str(local), enter=False)
        await pilot.press("enter")
        await wait_until(pilot, lambda: pane.table.current_key == local.name, what=lambda: rows(pane))
        assert read_back(data_container, f"/data/{local.name}") == b"uploaded [b]\n"
        assert pane.table.get_cell(local.name, "size").plain == "13 B"  # its stat, read after the copy
        # Once there, copying it in again asks first.
        await pilot.press("i")
        await wait_until(pilot, lambda: app.focused is field)
        paste_line(app, str(local), enter=False)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the overwrite question")
        await pilot.press("escape")


async def test_changes_since_the_image_are_marked_in_theme_colours(engine_target, data_container):
    data_container.exec_run(["rm", "/bin/yes"])
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        pane = await files_tab(pilot, data_container)
        await pilot.press("d")
        await wait_until(pilot, lambda: pane.table.showing == "changes" and "/bin/yes" in pane.table.rows,
                         what=lambda: heading(pane))
        table = pane.table
        for path, kind, role in (("/data/a.txt", "A", CHANGE_ADDED), ("/bin", "C", CHANGE_CHANGED),
                                 ("/bin/yes", "D", CHANGE_DELETED)):
            marker = table.get_cell(path, "kind")
            assert marker.plain == kind and marker.style == table.role_style(role) and marker.style
        assert "deleted since the image" in heading(pane)
        # Another theme recolours them.
        before = table.get_cell("/bin/yes", "kind").style
        app.theme = "nord"
        await wait_until(pilot, lambda: table.get_cell("/bin/yes", "kind").style != before
                         and table.get_cell("/bin/yes", "kind").style == table.role_style(CHANGE_DELETED))
        # Enter on a change shows it in its folder.
        await on_row(pilot, pane, "/data/a.txt")
        await pilot.press("enter")
        await wait_until(pilot, lambda: pane.path == "/data" and pane.table.current_key == "a.txt", what=lambda: rows(pane))
        await pilot.press("d")
        await wait_until(pilot, lambda: pane.table.showing == "changes")
        await pilot.press("escape")  # back to the files
        await wait_until(pilot, lambda: pane.table.showing == "listing")


async def test_a_vanished_folder_a_long_listing_and_a_removed_container(engine_target, data_container, monkeypatch):
    # Not under /data: listing a folder reads everything under it; the link is how the test gets there.
    data_container.exec_run(["sh", "-c", "mkdir /huge && dd if=/dev/zero of=/huge/zero bs=1 count=0 seek=50G"
                             " && ln -s /huge /data/huge"])
    monkeypatch.setattr(backend_files, "LIMITS", Limits(bytes=1 << 40))
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        pane = await files_tab(pilot, data_container)
        await on_row(pilot, pane, "sub")
        await pilot.press("enter")
        await wait_until(pilot, lambda: pane.path == "/data/sub" and not pane.busy)
        data_container.exec_run(["rm", "-r", "/data/sub"])
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: not pane.busy and "Could not find the file /data/sub" in heading(pane),
                         what=lambda: heading(pane))
        await pilot.press("backspace")
        await wait_until(pilot, lambda: pane.path == "/data" and "sub" not in rows(pane) and not pane.busy)

        # A listing that streams 50 GB: its progress shows, and Esc stops it.
        await on_row(pilot, pane, "huge")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "MB · Esc stops" in heading(pane), what=lambda: heading(pane))
        await pilot.press("escape")
        await wait_until(pilot, lambda: not pane.busy and "stopped reading /data/huge" in heading(pane),
                         what=lambda: heading(pane))
        assert pane.path == "/data"

        # A cap cuts a listing, and says so; one cut by the bytes it read can be read to its end.
        monkeypatch.setattr(backend_files, "LIMITS", Limits(entries=2))
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: "listing cut: stopped at 2 entries" in heading(pane), what=lambda: heading(pane))
        monkeypatch.setattr(backend_files, "LIMITS", Limits(bytes=1))
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: "ctrl+r reads it all" in heading(pane) and len(rows(pane)) < 4,
                         what=lambda: heading(pane))
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: not pane.busy and "cut" not in heading(pane) and "a.txt" in rows(pane),
                         what=lambda: heading(pane))

        # The container goes while shown: the tab leaves it, nothing breaks.
        data_container.remove(force=True)
        await wait_until(pilot, lambda: pane.container is None or pane.container.id != data_container.id,
                         what=lambda: heading(pane))
        assert app.is_running and not any(n.title == "Error" for n in app._notifications)
