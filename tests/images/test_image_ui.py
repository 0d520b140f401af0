"""The image keys and dialogs, driven with Pilot against the real engine and registry."""

from __future__ import annotations

import json
import uuid

import docker
import pytest
from textual.widgets import Button, DataTable, Input

from dockertui.app import DockerTUI
from dockertui.backend import credentials
from dockertui.backend.images import build, login, push
from dockertui.screens.build_dialog import BuildDialog
from dockertui.screens.image_tree import ImageTreeScreen
from dockertui.screens.login_dialog import LoginDialog
from dockertui.screens.pull_dialog import PullDialog, PushScreen
from dockertui.screens.registry_browser import HubSearch, RegistryBrowser
from dockertui.screens.remove_image import PruneScreen, RemoveImageScreen
from dockertui.widgets.details_pane import DetailsPane
from dockertui.widgets.transfer_progress import TransferProgress
from tests.support.pilot import connected_app, dashboard_up, screen_with, select_row, wait_until

pytestmark = pytest.mark.integration

SIZE = (120, 40)


def make_app(engine_target, test_run_label) -> DockerTUI:
    return DockerTUI(engine_target, run_labels=tuple(test_run_label.items()))


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


async def images_pane(pilot):
    dashboard = await connected_app(pilot)
    await pilot.press("2")
    return dashboard


def drain(stream):
    return list(stream)


def row_key(image_id: str, reference: str) -> str:
    return f"{image_id}|{reference}"


def push_then_untag(backend, registry, docker_client, fixture_image, name) -> None:
    """Put the fixture image in the registry as ``name``; leave no local tag or login."""
    docker_client.images.get(fixture_image).tag(name)
    login(backend, registry.address, registry.username, registry.password)
    drain(push(backend, name))
    docker_client.api.remove_image(name)
    credentials.erase(registry.address)


async def test_pull_dialog_explains_errors_keeps_input_and_pulls(
    engine_target, test_run_label, registry, docker_config, docker_client, fixture_image, pushed_name, backend
):
    push_then_untag(backend, registry, docker_client, fixture_image, pushed_name)
    app = make_app(engine_target, test_run_label)
    async with dashboard_up(app, size=SIZE) as pilot:
        await images_pane(pilot)
        await pilot.press("P")
        await wait_until(pilot, lambda: isinstance(app.screen, PullDialog) and app.screen.query("#transfer-overall"))
        dialog = app.screen
        assert dialog.query_one("#transfer-overall").total is not None, "no pulse before anything is pulled"
        field = dialog.query_one("#reference", Input)

        field.value = "Bad//Ref"
        await pilot.press("ctrl+s")
        assert "not a repository name" in text_of(dialog, "#error-reference")

        field.value = pushed_name
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Not authorized" in text_of(dialog, "#transfer-status"), timeout=20)

        credentials.store(credentials.Credentials(registry.address, registry.username, registry.password))
        field.value = f"{registry.address}/dtui-test-none/nothing:1"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Not found" in text_of(dialog, "#transfer-status"), timeout=20)

        field.value = "127.0.0.1:1/dtui-test/nothing:1"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Registry unreachable" in text_of(dialog, "#transfer-status"), timeout=20)
        # Failed, the overall bar is still (a bar with no total pulses, as if work went on).
        assert dialog.query_one("#transfer-overall").total is not None
        assert field.value == "127.0.0.1:1/dtui-test/nothing:1"

        progress = dialog.query_one(TransferProgress)
        field.value = pushed_name
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, PullDialog), timeout=30, what="the pull")
        # Layers the engine already has report no per-layer lines.
        assert progress.done == set(progress.layer_progress)
        assert any("Downloaded newer image" in m for m in progress.messages)
    assert docker_client.images.get(pushed_name).id == docker_client.images.get(fixture_image).id



