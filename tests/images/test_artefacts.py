"""Images and containers as artefacts: docker commit, export, save and load, on the real engine.

Every image here is built or committed by the test, carries the session's
label and a unique name; only those are removed or loaded back.
"""

from __future__ import annotations

import json
import os
import tarfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import docker
import pytest
from textual.widgets import Input

from dockertui.app import DockerTUI
from dockertui.backend.artefacts import ArchiveError, ArchiveLoad, export_container, save_images
from dockertui.screens.archive_dialog import ArchiveDialog
from dockertui.screens.commit_dialog import CommitDialog
from dockertui.screens.confirm import ConfirmScreen
from dockertui.screens.load_dialog import LoadDialog
from tests.support.pilot import (
    connected_app,
    dashboard_up,
    mark_rows,
    paste_line,
    screen_with,
    select_row,
    type_line,
    wait_until,
)

pytestmark = pytest.mark.integration

SIZE = (120, 40)
# Big enough that the engine takes a while to prepare its save (it writes
# the layers aside first) and to stream it: a cancel lands in the middle.
BIG_MB = 200


def make_app(engine_target, test_run_label) -> DockerTUI:
    return DockerTUI(engine_target, show_all=True, run_labels=tuple(test_run_label.items()))


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


def notified(app, words: str) -> bool:
    return any(words in str(n.message) for n in app._notifications)


async def told(pilot, app, words: str) -> None:
    """Wait for the notification: a dialog's outcome is told by its callback, just after it closes."""
    await wait_until(pilot, lambda: notified(app, words), what=f"the notification {words!r}")


def listed(dashboard, reference: str) -> bool:
    return any(tag.reference == reference for tag in dashboard.images.items.values())


def members(path: Path) -> dict[str, bytes]:
    """The regular files of a tar, by name (without a leading ./)."""
    with tarfile.open(path) as tar:
        return {m.name.removeprefix("./"): tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}


@pytest.fixture
def build_image(docker_client, fixture_image, test_run_label, unique_name, tmp_path_factory) -> Iterator[Callable]:
    """``build_image(*dockerfile_lines)``: a labelled image FROM the fixture; returns its unique tag."""
    label = f"dockertui.test={test_run_label['dockertui.test']}"
    made = []

    def build(*lines: str) -> str:
        context = tmp_path_factory.mktemp("build")
        (context / "Dockerfile").write_text("\n".join([f"FROM {fixture_image}", f"LABEL {label}", *lines]) + "\n")
        tag = f"dtui-test/{unique_name('art')}:1"
        docker_client.images.build(path=str(context), tag=tag, labels=test_run_label, rm=True)
        made.append(tag)
        return tag

    yield build
    for tag in made:
        try:
            docker_client.images.remove(tag, force=True)
        except docker.errors.ImageNotFound:
            continue  # the test removed it itself


async def save_dialog(pilot, docker_client, tag: str, target) -> ArchiveDialog:
    """E on image ``tag`` in Images: its save dialog, with ``target`` typed as the file."""
    dashboard = await connected_app(pilot)
    await pilot.press("2")
    await select_row(pilot, dashboard.images, f"{docker_client.images.get(tag).id}|{tag}")
    await pilot.press("E")
    await screen_with(pilot, ArchiveDialog, "#path")
    dialog = pilot.app.screen
    dialog.query_one("#path", Input).value = str(target)
    return dialog


