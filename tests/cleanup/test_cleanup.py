"""Prune and disk usage on the real engine, scoped to this session's label.

Every object the screens may touch carries the session label, and the screens
are opened with that label as their filter, so nothing of the user's is ever
listed or removed; an unlabelled volume proves it.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import docker
import pytest
from textual.content import Content

from dockertui.app import DockerTUI
from dockertui.backend import DockerBackend
from dockertui.backend.cleanup import (
    BUILD_CACHE,
    CONTAINERS,
    DANGLING_IMAGES,
    NETWORKS,
    NO_LABELS_NOTE,
    UNUSED_IMAGES,
    VOLUMES,
    CleanupItem,
    CleanupResult,
    RemovalFailure,
    disk_usage,
    plan_cleanup,
    remove_items,
)
from dockertui.screens.cleanup import CleanupScreen, render_result
from dockertui.screens.confirm import ConfirmScreen
from dockertui.screens.disk_usage import DiskUsageScreen
from tests.support.lost_events import lose_destroy_events
from tests.support.pilot import connected_app, dashboard_up, wait_until

pytestmark = pytest.mark.integration

SIZE = (120, 40)


def build_image(docker_client, context: Path, tag: str, labels: dict[str, str], payload: str) -> str:
    """An image FROM the fixture with about 100 kB of its own, so removing it frees space."""
    context.mkdir()
    (context / "Dockerfile").write_text(
        "FROM dockertui-test/busybox:latest\n"
        f"RUN head -c 100000 /dev/urandom > /x && echo {payload} > /payload\n"
    )
    image, _ = docker_client.images.build(path=str(context), tag=tag, labels=labels, rm=True, forcerm=True)
    return image.id


@pytest.fixture
def unlabelled_volume(docker_client, unique_name):
    """A volume of "the user's": it must never be listed nor removed."""
    volume = docker_client.volumes.create(name=unique_name("users-vol"))
    yield volume
    try:
        volume.remove(force=True)
    except docker.errors.NotFound:
        pass


@pytest.fixture
def backend(engine_target):
    connected = DockerBackend.connect(engine_target)
    yield connected
    connected.close()


def exists(listing, **filters) -> bool:
    return bool(listing(filters=filters))


async def test_preview_lists_exactly_what_removal_then_removes(
    engine_target, docker_client, make_container, test_run_label, unique_name, tmp_path, unlabelled_volume, monkeypatch
):
    # A label of this test's own, so objects other tests left for the session cleanup stay out.
    case = {"dockertui.test.case": uuid.uuid4().hex}
    labels = {**test_run_label, **case}
    tag = unique_name("img")
    dangling_id = build_image(docker_client, tmp_path / "one", tag, labels, "one")
    tagged_id = build_image(docker_client, tmp_path / "two", tag, labels, "two")
    assert dangling_id != tagged_id

    free_volume = docker_client.volumes.create(name=unique_name("vol"), labels=labels)
    held_volume = docker_client.volumes.create(name=unique_name("held"), labels=labels)
    busy_volume = docker_client.volumes.create(name=unique_name("busy"), labels=labels)
    network = docker_client.networks.create(unique_name("net"), labels=labels)
    created = make_container(command=["true"], start=False, volumes={held_volume.name: {"bind": "/data"}}, labels=case)
    exited = make_container(command=["true"], labels=case)
    exited.wait()
    running = make_container(command=["sleep", "300"], volumes={busy_volume.name: {"bind": "/data"}}, labels=case)

    expected = {
        (CONTAINERS, created.id),
        (CONTAINERS, exited.id),
        (DANGLING_IMAGES, dangling_id),
        (UNUSED_IMAGES, tagged_id),
        (VOLUMES, free_volume.name),
        (VOLUMES, held_volume.name),
        (NETWORKS, network.id),
    }

    # The engine can drop an event: a container removed here leaves the list all the same.
    lost = lose_destroy_events(monkeypatch, created.id)
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        dashboard = await connected_app(pilot)
        screen = CleanupScreen(label_filter=labels)
        await app.push_screen(screen)
        await wait_until(pilot, lambda: screen.plan is not None, timeout=30, what="the cleanup plan")
        plan = screen.plan
        listed = {(item.kind, item.id) for item in plan.items}
        assert listed == expected
        assert unlabelled_volume.name not in {item.id for item in plan.items}
        assert running.id not in listed and busy_volume.name not in {item.id for item in plan.items}
        assert plan.category(BUILD_CACHE).items == () and plan.category(BUILD_CACHE).note == NO_LABELS_NOTE
        held = next(item for item in plan.items if item.id == held_volume.name)
        assert held.needs == (created.id,)
        assert plan.category(DANGLING_IMAGES).reclaimable > 0

        # Every listed object is a row; space on an item ticks it, on a category ticks all of it.
        table = screen.query_one("#cleanup-table")
        for kind, object_id in expected:
            assert f"{kind}:{object_id}" in table.rows
        table.move_cursor(row=table.get_row_index(f"{VOLUMES}:{free_volume.name}"))
        await pilot.press("space")
        assert {item.id for item in screen.chosen_items()} == {free_volume.name}
        table.move_cursor(row=table.get_row_index(f"cat:{CONTAINERS}"))
        await pilot.press("space")
        assert {item.id for item in screen.chosen_items()} == {free_volume.name, created.id, exited.id}
        assert table.get_cell(f"cat:{CONTAINERS}", "tick").plain == "✓"
        assert table.get_cell(f"cat:{VOLUMES}", "tick").plain == "–"

        await pilot.press("a")
        assert {(item.kind, item.id) for item in screen.chosen_items()} == expected
        assert "7 object(s)" in screen.query_one("#cleanup-total").render().plain

        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await wait_until(pilot, lambda: screen.result is not None, timeout=30, what="the removal")
        result = screen.result
        assert result.failures == ()
        assert {(item.kind, item.id) for item in result.removed} == expected
        assert result.total_reclaimed > 0
        assert result.reclaimed_for(DANGLING_IMAGES) > 0
        assert "Reclaimed" in screen.query_one("#cleanup-result-text").render().plain
        # Afterwards the plan is recomputed, and nothing of ours is left in it.
        await wait_until(pilot, lambda: screen.plan is not plan and not screen.plan.items, what="an empty plan")
        def still_listed() -> set[str]:
            return {created.id, exited.id} & dashboard.containers.items.keys()

        await wait_until(pilot, lambda: lost and not still_listed(),
                         what="the removed containers gone from the list, one of them with its event lost")

    api = docker_client.api
    assert not any(c["Id"] in (created.id, exited.id) for c in api.containers(all=True, filters={"label": [f"{k}={v}" for k, v in labels.items()]}))
    assert not exists(api.images, dangling=True, label=[f"{k}={v}" for k, v in labels.items()])
    image_ids = {image["Id"] for image in api.images(all=True)}
    assert dangling_id not in image_ids and tagged_id not in image_ids
    volume_names = {v["Name"] for v in api.volumes()["Volumes"] or []}
    assert free_volume.name not in volume_names and held_volume.name not in volume_names
    assert busy_volume.name in volume_names, "a volume a running container uses stays"
    assert unlabelled_volume.name in volume_names, "an unlabelled volume is never touched"
    assert not api.networks(ids=[network.id])
    assert api.inspect_container(running.id)["State"]["Running"]


def test_an_object_whose_container_stays_is_reported_and_the_rest_still_go(
    backend, docker_client, make_container, test_run_label, unique_name
):
    held_volume = docker_client.volumes.create(name=unique_name("held"), labels=test_run_label)
    network = docker_client.networks.create(unique_name("net"), labels=test_run_label)
    container = make_container(command=["true"], start=False, volumes={held_volume.name: {"bind": "/data"}})

    plan = plan_cleanup(backend, test_run_label)
    chosen = [item for item in plan.items if item.id in (held_volume.name, network.id)]
    assert len(chosen) == 2
    result = remove_items(backend, chosen)

    assert [failure.item.id for failure in result.failures] == [held_volume.name]
    assert "still used" in result.failures[0].reason
    assert [item.id for item in result.removed] == [network.id]
    assert docker_client.volumes.get(held_volume.name)
    assert docker_client.api.inspect_container(container.id)


def test_engine_refusals_are_reported_per_item(backend, unique_name):
    ghost = CleanupItem(kind=VOLUMES, id=unique_name("ghost"), name="[/foo] ghost", size=5)
    result = remove_items(backend, [ghost])
    assert result.removed == () and result.total_reclaimed == 0
    assert result.failures[0].item is ghost
    # The engine's words and the name reach the screen as literal text.
    text = render_result(result)
    assert isinstance(text, Content) and "[/foo] ghost" in text.plain  # Content: literal, styled by the theme


def test_render_result_keeps_markup_literal():
    item = CleanupItem(kind=NETWORKS, id="n1", name="[link=http://x]y[/link]", size=0)
    result = CleanupResult(removed=(), failures=(RemovalFailure(item, "[$accent] refused [/foo]"),), reclaimed=())
    plain = render_result(result).plain
    assert "[link=http://x]y[/link]" in plain and "[$accent] refused [/foo]" in plain


async def test_disk_usage_view(engine_target, backend, docker_client, test_run_label, unique_name):
    docker_client.volumes.create(name=unique_name("df-vol"), labels=test_run_label)
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        await connected_app(pilot)
        screen = DiskUsageScreen()
        await app.push_screen(screen)
        await wait_until(pilot, lambda: screen.usage is not None, timeout=30, what="disk usage")
        table = screen.query_one("#disk-table")
        assert list(key.value for key in table.rows) == ["images", "containers", "volumes", "build_cache"]
        rows = {row.type: row for row in screen.usage.rows}
        assert rows["Images"].total >= 1 and rows["Images"].size > 0, "the fixture image is there"
        assert rows["Local Volumes"].total >= 1
        for row in rows.values():
            assert 0 <= row.active <= row.total
            assert 0 <= row.reclaimable <= row.size
            assert 0 <= row.percent <= 100
        assert table.get_cell("images", "type").plain == "Images"
        assert "%" in table.get_cell("images", "reclaimable").plain

        await pilot.press("c")
        assert isinstance(app.screen, CleanupScreen)
        await pilot.press("escape")
        assert app.screen is screen

    scoped = {row.type: row for row in disk_usage(backend, test_run_label).rows}
    assert scoped["Local Volumes"].total >= 1 and scoped["Build Cache"].total == 0