async def test_push_offers_login_then_pushes(
    engine_target, test_run_label, registry, docker_config, docker_client, fixture_image, pushed_name
):
    image = docker_client.images.get(fixture_image)
    image.tag(pushed_name)
    app = make_app(engine_target, test_run_label)
    async with dashboard_up(app, size=SIZE) as pilot:
        dashboard = await images_pane(pilot)
        await select_row(pilot, dashboard.images, row_key(image.id, pushed_name))
        await pilot.press("U")
        await screen_with(pilot, PushScreen, "#transfer-status")
        push_screen = app.screen
        await wait_until(pilot, lambda: "Not authorized" in text_of(push_screen, "#transfer-status"), timeout=20)
        assert not push_screen.query_one("#login", Button).has_class("hidden")

        await pilot.press("l")
        await screen_with(pilot, LoginDialog, "#registry")
        dialog = app.screen
        assert dialog.query_one("#registry", Input).value == registry.address
        dialog.query_one("#username", Input).value = registry.username
        dialog.query_one("#password", Input).value = "wrong-password"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Not authorized" in text_of(dialog, "#login-status"), timeout=20)
        assert "wrong-password" not in text_of(dialog, "#login-status")
        assert dialog.query_one("#password", Input).value == ""

        dialog.query_one("#password", Input).value = registry.password
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is push_screen, timeout=20)
        await wait_until(pilot, lambda: "Pushed " in text_of(push_screen, "#transfer-status"), timeout=30)
        progress = push_screen.query_one(TransferProgress)
        assert progress.layer_progress and progress.done == set(progress.layer_progress)
        assert any("digest: sha256:" in m for m in progress.messages)
    assert credentials.load(registry.address).username == registry.username


async def test_rmi_names_the_containers_and_needs_force(
    engine_target, test_run_label, docker_client, fixture_image, unique_name, tmp_path, backend
):
    label = f"dockertui.test={test_run_label['dockertui.test']}"
    (tmp_path / "Dockerfile").write_text(f"FROM {fixture_image}\nLABEL {label}\n")
    tag = f"dtui-test/{unique_name('rmi')}:1"
    drain(build(backend, str(tmp_path), tag, labels=test_run_label))
    image = docker_client.images.get(tag)
    user = docker_client.containers.create(tag, ["true"], labels=test_run_label, name=unique_name("rmi-user"))
    app = make_app(engine_target, test_run_label)
    try:
        async with dashboard_up(app, size=SIZE) as pilot:
            dashboard = await images_pane(pilot)
            await select_row(pilot, dashboard.images, row_key(image.id, tag))
            await pilot.press("d")
            await screen_with(pilot, RemoveImageScreen, "#rmi-users")
            dialog = app.screen
            await wait_until(pilot, lambda: user.name in text_of(dialog, "#rmi-users"))
            # The heading on a line of its own, each container on the next.
            assert text_of(dialog, "#rmi-users").splitlines()[0].endswith("container(s):")
            # Its only tag: untagging it deletes the image, and the choice says so.
            assert "its only name, so the image goes too" in str(dialog.query_one("#untag").label)
            remove = dialog.query_one("#confirm-yes", Button)
            assert remove.disabled
            await pilot.press("y")  # refused while force is needed and not ticked
            assert isinstance(app.screen, RemoveImageScreen)
            await pilot.press("f")
            assert not remove.disabled
            await pilot.press("y")
            await wait_until(pilot, lambda: row_key(image.id, tag) not in dashboard.images.rows, timeout=20)
    finally:
        user.remove(force=True)
    assert tag not in [t for i in docker_client.images.list() for t in i.tags]