async def test_commit_makes_a_named_image_with_the_containers_changes(
    engine_target, test_run_label, make_container, docker_client, unique_name
):
    container = make_container()
    container.exec_run(["sh", "-c", "echo committed > /proof"])
    reference = f"dtui-test/{unique_name('commit')}:1"
    app = make_app(engine_target, test_run_label)
    async with dashboard_up(app, size=SIZE) as pilot:
        dashboard = await connected_app(pilot)
        await select_row(pilot, dashboard.containers, container.id)
        await pilot.press("M")
        paste_line(app, "Not//A Name", enter=False)  # typed right behind the key: it goes into the dialog's first field
        await screen_with(pilot, CommitDialog, "#reference")
        dialog = app.screen
        await wait_until(pilot, lambda: dialog.query_one("#reference", Input).value == "Not//A Name")
        await pilot.press("enter")
        assert "no spaces" in text_of(dialog, "#reference-error")
        dialog.query_one("#reference", Input).value = reference
        dialog.query_one("#message", Input).value = "[/foo] with a proof"
        dialog.query_one("#author", Input).value = "Tester <t@example.com>"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is not dialog, timeout=30, what="the commit")
        # The new image shows in Images by itself (the engine's events), and the notification names it.
        await wait_until(pilot, lambda: listed(dashboard, reference), what="the committed image in the list")
        await told(pilot, app, f"Committed {container.name} as {reference}")
        # Paused while committing (docker's default): running again after.
        assert docker_client.api.inspect_container(container.id)["State"]["Status"] == "running"
    image = docker_client.images.get(reference)
    assert image.attrs["Comment"] == "[/foo] with a proof"
    assert image.attrs["Author"] == "Tester <t@example.com>"
    assert image.labels["dockertui.test"] == test_run_label["dockertui.test"]
    proof = docker_client.containers.run(reference, ["cat", "/proof"], remove=True, labels=test_run_label)
    assert proof == b"committed\n"


async def test_export_writes_the_containers_filesystem(engine_target, test_run_label, make_container, tmp_path):
    container = make_container()
    container.exec_run(["sh", "-c", "echo exported > /proof"])
    target = tmp_path / "fs.tar"
    app = make_app(engine_target, test_run_label)
    async with dashboard_up(app, size=SIZE) as pilot:
        dashboard = await connected_app(pilot)
        await select_row(pilot, dashboard.containers, container.id)
        await pilot.press("E")
        await screen_with(pilot, ArchiveDialog, "#path")
        dialog = app.screen
        field = dialog.query_one("#path", Input)
        assert field.value == f"./{container.name}.tar"
        field.value = str(tmp_path / "no-such-folder" / "fs.tar")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "there is no folder" in text_of(dialog, "#path-error"), what="the path's error")
        field.value = str(target)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is not dialog, timeout=30, what="the export")
        await told(pilot, app, f"Exported {container.name} to {target}")
    assert members(target)["proof"] == b"exported\n"


async def test_save_marked_images_remove_them_and_load_them_back(
    engine_target, test_run_label, build_image, docker_client, tmp_path
):
    first = build_image("LABEL which=first")
    second = build_image("LABEL which=second")
    target = tmp_path / "two.tar"
    app = make_app(engine_target, test_run_label)
    async with dashboard_up(app, size=SIZE) as pilot:
        dashboard = await connected_app(pilot)
        await pilot.press("2")
        keys = [f"{docker_client.images.get(tag).id}|{tag}" for tag in (first, second)]
        await mark_rows(pilot, dashboard.images, *keys)
        await pilot.press("E")
        await screen_with(pilot, ArchiveDialog, "#path")
        dialog = app.screen
        assert dialog.query_one("#path", Input).value == "./images.tar"
        dialog.query_one("#path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is not dialog, timeout=30, what="the save")
        await told(pilot, app, f"Saved 2 images to {target}")
        manifest = json.loads(members(target)["manifest.json"])
        assert sorted(tag for entry in manifest for tag in entry["RepoTags"]) == sorted([first, second])

        for tag in (first, second):  # only the test's own tags: each image goes with its last
            docker_client.images.remove(tag)
        await wait_until(pilot, lambda: not listed(dashboard, first) and not listed(dashboard, second))

        type_line(app, f"load -i {target}")
        await wait_until(pilot, lambda: listed(dashboard, first) and listed(dashboard, second), timeout=30,
                         what="the loaded images in the list")
        await wait_until(pilot, lambda: notified(app, f"Loaded image: {first}"))
        assert not isinstance(app.screen, LoadDialog)


async def test_save_asks_before_replacing_a_file(engine_target, test_run_label, build_image, docker_client, tmp_path):
    tag = build_image()
    target = tmp_path / "there.tar"
    target.write_bytes(b"keep me")
    target.chmod(0o640)
    app = make_app(engine_target, test_run_label)
    async with dashboard_up(app, size=SIZE) as pilot:
        dialog = await save_dialog(pilot, docker_client, tag, target)
        await pilot.press("ctrl+s")
        await screen_with(pilot, ConfirmScreen, "#confirm-title")
        assert str(target) in text_of(app.screen, "#confirm-title")
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen is dialog)
        assert target.read_bytes() == b"keep me" and not dialog.running

        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: app.screen is not dialog and not isinstance(app.screen, ConfirmScreen),
                         timeout=30, what="the save")
    assert "manifest.json" in members(target)
    assert target.stat().st_mode & 0o777 == 0o640  # replaced, with the old file's permissions
    assert [p.name for p in tmp_path.iterdir()] == ["there.tar"]


