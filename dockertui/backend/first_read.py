"""The first snapshot, read while the SDK is still loading.

Importing docker-py takes longer than composing the dashboard, and the two
share one interpreter lock, so a follower that connects through the SDK
shows the list only after both. This read needs neither: a thread started
with the app asks a unix-socket or plain-TCP engine (not TLS, not ssh://)
for the lists over http.client, and the dashboard draws them in its first
frame. The follower's own snapshot, taken after it subscribes to events,
replaces it moments later, so nothing that happens in between is missed.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future

from dockertui.backend.connection import EngineTarget
from dockertui.backend.errors import EngineError
from dockertui.backend.models import EngineSnapshot
from dockertui.backend.raw import engine_from_version, snapshot_from_raw

# Only a head start: an engine slow to answer is left to the follower, which says so.
FIRST_READ_TIMEOUT = 3.0


def start_first_read(target: EngineTarget, timeout: float = FIRST_READ_TIMEOUT) -> Future[EngineSnapshot | None] | None:
    """Read every list of the engine at ``target`` in a thread of its own.

    None for engines the SDK alone reaches (TLS, ssh://). The future gives
    None if the read failed, and never raises.
    """
    if target.tls is not None or target.url.startswith("ssh://"):
        return None
    result: Future[EngineSnapshot | None] = Future()
    threading.Thread(target=_read, args=(target, timeout, result), name="dockertui-first-read", daemon=True).start()
    return result


def _read(target: EngineTarget, timeout: float, result: Future[EngineSnapshot | None]) -> None:
    # Imported here, in the thread: the first frame would otherwise wait for
    # http.client and email to load.
    from dockertui.backend.plain_http import PlainHTTP

    plain = None
    snapshot = None
    try:
        plain = PlainHTTP.for_url(target.url, None, timeout)  # a bad port raises ValueError
        if plain is not None:
            version = plain.get_json("/version")
            prefix = f"/v{version['ApiVersion']}"
            snapshot = snapshot_from_raw(
                engine_from_version(target.display, version),
                plain.get_json(f"{prefix}/containers/json", {"all": "1"}),
                plain.get_json(f"{prefix}/images/json"),
                plain.get_json(f"{prefix}/volumes").get("Volumes") or [],
                plain.get_json(f"{prefix}/networks"),
            )
    except (EngineError, ValueError, KeyError, TypeError, AttributeError):
        pass  # whatever went wrong, the follower meets it too and reports it properly
    finally:
        if plain is not None:
            plain.close()
        result.set_result(snapshot)
