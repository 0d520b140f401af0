"""Remove what the tests created, and nothing else.

Every container, image, volume and network a test creates carries the label
``dockertui.test=<session id>``. These helpers only ever list by that exact
label, so a user's own resources on the same engine are never touched: no
unfiltered ``prune``, no "remove everything".
"""

from __future__ import annotations

import docker

TEST_LABEL_KEY = "dockertui.test"


def label_filter(label: dict[str, str]) -> dict[str, list[str]]:
    """Turn ``{"dockertui.test": value}`` into an SDK ``filters`` argument.

    Raises ValueError for an empty value, which would widen the filter.
    """
    if not label or not all(key and value for key, value in label.items()):
        raise ValueError(f"refusing to filter on an empty label: {label!r}")
    return {"label": [f"{key}={value}" for key, value in label.items()]}


def remove_labelled_containers(client: docker.DockerClient, label: dict[str, str]) -> int:
    """Force-remove every container carrying ``label``, with its anonymous volumes.

    Returns how many were removed.
    """
    removed = 0
    for container in client.containers.list(all=True, sparse=True, filters=label_filter(label)):
        try:
            container.remove(force=True, v=True)
        except docker.errors.APIError as error:
            # 404: auto_remove got there first; 409: a removal is already under way.
            if error.status_code not in (404, 409):
                raise
        else:
            removed += 1
    return removed


def remove_labelled_resources(client: docker.DockerClient, label: dict[str, str]) -> dict[str, int]:
    """Remove containers, networks, volumes and images carrying ``label``.

    Containers go first, since they hold the others. Returns counts by kind.
    """
    filters = label_filter(label)
    counts = {"containers": remove_labelled_containers(client, label)}
    removers = (
        ("networks", client.networks.list, lambda network: network.remove()),
        ("volumes", client.volumes.list, lambda volume: volume.remove(force=True)),
        ("images", client.images.list, lambda image: client.images.remove(image.id, force=True)),
    )
    for kind, list_items, remove in removers:
        counts[kind] = 0
        for item in list_items(filters=filters):
            try:
                remove(item)
            except docker.errors.NotFound:
                continue
            counts[kind] += 1
    return counts