async def test_build_dialog_streams_output_and_names_the_failing_step(
    engine_target, test_run_label, docker_client, fixture_image, unique_name, tmp_path
):
    label = f"dockertui.test={test_run_label['dockertui.test']}"
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(f"FROM {fixture_image}\nLABEL {label}\nARG WHO=nobody\nRUN echo hello $WHO\n")
    tag = f"dtui-test/{unique_name('built')}:1"
    app = make_app(engine_target, test_run_label)
    async with dashboard_up(app, size=SIZE) as pilot:
        await images_pane(pilot)
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, BuildDialog) and app.screen.query("#path"))
        dialog = app.screen
        await wait_until(pilot, lambda: dialog.focused is dialog.query_one("#path"), what="focus in the first field")
        for path, problem in ((tmp_path / "missing", "there is no directory"), (dockerfile, "is a file"),
                              (tmp_path.parent, "there is no Dockerfile")):
            dialog.query_one("#path", Input).value = str(path)
            await pilot.press("ctrl+s")
            assert problem in text_of(dialog, "#build-error"), (path, text_of(dialog, "#build-error"))
        dialog.query_one("#path", Input).value = str(tmp_path)
        dialog.query_one("#tag", Input).value = tag
        dialog.query_one("#buildargs", Input).value = "WHO=[/foo]"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Built " in text_of(dialog, "#build-status"), timeout=60)
        assert any("hello [/foo]" in line for line in dialog.texts)
        built = docker_client.images.get(tag)
        assert built.labels["dockertui.test"] == test_run_label["dockertui.test"]

        dockerfile.write_text(f"FROM {fixture_image}\nLABEL {label}\nRUN echo fine\nRUN false\n")
        dialog.query_one("#tag", Input).value = ""
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "failed" in text_of(dialog, "#build-status"), timeout=60)
        assert "Step 4/5 : RUN false failed" in text_of(dialog, "#build-status")
        assert "non-zero code" in text_of(dialog, "#build-status")


async def test_details_show_layers_lineage_onbuild_and_storage(
    engine_target, test_run_label, docker_client, fixture_image, unique_name, tmp_path, backend
):
    label = f"dockertui.test={test_run_label['dockertui.test']}"
    (tmp_path / "Dockerfile").write_text(f"FROM {fixture_image}\nLABEL {label}\nONBUILD RUN echo triggered\n")
    tag = f"dtui-test/{unique_name('child')}:1"
    drain(build(backend, str(tmp_path), tag, labels=test_run_label))
    child = docker_client.images.get(tag)
    base = docker_client.images.get(fixture_image)
    app = make_app(engine_target, test_run_label)
    async with dashboard_up(app, size=SIZE) as pilot:
        dashboard = await images_pane(pilot)
        details = dashboard.query_one(DetailsPane)
        # The unwrapped text: a wrapped line would split what is looked for.
        body = lambda: str(details.query_one("#details-body").source)  # noqa: E731
        await select_row(pilot, dashboard.images, row_key(child.id, tag))
        await wait_until(pilot, lambda: "Lineage" in body(), timeout=20)
        text = body()
        assert f"child of {fixture_image}" in text
        assert "user image" in text and "ONBUILD" in text and "RUN echo triggered" in text
        assert "engine root" in text and "driver" in text and "Layers (" in text

        await select_row(pilot, dashboard.images, row_key(base.id, fixture_image))
        await wait_until(pilot, lambda: "Lineage" in body() and fixture_image in body(), timeout=20)
        assert f"built on by {tag}" in body()

        await pilot.press("T")
        await screen_with(pilot, ImageTreeScreen, "#tree-status")
        tree_screen = app.screen
        await wait_until(pilot, lambda: "base images" in text_of(tree_screen, "#tree-status"), timeout=20)
        labels = []
        stack = list(tree_screen.query_one("#image-tree").root.children)
        while stack:
            node = stack.pop()
            labels.append((str(node.label), node.parent.data))
            stack.extend(node.children)
        assert any(tag in name and parent == base.id for name, parent in labels)


async def test_prune_previews_and_takes_only_labelled_dangling_images(
    engine_target, test_run_label, docker_client, fixture_image, tmp_path, backend
):
    label = f"dockertui.test={test_run_label['dockertui.test']}"
    (tmp_path / "Dockerfile").write_text(f"FROM {fixture_image}\nLABEL {label}\nRUN echo {uuid.uuid4().hex}\n")
    lines = drain(build(backend, str(tmp_path), labels=test_run_label))
    dangling = [line.image_id for line in lines if line.image_id][-1]
    app = make_app(engine_target, test_run_label)
    async with dashboard_up(app, size=SIZE) as pilot:
        await images_pane(pilot)
        await pilot.press("D")
        await screen_with(pilot, PruneScreen, "#prune-labels")  # what dialog.labels reads
        dialog = app.screen
        assert dialog.labels == [label]
        short = dangling.removeprefix("sha256:")[:12]
        await wait_until(pilot, lambda: short in text_of(dialog, "#prune-preview"), timeout=20)
        await pilot.click("#confirm-yes")
        await wait_until(pilot, lambda: backend.get_image(dangling) is None, timeout=20)


