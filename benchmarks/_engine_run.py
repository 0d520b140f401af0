"""One benchmark run on an engine, and the cleanup every run owes, the same for each benchmark.

The engine is the one ``DOCKER_HOST`` (or the default socket) names, or,
with ``private`` or when none answers, a private dockerd in a network
namespace of its own, so it cannot disturb a daemon beside it. Whatever
happens, every container labelled ``dockertui.bench=<run>`` is removed at
the end and a private engine is stopped.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import docker
import docker.errors

from tests.support.engine import (
    FIXTURE_IMAGE,
    PrivateEngine,
    ensure_fixture_image,
    reachable_engine_url,
)

LABEL = "dockertui.bench"


def create_labelled(api: docker.APIClient, run_id: str, names: list[str], command: list[str],
                    start: bool = False) -> list[str]:
    """Containers of the test image with these names, labelled with the run, four at a time; their ids."""

    def one(name: str) -> str:
        container_id = api.create_container(FIXTURE_IMAGE, command, name=name, labels={LABEL: run_id})["Id"]
        if start:
            api.start(container_id)
        return container_id

    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(one, names))


def remove_ours(api: docker.APIClient, run_id: str) -> int:
    """Force-remove every container labelled with this run; returns how many there were."""
    ours = api.containers(all=True, filters={"label": f"{LABEL}={run_id}"})

    def remove(container_id: str) -> None:
        try:
            api.remove_container(container_id, force=True)
        except docker.errors.NotFound:
            pass  # already gone, which is the goal

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(remove, [c["Id"] for c in ours]))
    return len(ours)


def run_on_engine(
    run_id: str,
    private: bool,
    log: Callable[[str], None],
    body: Callable[[str, docker.DockerClient], None],
    cleanup: Callable[[], None] = lambda: None,
) -> int:
    """Call ``body(url, client)`` on the engine, with the test image there; returns the exit status.

    Ctrl-C or SIGTERM (130) or a failure (1) ends the body. Either way
    ``cleanup`` runs first (stop the apps, the tmux server), then the run's
    containers go and a private engine stops, with both signals ignored, so
    a second Ctrl-C cannot cut that short.
    """
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # like Ctrl-C: the cleanup still runs
    engine: PrivateEngine | None = None
    client: docker.DockerClient | None = None
    status = 0
    try:
        url = None if private else reachable_engine_url()
        if url is None:
            log("starting a private dockerd")
            engine = PrivateEngine(isolated_network=True)
            url = engine.start().url
        client = docker.from_env(environment={**os.environ, "DOCKER_HOST": url}, timeout=300)
        ensure_fixture_image(client)
        body(url, client)
    except KeyboardInterrupt:
        log("interrupted; cleaning up")
        status = 130
    except (TimeoutError, RuntimeError, subprocess.CalledProcessError, docker.errors.DockerException) as error:
        log(f"failed: {error}")
        status = 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        try:
            cleanup()
            if client is not None:
                log(f"removed {remove_ours(client.api, run_id)} containers labelled {LABEL}={run_id}")
                client.close()
        finally:
            if engine is not None:
                engine.stop()
                shutil.rmtree(engine.base_dir, ignore_errors=True)
    return status


class BackgroundCommand:
    """``docker args`` started now and left running, so the screen can be read while it runs.

    Waiting for the CLI to exit before reading the screen would add the
    CLI's own wind-down (its reply, its exit) to every figure: the app
    may have shown the change well before the command returns.
    """

    def __init__(self, env: dict, *args: str) -> None:
        self.args = ["docker", *args]
        self.started = time.perf_counter()
        self.ended = 0.0
        self._process = subprocess.Popen(self.args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        self._errors = b""
        self._waiter = threading.Thread(target=self._wait, daemon=True)
        self._waiter.start()

    def _wait(self) -> None:
        self._errors = self._process.communicate()[1]
        self.ended = time.perf_counter()

    def finish(self) -> float:
        """Wait for the command; its perf_counter end time. Raises CalledProcessError if it failed."""
        self._waiter.join()
        if self._process.returncode:
            raise subprocess.CalledProcessError(self._process.returncode, self.args, stderr=self._errors)
        return self.ended
