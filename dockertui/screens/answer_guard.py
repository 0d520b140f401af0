"""Confirmations take as their answer only keys typed after they were asked for."""

from __future__ import annotations

from time import monotonic


class AnswersOnlyNewKeys:
    """Mixed into a confirmation screen: a key typed before it was asked cannot answer it.

    ``d`` ``y`` typed as one burst still confirms: the dialog counts from the
    key that opened it. But a dialog that opened by itself, later (after a
    worker), counts from when it appeared, so keys that were on their way to
    something else never press Yes. The app's ``TypeAhead`` drops such keys.
    """

    answers_keys_after: float | None = None

    def on_mount(self) -> None:
        typeahead = getattr(self.app, "typeahead", None)  # type: ignore[attr-defined]
        opener = typeahead.key_time if typeahead is not None else None
        # Textual stamps keys with time.monotonic() on the platforms we support.
        self.answers_keys_after = opener if opener is not None else monotonic()