async def test_registry_browser_lists_repositories_and_tags_then_pulls(
    engine_target, test_run_label, registry, docker_config, docker_client, fixture_image, pushed_name, backend
):
    push_then_untag(backend, registry, docker_client, fixture_image, pushed_name)
    credentials.store(credentials.Credentials(registry.address, registry.username, registry.password))
    repository = pushed_name.split("/", 1)[1].rsplit(":", 1)[0]
    app = make_app(engine_target, test_run_label)
    async with dashboard_up(app, size=SIZE) as pilot:
        await images_pane(pilot)
        await pilot.press("B")
        await screen_with(pilot, RegistryBrowser, "#address")
        browser = app.screen
        assert browser.query_one("#address", Input).value == registry.address
        table = browser.query_one(DataTable)
        await wait_until(pilot, lambda: repository in browser.names, timeout=20,
                         what=lambda: text_of(browser, "#browse-status") + repr(browser.names))
        table.move_cursor(row=table.get_row_index(repository))
        await pilot.press("enter")
        await wait_until(pilot, lambda: browser.repository == repository and browser.names == ["t1"], timeout=20)
        await pilot.press("enter")
        # The pull dialog opens and starts at once; it closes when the pull is done.
        await wait_until(pilot, lambda: backend.image_exists(pushed_name) and not isinstance(app.screen, PullDialog),
                         timeout=30, what="the pull")
    assert docker_client.images.get(pushed_name).id == docker_client.images.get(fixture_image).id


async def test_tag_and_hub_search(engine_target, test_run_label, docker_client, fixture_image, unique_name):
    base = docker_client.images.get(fixture_image)
    new_name = f"dtui-test/{unique_name('tagged')}:2"
    app = make_app(engine_target, test_run_label)
    try:
        async with dashboard_up(app, size=SIZE) as pilot:
            dashboard = await images_pane(pilot)
            await select_row(pilot, dashboard.images, row_key(base.id, fixture_image))
            await pilot.press("t")
            await wait_until(pilot, lambda: app.screen.query("#prompt-input"))
            app.screen.query_one("#prompt-input", Input).value = new_name
            await pilot.press("enter")
            await wait_until(pilot, lambda: row_key(base.id, new_name) in dashboard.images.rows, timeout=20)

            await pilot.press("S")
            await screen_with(pilot, HubSearch, "#term")
            search = app.screen
            search.query_one("#term", Input).value = "busybox"
            await pilot.press("enter")
            await wait_until(pilot, lambda: "Searching" not in text_of(search, "#search-status"), timeout=30)
            status = text_of(search, "#search-status")
            assert "Docker Hub cannot be reached" in status or "results" in status
    finally:
        docker_client.api.remove_image(new_name)


async def test_marked_tags_are_removed_with_one_confirmation(engine_target, docker_client, fixture_image, unique_name):
    from dockertui.app import DockerTUI
    from dockertui.screens.confirm import ConfirmScreen
    from tests.support.pilot import connected_app, select_row, wait_until

    names = [unique_name("bulk") for _ in range(2)]
    for name in names:
        docker_client.images.get(fixture_image).tag(name, "v1")
    try:
        app = DockerTUI(engine_target)
        async with dashboard_up(app, size=(120, 40)) as pilot:
            dashboard = await connected_app(pilot)
            await pilot.press("2")
            table = dashboard.images
            keys = {}
            await wait_until(pilot, lambda: all(any(i.reference == f"{n}:v1" for i in table.items.values()) for n in names))
            for name in names:
                key = next(k for k, i in table.items.items() if i.reference == f"{name}:v1")
                keys[name] = key
                await select_row(pilot, table, key)
                await pilot.press("space")
            await pilot.press("d")
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("y")
            await wait_until(pilot, lambda: not any(k in table.rows for k in keys.values()), what="both tags gone")
    finally:
        for name in names:
            try:
                docker_client.images.remove(f"{name}:v1")
            except docker.errors.ImageNotFound:
                continue  # already untagged by the test


