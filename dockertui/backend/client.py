"""The one place that talks to the Docker SDK.

Uses the low-level ``APIClient``: ``containers(all=True)`` lists every
container in one request, where the high-level ``containers.list()``
inspects each one in turn (1,000 containers, 1,000 requests).
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Callable, Iterator
from datetime import timezone
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import docker
import docker.errors
import requests.exceptions
from docker.tls import TLSConfig
from docker.types.daemon import CancellableStream

from dockertui.backend.chunked import ChunkedDecoder
from dockertui.backend.connect_errors import describe_connection_error, ssh_errors
from dockertui.backend.connection import EngineTarget
from dockertui.backend.disk_usage_read import read_disk_usage
from dockertui.backend.engine_info import EngineDetails, details_from_raw, detect_compose
from dockertui.backend.errors import EngineError, EngineUnavailable, UnreadableAnswer
from dockertui.backend.logs import READ_SIZE, LogLine, read_log_batches
from dockertui.backend.models import (
    ContainerInfo,
    EngineInfo,
    EngineSnapshot,
    ImageInfo,
    NetworkInfo,
    VolumeInfo,
)
from dockertui.backend.plain_http import PlainHTTP
from dockertui.backend.raw import (
    container_from_summary,
    engine_from_version,
    event_from_raw,
    image_from_summary,
    network_from_raw,
    snapshot_from_raw,
    volume_from_raw,
)
from dockertui.backend.streams import ClosableStream, read_channel_chunks

# Short timeout for ordinary calls: a dead engine should be reported, not waited on.
REQUEST_TIMEOUT = 30
# Seconds a stop or restart waits before the engine kills, as `docker stop`.
STOP_TIMEOUT = 10
CONTROL_ACTIONS = ("start", "stop", "restart", "pause", "unpause", "kill")
# Container ids per filtered list request: keeps the URL well under 8 KiB.
IDS_PER_REQUEST = 100


# Requests whose answer comes when their work is done, however long that is.
WORK_LONG_AS_IT_TAKES = ("/prune", "/system/df", "/build", "/commit", "/push", "/export", "/images/get",
                         "/images/load", "/wait", "/archive")


def _allowance(url: str) -> float | None:
    """Seconds beyond an ordinary answer the engine may spend on this request; None: no bound."""
    parts = urlsplit(url)
    if any(part in parts.path for part in WORK_LONG_AS_IT_TAKES) or (
        "/exec/" in parts.path and parts.path.endswith("/start")
    ):
        return None
    if parts.path.endswith(("/stop", "/restart")):
        grace = parse_qs(parts.query).get("t", [str(STOP_TIMEOUT)])[0]
        return float(grace) if grace.lstrip("-").isdigit() and float(grace) >= 0 else float(STOP_TIMEOUT)
    return 0.0


def _read_chunks(response: requests.Response) -> Iterator[bytes]:
    """Whatever the socket has, up to READ_SIZE at a time, until the end."""
    raw = response.raw
    http_response = getattr(raw, "_fp", None)
    buffered = getattr(http_response, "fp", None)
    if buffered is not None and not hasattr(buffered, "read1"):
        # ssh:// through paramiko: its channel file has no read1.
        yield from read_channel_chunks(response, READ_SIZE)
        return
    if getattr(http_response, "chunked", False) and hasattr(buffered, "read1"):
        # Bulk reads of the connection's own buffer; the chunk framing is ours to undo.
        decoder = ChunkedDecoder()
        while not decoder.finished:
            data = buffered.read1(READ_SIZE)
            if not data:
                return
            body = decoder.feed(data)
            if body:
                yield body
        return
    while True:
        data = raw.read1(READ_SIZE)
        if not data:
            return
        yield data


def _tls_config(target: EngineTarget) -> TLSConfig | bool:
    if target.tls is None:
        return False
    tls = target.tls
    client_cert = (tls.client_cert, tls.client_key) if tls.client_cert and tls.client_key else None
    return TLSConfig(client_cert=client_cert, ca_cert=tls.ca_cert, verify=tls.verify and (tls.ca_cert or True))


# SDK calls that only read, so sending one again after a dead pooled connection is safe.
READ_METHODS = frozenset({
    "containers", "inspect_container", "images", "inspect_image", "history", "volumes", "networks",
    "version", "info", "df", "top", "_get", "head", "diff",
})


class DockerBackend:
    """A connected engine: list, re-read and follow containers and images.

    Every method blocks; call them from a worker thread, never the UI.
    """

    def __init__(self, api: docker.APIClient, target: EngineTarget) -> None:
        self._api = api
        self.target = target
        # Container actions skip the SDK where the transport allows (plain_http.py).
        version = getattr(api, "api_version", None)
        self._plain = None if target.tls is not None or not isinstance(version, str) else PlainHTTP.for_url(
            target.url, version, getattr(api, "timeout", REQUEST_TIMEOUT))
        self._watch: tuple[Callable[[float], int], Callable[[int], None]] | None = None
        # Where published ports are reached: an ssh alias is the machine its HostName names.
        self.ports_url = target.url
        # Podman lists pods only in its own API (_with_pods); known from the first snapshot.
        self.is_podman = False
        if target.url.startswith("ssh://"):
            from dockertui.backend.ssh_transport import with_host_name

            self.ports_url = with_host_name(target.url)

    @classmethod
    def connect(cls, target: EngineTarget, timeout: int = REQUEST_TIMEOUT) -> DockerBackend:
        """Open a client and negotiate the API version (one round trip).

        Raises:
            EngineUnavailable: the engine cannot be reached.
        """
        try:
            api = cls._open_api(target, timeout)
        except (docker.errors.DockerException, requests.exceptions.RequestException, OSError, *ssh_errors()) as error:
            raise EngineUnavailable(describe_connection_error(error)) from error
        return cls(api, target)

    @staticmethod
    def _open_api(target: EngineTarget, timeout: int) -> docker.APIClient:
        url = target.url
        if url.startswith("ssh://"):
            # Here, not at the top: paramiko is loaded only for ssh:// (see backend.connect).
            from dockertui.backend.ssh_transport import use_timed_ssh, with_config_port

            use_timed_ssh()  # docker-py's own ssh:// connect has no timeout
            url = with_config_port(url)
        tls = _tls_config(target)
        if isinstance(tls, TLSConfig) and tls.ca_cert and tls.verify:
            # requests lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE override a
            # session's CA file (psf/requests#3829), which would reject the
            # engine's own CA; not trusting the environment keeps ours.
            api = docker.APIClient(base_url=url, timeout=timeout, tls=tls, version="1.24")
            api.trust_env = False
            api._version = api._retrieve_server_version()
            return api
        return docker.APIClient(base_url=url, version="auto", timeout=timeout, tls=tls)

    def close(self) -> None:
        self._api.close()

    def watch_requests(self, started: Callable[[float], int], ended: Callable[[int], None]) -> None:
        """Report each request to the engine, from the thread that sends it.

        ``started(allowance)`` as it goes, with the seconds the engine may
        rightly spend on it beyond an ordinary answer (a stop's grace period);
        ``ended(token)`` once answered (a stream: once its headers are in) or
        failed. Requests that take as long as their work does (a prune, a
        build) are not reported.
        """
        self._watch = (started, ended)
        send = self._api.send

        def watched_send(request: Any, **kwargs: Any) -> Any:
            return self._watched(_allowance(request.url), lambda: send(request, **kwargs))

        self._api.send = watched_send

    def _watched(self, allowance: float | None, send: Callable[[], Any]) -> Any:
        """``send()``, reported to watch_requests' callbacks unless ``allowance`` is None (no bound)."""
        if self._watch is None or allowance is None:
            return send()
        started, ended = self._watch
        token = started(allowance)
        try:
            return send()
        finally:
            ended(token)

    @property
    def is_local(self) -> bool:
        """The engine runs on this machine (a unix socket), so its cgroups are readable here."""
        return self.target.url.startswith(("unix://", "http+unix://")) or self.target.url.startswith("/")

    @property
    def api(self) -> docker.APIClient:
        """The SDK client, for the other backend modules only."""
        return self._api

    def own_connection(self) -> tuple[http.client.HTTPConnection, str] | None:
        """A new connection for one long transfer, and the API's path prefix (backend modules only).

        Its socket may be shut from any thread at any moment, even before the
        engine answers (closable_request.py). None over TLS and ssh://.
        """
        if self._plain is None:
            return None
        return self._plain.new_connection(), self._plain.prefix

    def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """Call an SDK method with its errors turned into ours (backend modules only)."""
        return self._call(method, *args, **kwargs)

    def _call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        try:
            try:
                return getattr(self._api, method)(*args, **kwargs)
            except requests.exceptions.ConnectionError as error:
                # A pooled connection can be one a closed stream left behind (over
                # ssh://, its channel is gone): a read is sent again on a fresh one.
                if method not in READ_METHODS or "Socket is closed" not in str(error):
                    raise
                return getattr(self._api, method)(*args, **kwargs)
        except docker.errors.NotFound as error:
            if method == "inspect_image":
                raise
            raise EngineError(error.explanation or str(error), error.status_code) from error
        except docker.errors.APIError as error:
            raise EngineError(error.explanation or str(error), error.status_code) from error
        except requests.exceptions.JSONDecodeError as error:
            # It answered: the engine is there, its answer is not what was asked for.
            raise UnreadableAnswer(f"the engine's answer to {method} was not JSON") from error
        except requests.exceptions.ReadTimeout as error:
            # The request was sent: a stalled engine may still act on it later.
            raise EngineUnavailable(
                "the engine did not answer in time; it may still carry this out once it answers"
            ) from error
        except (requests.exceptions.RequestException, OSError, *ssh_errors()) as error:
            raise EngineUnavailable(describe_connection_error(error)) from error
        except docker.errors.DockerException as error:
            raise EngineError(str(error)) from error

    def engine_info(self) -> EngineInfo:
        return engine_from_version(self.target.display, self._call("version"))

    def engine_details(self) -> EngineDetails:
        """``docker version`` and ``docker info`` for this engine, and the local Compose."""
        version = self._call("version")
        info = self._call("info")
        return details_from_raw(
            host=self.target.display,
            client_library=f"docker-py {docker.__version__}",
            api_version=str(self._api.api_version),
            version=version,
            info=info,
            compose=detect_compose(),
        )

    def list_containers(self) -> list[ContainerInfo]:
        """Every container, running or not, in one request."""
        return [container_from_summary(raw) for raw in self._call("containers", all=True)]

    def get_container(self, container_id: str) -> ContainerInfo | None:
        """Re-read one container (full id); None when it no longer exists."""
        return self.get_containers([container_id]).get(container_id)

    def get_containers(self, container_ids: list[str]) -> dict[str, ContainerInfo]:
        """Re-read several containers (full ids) in as few requests as the URL allows.

        The engine's id filter matches prefixes, so results are kept only on an exact match.
        """
        found: dict[str, ContainerInfo] = {}
        wanted = set(container_ids)
        for start in range(0, len(container_ids), IDS_PER_REQUEST):
            chunk = container_ids[start : start + IDS_PER_REQUEST]
            for raw in self._with_pods(self._call("containers", all=True, filters={"id": chunk}), chunk):
                if raw["Id"] in wanted:
                    found[raw["Id"]] = container_from_summary(raw)
        return found

    def _with_pods(self, raws: list[dict[str, Any]], ids: list[str] | None = None) -> list[dict[str, Any]]:
        """On Podman, each container's pod (PodName), which only Podman's own API lists.

        One more request per read; without an answer the containers show no pod.
        """
        if not self.is_podman or not raws:
            return raws
        params = {"all": "true", **({"filters": json.dumps({"id": ids})} if ids else {})}
        try:
            answer = self._api._result(self._api._get(self._api._url("/libpod/containers/json"), params=params), True)
            pods = {entry["Id"]: entry.get("PodName") or "" for entry in answer}
        except Exception:  # the pod is extra: the list never fails for it
            return raws
        for raw in raws:
            raw["PodName"] = pods.get(raw["Id"], "")
        return raws

    def list_images(self) -> list[ImageInfo]:
        return [image_from_summary(raw) for raw in self._call("images")]

    def get_image(self, reference: str) -> ImageInfo | None:
        """Re-read one image by id or name; None when it is gone."""
        try:
            return image_from_summary(self._call("inspect_image", reference))
        except docker.errors.NotFound:
            return None

    def snapshot(self) -> EngineSnapshot:
        """Engine identity plus every container, image, volume and network."""
        engine = self.engine_info()
        self.is_podman = engine.product == "Podman"
        return snapshot_from_raw(
            engine,
            self._with_pods(self._call("containers", all=True)),
            self._call("images"),
            self._call("volumes").get("Volumes") or [],
            self._call("networks"),
        )

    # ------------------------------------------------- volumes, networks

    def list_volumes(self, with_sizes: bool = False) -> list[VolumeInfo]:
        """Every volume; sizes come from disk usage, which can take a while."""
        sizes = None
        if with_sizes:
            usage = read_disk_usage(self._call).get("Volumes") or []
            sizes = {v["Name"]: int((v.get("UsageData") or {}).get("Size", -1)) for v in usage}
        raw = self._call("volumes").get("Volumes") or []
        return [volume_from_raw(v, sizes) for v in raw]

    def create_volume(self, name: str, labels: dict[str, str] | None = None) -> None:
        self._call("create_volume", name or None, labels=labels or None)

    def remove_volume(self, name: str, force: bool = False) -> None:
        self._call("remove_volume", name, force=force)

    def list_networks(self) -> list[NetworkInfo]:
        return [network_from_raw(n) for n in self._call("networks")]

    def create_network(self, name: str, driver: str = "bridge", labels: dict[str, str] | None = None) -> None:
        self._call("create_network", name, driver=driver or "bridge", labels=labels or None)

    def remove_network(self, network_id: str) -> None:
        self._call("remove_network", network_id)

    def connect_network(self, network_id: str, container_id: str) -> None:
        self._call("connect_container_to_network", container_id, network_id)

    def disconnect_network(self, network_id: str, container_id: str) -> None:
        self._call("disconnect_container_from_network", container_id, network_id)

    def container_logs(
        self, container_id: str, tail: int | None = 500, since: float | None = None, follow: bool = True
    ) -> ClosableStream[list[LogLine]]:
        """The container's output as batches of whole lines; close it to stop.

        ``tail=None`` means all lines; ``since`` is epoch seconds.
        """
        tty = bool(self._call("inspect_container", container_id)["Config"].get("Tty"))
        params: dict[str, Any] = {
            "stdout": 1,
            "stderr": 1,
            "timestamps": 1,
            "follow": 1 if follow else 0,
            "tail": "all" if tail is None else str(tail),
        }
        if since is not None:
            params["since"] = since
        return self.log_stream("/containers/{0}/logs", container_id, params, tty=tty)

    def log_stream(
        self,
        path: str,
        object_id: str,
        params: dict[str, Any],
        tty: bool,
        convert: Callable[[list[LogLine]], list[LogLine]] | None = None,
    ) -> ClosableStream[list[LogLine]]:
        """GET a logs endpoint (``path`` names it, as ``APIClient._url``) as batches of whole lines.

        For the backend modules: containers here, services in ``swarm.py``.
        ``convert`` is applied to each batch in the reading thread. Closing
        the stream shuts its socket, which frees a reader blocked on it.
        """
        # The SDK's own logs() reads TTY output a byte at a time; we make the
        # same request and read its socket in large chunks instead.
        api = self._api
        response = self._call("_get", api._url(path, object_id), params=params, stream=True)
        try:
            api._raise_for_status(response)
        except docker.errors.APIError as error:
            response.close()
            raise EngineError(error.explanation or str(error), error.status_code) from error
        api._disable_socket_timeout(api._get_raw_response_socket(response))
        # With details=1 each line (and each 16 KiB piece of a long one) carries "k=v,… " after its stamp.
        batches = read_log_batches(_read_chunks(response), tty=tty, details=bool(params.get("details")))
        return ClosableStream(CancellableStream(batches, response), convert, response=response)

    # ----------------------------------------------------------- control

    def control(self, action: str, container_id: str) -> None:
        """start, stop, restart, pause, unpause or kill one container."""
        if action not in CONTROL_ACTIONS:
            raise ValueError(f"unknown container action {action!r}")
        grace = STOP_TIMEOUT if action in ("stop", "restart") else 0
        if self._plain is not None:
            self._plain_request("POST", f"/containers/{container_id}/{action}", {"t": str(grace)} if grace else None, grace)
            return
        self._call(action, container_id, **({"timeout": grace} if grace else {}))

    def _plain_request(self, method: str, path: str, params: dict[str, str] | None, extra_seconds: float = 0) -> None:
        """A request through plain_http, watched as the SDK's are (watch_requests)."""
        self._watched(extra_seconds, lambda: self._plain.request(method, path, params, extra_seconds))

    def rename(self, container_id: str, name: str) -> None:
        self._call("rename", container_id, name)

    def remove_container(self, container_id: str, force: bool = False, volumes: bool = False) -> None:
        if self._plain is not None:
            self._plain_request("DELETE", f"/containers/{container_id}", {"force": str(int(force)), "v": str(int(volumes))})
            return
        self._call("remove_container", container_id, force=force, v=volumes)

    def inspect_container(self, container_id: str) -> dict[str, Any]:
        """The full inspect document, as the engine sends it."""
        return self._call("inspect_container", container_id)

    def inspect_image(self, reference: str) -> dict[str, Any]:
        try:
            return self._call("inspect_image", reference)
        except docker.errors.NotFound as error:
            raise EngineError(error.explanation or f"no such image: {reference}", 404) from error

    def image_exists(self, reference: str) -> bool:
        try:
            self._call("inspect_image", reference)
        except docker.errors.NotFound:
            return False
        return True

    def engine_clock(self) -> int | None:
        """The engine's time in whole seconds (the Date of its answer to a ping); None if it sends none.

        None from Podman too: for any ``since`` its event readers go through the
        whole log from its start (journald, before they learnt to seek), so
        every connect would wait behind the host's history of events.
        """
        response = self._call("_get", self._api._url("/_ping"))
        if "Libpod-Api-Version" in response.headers:
            return None
        date = response.headers.get("Date")
        try:
            when = parsedate_to_datetime(date) if date else None
        except (TypeError, ValueError):
            return None
        if when is None:
            return None
        return int((when if when.tzinfo else when.replace(tzinfo=timezone.utc)).timestamp())

    def events(self, since: int | None = None) -> ClosableStream:
        """Subscribe to the engine's events; close the stream to stop.

        ``since`` (the engine's clock, in seconds): the stream starts with the
        events from then that the engine still keeps (Docker keeps its last 256).
        """
        raw_stream = self._call("events", decode=True, since=since)
        # The SDK's CancellableStream cannot close an ssh:// stream; we close its response.
        return ClosableStream(raw_stream, event_from_raw, response=raw_stream._response)
