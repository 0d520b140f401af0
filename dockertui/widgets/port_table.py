"""The Ports list: every published port of every container (``docker port``)."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from urllib.parse import urlsplit

from textual.binding import Binding

from dockertui.backend.models import ContainerInfo, PortBinding
from dockertui.formatting import Cell, cell
from dockertui.widgets.keyed_table import Column, KeyedTable

ALL_INTERFACES = ("0.0.0.0", "::", "")
LOCAL_SCHEMES = ("unix", "npipe", "http+unix")


@dataclass(frozen=True)
class PublishedPort:
    """One host port that leads into one container."""

    container: ContainerInfo
    port: PortBinding

    @property
    def key(self) -> str:
        p = self.port
        return f"{self.container.key}|{p.container_port}/{p.protocol}|{p.host_ip}|{p.host_port}"

    @property
    def host(self) -> str:
        return self.container.host


def engine_host_name(engine_url: str) -> str:
    """Where published ports are reached: this machine for a local engine, else the engine's host."""
    parts = urlsplit(engine_url)
    if parts.scheme in LOCAL_SCHEMES or not parts.hostname:
        return "localhost"
    return parts.hostname


def port_url(port: PortBinding, engine_url: str) -> str:
    """``http://HOST:PORT`` for a published port, as seen from where the app runs."""
    host = port.host_ip or ""
    if host in ALL_INTERFACES or engine_host_name(engine_url) != "localhost":
        host = engine_host_name(engine_url)
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port.host_port}"


def published_ports_of(container: ContainerInfo) -> list[PublishedPort]:
    """One row per published port; the engine lists ``-p 80`` twice, for 0.0.0.0 and ::."""
    rows, on_all_interfaces = [], set()
    for port in container.ports:
        if not port.is_published:
            continue
        if port.host_ip in ALL_INTERFACES:
            same = (port.container_port, port.protocol, port.host_port)
            if same in on_all_interfaces:
                continue
            on_all_interfaces.add(same)
        rows.append(PublishedPort(container, port))
    return rows


class PortTable(KeyedTable[PublishedPort]):
    """Published ports across all containers, kept live from container events."""

    # What a user reads first goes first (host port, then where it leads):
    # at 80 columns the list shows about 45.
    COLUMNS = (
        Column("container", "Container", 22),
        Column("host_port", "Host port", 9),
        Column("port", "Container port", 14),
        Column("url", "URL", 32),
        Column("host_ip", "Host IP", 22),
    )
    SORT_COLUMN = "container"
    BINDINGS = [
        Binding("o", "open_url", "Open in browser", id="ports-open"),
        Binding("y", "copy_url", "Copy URL", id="ports-copy"),
    ]

    engine_url = "unix:///var/run/docker.sock"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        # A fleet's engines by name: a port's URL names the host of its own engine.
        self.engine_urls: dict[str, str] = {}

    def url_of(self, item: PublishedPort) -> str:
        return self.engine_urls.get(item.host, self.engine_url)

    def key_for(self, item: PublishedPort) -> str:
        return item.key

    def row_for(self, item: PublishedPort) -> list[Cell]:
        port = item.port
        host_ip = port.host_ip or ""
        shown_ip = "all interfaces" if host_ip in ALL_INTERFACES else host_ip
        cells = {
            "container": cell(item.container.name),
            "port": cell(f"{port.container_port}/{port.protocol}", sort_key=(port.container_port, port.protocol)),
            "host_ip": cell(shown_ip),
            "host_port": cell(str(port.host_port), sort_key=port.host_port),
            "url": cell(port_url(port, self.url_of(item)) if port.protocol == "tcp" else "", style="underline"),
        }
        return [cells[column.key] for column in self.COLUMNS if column.key in cells]

    def load_containers(self, containers: list[ContainerInfo] | tuple[ContainerInfo, ...], host: str = "") -> None:
        self.load_host(host, [p for c in containers for p in published_ports_of(c)])

    def update_containers(self, changes: dict[str, ContainerInfo | None]) -> None:
        """Replace these containers' rows with their current published ports."""
        rows: dict[str, PublishedPort | None] = {
            key: None for key, item in self.items.items() if item.container.key in changes
        }
        for container in changes.values():
            if container is not None:
                rows.update((published.key, published) for published in published_ports_of(container))
        self.set_items(rows)
        self.report_current()

    def action_open_url(self) -> None:
        item = self.current
        if item is None or item.port.protocol != "tcp":
            self.notify("Select a published TCP port first", severity="warning")
            return
        url = port_url(item.port, self.url_of(item))
        if has_local_browser():
            self.app.open_url(url)
            self.notify(f"Opening {url}", markup=False)
        else:
            # Over SSH there is no browser here: show the URL and copy it (OSC 52).
            self.app.copy_to_clipboard(url)
            self.notify(f"{url}\n(no browser here; copied to the clipboard)", markup=False, timeout=8)

    def action_copy_url(self) -> None:
        item = self.current
        if item is None:
            return
        url = port_url(item.port, self.url_of(item))
        self.app.copy_to_clipboard(url)
        self.notify(f"Copied {url}", markup=False)


def has_local_browser() -> bool:
    """False over SSH, or on a Linux box with no display to show a browser on."""
    if os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY"):
        return False
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("BROWSER"))
    return True
