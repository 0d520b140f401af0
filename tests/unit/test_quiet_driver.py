"""The terminal driver's input thread: keys and a lone Esc still arrive, it
waits without a timeout once nothing is half read, and leaving input ends it.

It reads a pipe here instead of a terminal; the app itself is driven through
a real terminal by the benchmarks and by hand (tmux).
"""

from __future__ import annotations

import asyncio
import os
import queue
import selectors
import threading

import pytest
from textual import events
from textual.app import App

from dockertui import quiet_driver
from dockertui.app import DockerTUI
from dockertui.backend import EngineTarget
from dockertui.quiet_driver import QuietLinuxDriver

WAIT = 10.0


class RecordingSelector(selectors.SelectSelector):
    """Notes each select's timeout; ``waiting_forever`` is set while one with only the safety timeout runs."""

    timeouts: list[float | None] = []
    waiting_forever = threading.Event()

    def select(self, timeout=None):
        RecordingSelector.timeouts.append(timeout)
        if timeout == quiet_driver.SAFETY_WAKE_SECONDS:
            RecordingSelector.waiting_forever.set()
        try:
            return super().select(timeout)
        finally:
            RecordingSelector.waiting_forever.clear()


class PipeDriver(QuietLinuxDriver):
    """Reads a pipe; hands what it parses to a queue instead of an app."""

    def __init__(self) -> None:
        super().__init__(App(), mouse=False, size=(80, 24))
        self.fileno, self.keyboard = os.pipe()
        self.received: queue.Queue = queue.Queue()

    def process_message(self, message) -> None:
        self.received.put(message)

    def next_key(self) -> str:
        return self.next_key_event().key

    def next_key_event(self) -> events.Key:
        while True:
            message = self.received.get(timeout=WAIT)
            if isinstance(message, events.Key):
                return message


async def made_in_a_loop() -> PipeDriver:
    return PipeDriver()


@pytest.fixture
def driver(monkeypatch):
    pipe_driver = asyncio.run(made_in_a_loop())  # a Driver notes the running loop
    # Patched only now: asyncio's loop uses the same class.
    monkeypatch.setattr(quiet_driver.selectors, "SelectSelector", RecordingSelector)
    RecordingSelector.timeouts = []
    RecordingSelector.waiting_forever.clear()
    thread = threading.Thread(target=pipe_driver.run_input_thread, daemon=True)
    # disable_input joins the input thread by this name, as it does Textual's own.
    pipe_driver._key_thread = thread
    thread.start()
    yield pipe_driver
    if thread.is_alive():
        pipe_driver.disable_input()
    os.close(pipe_driver.fileno)
    os.close(pipe_driver.keyboard)


def test_typed_keys_arrive_in_order(driver):
    os.write(driver.keyboard, b"ab/x")
    assert [driver.next_key() for _ in range(4)] == ["a", "b", "slash", "x"]


def test_a_lone_esc_arrives_as_the_escape_key(driver):
    os.write(driver.keyboard, b"\x1b")
    assert driver.next_key() == "escape"


def test_once_nothing_is_half_read_it_waits_without_a_timeout(driver):
    assert RecordingSelector.waiting_forever.wait(WAIT)
    os.write(driver.keyboard, b"\x1b")
    assert driver.next_key() == "escape"
    assert RecordingSelector.waiting_forever.wait(WAIT)
    timeouts = RecordingSelector.timeouts
    # One short wait after the read, long enough for the parser's own Esc deadline, then only the safety net.
    safety = quiet_driver.SAFETY_WAKE_SECONDS
    assert timeouts[-1] == safety
    assert quiet_driver.constants.ESCAPE_DELAY < timeouts[-2] < safety
    assert sum(timeout != safety for timeout in timeouts) == 1, timeouts


def test_leaving_input_ends_the_thread_and_closes_its_pipe(driver):
    assert RecordingSelector.waiting_forever.wait(WAIT)
    thread = driver._key_thread
    driver.disable_input()
    thread.join(WAIT)
    assert not thread.is_alive()
    assert driver.wake_pipes == []


def test_half_a_character_waits_for_its_rest(driver):
    # "é" is two bytes; a read can end between them (a paste cut by the link).
    os.write(driver.keyboard, "é".encode()[:1])
    assert RecordingSelector.waiting_forever.wait(WAIT)
    os.write(driver.keyboard, "é".encode()[1:] + b"z")
    assert [driver.next_key_event().character, driver.next_key()] == ["é", "z"]


def made_app() -> DockerTUI:
    return DockerTUI(EngineTarget(url="unix:///nowhere/docker.sock", source="tests"))


def test_the_app_uses_it_in_a_terminal_and_textual_s_own_elsewhere(monkeypatch):
    monkeypatch.setattr("textual.constants.DRIVER", None)
    assert App().driver_class.__name__ == "LinuxDriver"
    assert made_app().driver_class is QuietLinuxDriver
    # The browser's driver (serve) and any other named one are left alone.
    monkeypatch.setattr("textual.constants.DRIVER", "textual.drivers.headless_driver:HeadlessDriver")
    assert made_app().driver_class.__name__ == "HeadlessDriver"
