"""Finding the engine when nothing names it: the default socket, then the well-known ones.

Docker Desktop, colima, OrbStack, Rancher Desktop, rootless Docker and
Podman each put their socket somewhere else, and none of them need set
DOCKER_HOST. When neither ``--host``, ``DOCKER_HOST`` nor a context names an
engine and the default socket does not answer, each place below is asked
``GET /_ping`` in turn, briefly; the first that answers is used, and the
reasons of the others are kept to show if none does.
"""

from __future__ import annotations

import http.client
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from dockertui.backend.connection import EngineTarget
from dockertui.backend.errors import EngineUnavailable
from dockertui.backend.plain_http import UnixConnection

# A socket on this machine answers a ping in milliseconds; one that does not
# within this is not an engine to wait for.
PING_TIMEOUT = 0.5


@dataclass(frozen=True)
class Tried:
    """A place asked, and why it was not used ("" for the one that answered)."""

    url: str
    what: str
    reason: str = ""


def well_known_sockets(environ: Mapping[str, str] = os.environ) -> list[tuple[str, str]]:
    """(URL, whose) for every well-known socket, in the order they are tried."""
    home = Path(environ.get("HOME") or Path.home())
    runtime = environ.get("XDG_RUNTIME_DIR")
    places = []
    if runtime:
        places.append((f"{runtime}/docker.sock", "rootless Docker"))
    places += [
        (f"{home}/.docker/run/docker.sock", "Docker Desktop"),
        (f"{home}/.colima/default/docker.sock", "colima"),
        (f"{home}/.colima/docker.sock", "colima"),
        (f"{home}/.orbstack/run/docker.sock", "OrbStack"),
        (f"{home}/.rd/docker.sock", "Rancher Desktop"),
    ]
    if runtime:
        places.append((f"{runtime}/podman/podman.sock", "Podman (rootless)"))
    places.append(("/run/podman/podman.sock", "Podman"))
    return [(f"unix://{path}", what) for path, what in places]


def find_engine(
    target: EngineTarget, environ: Mapping[str, str] = os.environ, timeout: float = PING_TIMEOUT
) -> tuple[EngineTarget, list[Tried]]:
    """``target`` if it answers or was named; else the first well-known socket that answers.

    Raises:
        EngineUnavailable: nothing answers; its message lists every place tried, with why.
    """
    if target.source != "default":
        return target, []
    tried = []
    for url, what in [(target.url, "the default socket"), *well_known_sockets(environ)]:
        reason = ping(url, timeout)
        tried.append(Tried(url, what, reason))
        if not reason:
            found = target if url == target.url else replace(target, url=url, source=f"found: {what}")
            return found, tried
    lines = "\n".join(f"  {t.url.removeprefix('unix://')} ({t.what}): {t.reason}" for t in tried)
    # The app never starts or stops a system dockerd; it says how.
    hint = "\nDocker is installed: start it with `sudo systemctl start docker`." if shutil.which("dockerd") else ""
    raise EngineUnavailable(f"no engine answers at the default socket or any well-known one:\n{lines}{hint}")


def ping(url: str, timeout: float = PING_TIMEOUT) -> str:
    """Why the engine at this unix socket URL cannot be used; "" when it answers ``/_ping``."""
    path = url.removeprefix("unix://")
    if not os.path.exists(path):
        return "no socket there"
    connection = UnixConnection(path, timeout)
    try:
        connection.request("GET", "/_ping")
        response = connection.getresponse()
        body = response.read(64)
    except PermissionError:
        return "permission denied (is your user in the docker group?)"
    except ConnectionRefusedError:
        return "nothing listening"
    except TimeoutError:
        return f"did not answer within {timeout:g} s"
    except (OSError, http.client.HTTPException) as error:
        return f"did not answer: {error}"
    finally:
        connection.close()
    if response.status != 200:
        return f"answered HTTP {response.status}, not as an engine does"
    return "" if body.strip() == b"OK" else "answered, but not as an engine does"
