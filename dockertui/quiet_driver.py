"""A terminal driver whose input thread sleeps while no key comes.

Textual's Linux driver wakes its input thread ten times a second to see
whether a lone Esc has waited long enough to be the Esc key rather than the
start of a sequence. On an idle dashboard those wake-ups were most of the
app's CPU: 0.2 % of a core, as much as the idle target for the whole app.

This driver waits for input without that timeout, except in the moment after
a read, when the parser may hold half a sequence: then it waits ESCAPE_DELAY
(and a little) once, and ticks the parser, which sends a lone Esc on. Leaving
input (quit, suspend) writes to a pipe each input thread also waits on; a
long timeout stays as a safety net for a thread that started as input was
being left.
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
# The longest an input thread waits without looking whether input was left.
SAFETY_WAKE_SECONDS = 5.0
READ_BYTES = 4096


class QuietLinuxDriver(LinuxDriver):
    """LinuxDriver with an input thread that does not poll."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._wake_lock = threading.Lock()
        # Each running input thread's wake pipe (read end, write end).
        self.wake_pipes: list[tuple[int, int]] = []

    def disable_input(self) -> None:
        # The bytes stay unread until the threads wake: each then waits for
        # exit_event, which the base class sets straight after this.
        with self._wake_lock:
            for _read_end, write_end in self.wake_pipes:
                os.write(write_end, b"x")
        super().disable_input()

    def run_input_thread(self) -> None:
        """Read keys until input is disabled; the parser gets a tick only when a sequence may be half read."""
        pipe = os.pipe()
        with self._wake_lock:
            self.wake_pipes.append(pipe)
        wake = pipe[0]
        # Select, as Textual's driver: epoll refuses a stdin that is /dev/null or a file.
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        selector.register(wake, selectors.EVENT_READ)
        parser = XTermParser()
        decode = getincrementaldecoder("utf-8")().decode
        half_read = False
        try:
            while not self.exit_event.is_set():
                timeout = constants.ESCAPE_DELAY + TICK_MARGIN_SECONDS if half_read else SAFETY_WAKE_SECONDS
                ready = {key.fd for key, _mask in selector.select(timeout)}
                if wake in ready:
                    os.read(wake, READ_BYTES)
                    self.exit_event.wait(1.0)
                    continue
                if self.fileno in ready:
                    raw = os.read(self.fileno, READ_BYTES)
                    if not raw:
                        break  # stdin was a pipe or a file, and it ended
                    # Half a character (a paste cut mid-way) decodes to nothing until the rest
                    # comes; nothing is not fed on, as the parser takes "" for the end of input.
                    data = decode(raw)
                    for message in parser.feed(data) if data else ():
                        self.process_message(message)
                half_read = self.fileno in ready
                for message in parser.tick():
                    self.process_message(message)
            self._read_last(selector, parser, decode)
        finally:
            selector.close()
            with self._wake_lock:
                self.wake_pipes.remove(pipe)
            for fd in pipe:
                os.close(fd)

    def _read_last(self, selector: selectors.BaseSelector, parser: XTermParser, decode) -> None:
        """What was typed before input stopped, without waiting for more."""
        try:
            if any(key.fd == self.fileno for key, _mask in selector.select(0)):
                data = decode(os.read(self.fileno, READ_BYTES), final=True)
                for message in parser.feed(data) if data else ():
                    self.process_message(message)
            for _message in parser.feed(""):
                pass
        except (EOFError, ParseError, UnicodeDecodeError):
            pass  # a sequence cut off at the end: nothing to send
