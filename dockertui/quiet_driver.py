"""A terminal driver whose input thread sleeps while no key comes.

Textual's Linux driver wakes its input thread ten times a second to see
whether a lone Esc has waited long enough to be the Esc key rather than the
start of a sequence. On an idle dashboard those wake-ups were most of the
app's CPU: 0.2 % of a core, as much as the idle target for the whole app.

This driver waits for input with no timeout, except in the moment after a
read, when the parser may hold half a sequence: then it waits ESCAPE_DELAY
(and a little) once, and ticks the parser, which sends a lone Esc on. Leaving
input (quit, suspend) writes to a pipe the thread also waits on.
"""

from __future__ import annotations

import os
import selectors
import threading
from codecs import getincrementaldecoder

from textual import constants
from textual._parser import ParseError
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver

# Past the parser's own deadline for a half-read sequence, so the tick after it always flushes.
TICK_MARGIN_SECONDS = 0.02
READ_BYTES = 4096


class QuietLinuxDriver(LinuxDriver):
    """LinuxDriver with an input thread that does not poll."""

    def start_application_mode(self) -> None:
        self.open_wake_pipe()
        super().start_application_mode()

    def open_wake_pipe(self) -> None:
        """Each input thread gets its own wake pipe, made before the thread starts."""
        self._wake_lock = threading.Lock()
        self._wake_fds: tuple[int, int] | None = os.pipe()

    def disable_input(self) -> None:
        # The byte stays unread: the thread wakes and waits for exit_event,
        # which the base class sets straight after this.
        with self._wake_lock:
            if self._wake_fds is not None:
                os.write(self._wake_fds[1], b"x")
        super().disable_input()

    def run_input_thread(self) -> None:
        """Read keys until input is disabled; the parser gets a tick only when a sequence may be half read."""
        assert self._wake_fds is not None
        wake = self._wake_fds[0]
        selector = selectors.DefaultSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        selector.register(wake, selectors.EVENT_READ)
        parser = XTermParser()
        decode = getincrementaldecoder("utf-8")().decode
        half_read = False
        try:
            while not self.exit_event.is_set():
                timeout = constants.ESCAPE_DELAY + TICK_MARGIN_SECONDS if half_read else None
                ready = {key.fd for key, _mask in selector.select(timeout)}
                if wake in ready:
                    self.exit_event.wait(1.0)
                    continue
                if self.fileno in ready:
                    data = decode(os.read(self.fileno, READ_BYTES))
                    if not data:
                        break  # stdin was a pipe, and it closed
                    for message in parser.feed(data):
                        self.process_message(message)
                half_read = bool(ready)
                for message in parser.tick():
                    self.process_message(message)
            self._read_last(selector, parser, decode)
        finally:
            selector.close()
            with self._wake_lock:
                fds, self._wake_fds = self._wake_fds, None
            if fds is not None:
                for fd in fds:
                    os.close(fd)

    def _read_last(self, selector: selectors.BaseSelector, parser: XTermParser, decode) -> None:
        """What was typed before input stopped, without waiting for more."""
        if any(key.fd == self.fileno for key, _mask in selector.select(0)):
            for message in parser.feed(decode(os.read(self.fileno, READ_BYTES), final=True)):
                self.process_message(message)
        try:
            for _message in parser.feed(""):
                pass
        except (EOFError, ParseError):
            pass  # a sequence cut off at the end: nothing to send