async def test_cancelling_a_save_removes_the_partial_file_and_closes(
    engine_target, test_run_label, build_image, docker_client, tmp_path
):
    tag = build_image(f"RUN dd if=/dev/zero of=/big bs=1M count={BIG_MB}")
    target = tmp_path / "big.tar"
    app = make_app(engine_target, test_run_label)
    async with dashboard_up(app, size=SIZE) as pilot:
        dialog = await save_dialog(pilot, docker_client, tag, target)
        await pilot.press("ctrl+s")
        # The file is made first; the engine is still preparing the archive, or sending it.
        await wait_until(pilot, target.exists, what="the file begun")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is not dialog, timeout=10, what="the dialog closed")
        await told(pilot, app, f"Save cancelled: the partial {target} was removed")
        assert not notified(app, "Saved ")
    assert list(tmp_path.iterdir()) == []


def test_closing_an_export_mid_way_frees_the_thread_and_removes_the_file(
    backend, build_image, docker_client, test_run_label, tmp_path
):
    tag = build_image(f"RUN dd if=/dev/zero of=/big bs=1M count={BIG_MB}")
    container = docker_client.containers.create(tag, ["true"], labels=test_run_label)
    target = tmp_path / "fs.tar"
    job = export_container(backend, container.id, container.name, target)
    outcome = []
    worker = threading.Thread(target=lambda: outcome.append(job.run()))
    worker.start()
    for _ in range(2000):  # polled on the engine's bytes, not on time
        if job.written:
            break
        worker.join(0.005)
    assert job.written, "the export sent nothing"
    job.close()
    worker.join(10)
    assert not worker.is_alive() and outcome == [None]
    assert job.written < BIG_MB * 1_000_000, "the export finished before it was closed"
    assert not target.exists()


def test_save_of_an_image_gone_is_an_error_and_leaves_no_file(backend, unique_name, tmp_path):
    target = tmp_path / "gone.tar"
    with pytest.raises(ArchiveError, match="does not exist"):
        save_images(backend, [f"dtui-test/{unique_name('gone')}:1"], target).run()
    assert not target.exists()


async def test_load_says_what_is_wrong_with_the_file(engine_target, test_run_label, tmp_path):
    not_a_tar = tmp_path / "notes.tar"
    not_a_tar.write_bytes(b"these are notes, not an image archive\n" * 2000)
    app = make_app(engine_target, test_run_label)
    async with dashboard_up(app, size=SIZE) as pilot:
        await connected_app(pilot)
        await pilot.press("2")
        await pilot.press("o")
        await screen_with(pilot, LoadDialog, "#path")
        dialog = app.screen
        field = dialog.query_one("#path", Input)
        field.value = str(tmp_path / "missing.tar")
        await pilot.press("ctrl+s")
        assert "there is no file" in text_of(dialog, "#path-error")
        field.value = str(not_a_tar)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Failed: " in text_of(dialog, "#job-status"), timeout=30)
        # The engine's own words, and the dialog stays with the path.
        assert "Error processing tar file" in text_of(dialog, "#job-status")
        assert app.screen is dialog and field.value == str(not_a_tar)


def test_load_streams_the_file(backend, build_image, docker_client, tmp_path):
    """The file goes to the engine as it is read: ``sent`` counts it, the whole of it."""
    tag = build_image()
    target = tmp_path / "one.tar"
    with open(target, "wb") as handle:
        for chunk in docker_client.images.get(tag).save(named=True):
            handle.write(chunk)
    load = ArchiveLoad(backend, target)
    assert load.run() == [f"Loaded image: {tag}"]
    assert load.sent == load.total == os.path.getsize(target)