@pytest.mark.parametrize("verb", ["pull", "push"])
async def test_a_missing_credential_helper_is_said_and_esc_closes(
    engine_target, test_run_label, docker_config, fixture_image, verb
):
    """credHelpers naming a helper that is not installed: the dialog says so at once, and Esc closes it."""
    registry = "127.0.0.1:1"
    (docker_config / "config.json").write_text(json.dumps({"credHelpers": {registry: "dtui-not-installed"}}))
    app = make_app(engine_target, test_run_label)
    async with dashboard_up(app, size=SIZE) as pilot:
        await images_pane(pilot)
        if verb == "pull":
            app.actions.images.open_pull(f"{registry}/dtui-test/x:1", start=True)
            kind = PullDialog
        else:
            app.push_screen(PushScreen(f"{registry}/dtui-test/x:1"))
            kind = PushScreen
        await wait_until(pilot, lambda: isinstance(app.screen, kind) and app.screen.is_mounted)
        dialog = app.screen
        await wait_until(pilot, lambda: "Login unavailable" in text_of(dialog, "#transfer-status"), what=lambda: text_of(dialog, "#transfer-status"))
        assert "docker-credential-dtui-not-installed is configured but not installed" in text_of(dialog, "#transfer-status")
        assert not dialog.running
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, kind), what="the dialog closed")


async def test_build_with_a_dockerfile_elsewhere_a_target_and_no_cache(
    engine_target, test_run_label, docker_client, fixture_image, unique_name, tmp_path
):
    """-f names another Dockerfile, --target stops at a stage, --no-cache runs every step again."""
    from textual.widgets import Checkbox

    label = f"dockertui.test={test_run_label['dockertui.test']}"
    (tmp_path / "build.Dockerfile").write_text(
        f"FROM {fixture_image} AS first\nLABEL {label}\nRUN echo stage-one\n"
        f"FROM first AS second\nRUN echo stage-two\n"
    )
    tag = f"dtui-test/{unique_name('staged')}:1"
    app = make_app(engine_target, test_run_label)
    async with dashboard_up(app, size=SIZE) as pilot:
        await images_pane(pilot)
        for attempt in range(2):  # the second time, with no cache, the step runs again
            await pilot.press("b")
            await wait_until(pilot, lambda: isinstance(app.screen, BuildDialog) and app.screen.query("#target"))
            dialog = app.screen
            dialog.query_one("#path", Input).value = str(tmp_path)
            dialog.query_one("#dockerfile", Input).value = "build.Dockerfile"
            dialog.query_one("#tag", Input).value = tag
            dialog.query_one("#target", Input).value = "first"
            dialog.query_one("#no-cache", Checkbox).value = attempt == 1
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: "Built " in text_of(dialog, "#build-status"), timeout=60)
            output = "\n".join(dialog.texts)
            assert "stage-one" in output and "stage-two" not in output, output
            if attempt == 1:
                assert "Using cache" not in output, "--no-cache ran every step"
            await pilot.press("escape")
            await wait_until(pilot, lambda: not isinstance(app.screen, BuildDialog))
    assert docker_client.images.get(tag).labels["dockertui.test"] == test_run_label["dockertui.test"]


async def test_the_build_dialog_shows_its_output_at_80x24(engine_target, test_run_label):
    """At 80x24 the fields scroll and the output box keeps some lines, with the buttons on screen."""
    app = make_app(engine_target, test_run_label)
    async with dashboard_up(app, size=(80, 24)) as pilot:
        await images_pane(pilot)
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, BuildDialog) and app.screen.query("#build-output"))
        await pilot.pause()
        dialog = app.screen
        assert dialog.query_one("#build-output").size.height >= 3
        build = dialog.query_one("#build").region
        assert build.height > 0 and build.bottom <= 24
