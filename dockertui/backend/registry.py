"""Browse a private registry over its HTTP API v2: repositories, then tags.

Speaks to the registry directly (the engine has no catalog call), with the
stored login: HTTP basic auth, or a bearer token fetched from the realm the
registry names in ``WWW-Authenticate``, as the docker CLI does. Loopback
registries (localhost, 127.0.0.0/8) are spoken to over plain HTTP, as the
engine treats them as insecure; others over HTTPS unless a scheme is typed.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from dockertui.backend import credentials
from dockertui.backend.credentials import Credentials

if TYPE_CHECKING:
    import requests

REGISTRY_TIMEOUT = 15
PAGE_SIZE = 200
MAX_PAGES = 50
_CHALLENGE_PARAM = re.compile(r'(\w+)="([^"]*)"')


def _new_session() -> requests.Session:
    # requests is imported on first use: the UI imports this module at start-up.
    import requests

    return requests.Session()


class RegistryError(Exception):
    """The registry refused or could not be reached; ``kind`` says which."""

    def __init__(self, message: str, kind: str = "other", status: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status


def base_url(address: str) -> str:
    """``127.0.0.1:5000`` -> ``http://127.0.0.1:5000``; ``r.example.com`` -> ``https://…``."""
    text = address.strip().rstrip("/")
    if text.startswith(("http://", "https://")):
        return text
    host = text.rsplit(":", 1)[0] if text.count(":") == 1 else text
    host = host.strip("[]")
    loopback = host == "localhost"
    try:
        loopback = loopback or ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    return f"{'http' if loopback else 'https'}://{text}"


def parse_challenge(header: str) -> tuple[str, dict[str, str]]:
    """``Bearer realm="…",service="…"`` -> (``bearer``, {realm: …, service: …})."""
    scheme, _, rest = header.strip().partition(" ")
    return scheme.lower(), dict(_CHALLENGE_PARAM.findall(rest))


@dataclass
class RegistryClient:
    """A session with one registry; logs in lazily on the first 401."""

    address: str
    login: Credentials | None = None
    timeout: float = REGISTRY_TIMEOUT
    _session: requests.Session = field(default_factory=_new_session, repr=False)
    _tokens: dict[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def with_stored_login(cls, address: str) -> RegistryClient:
        return cls(address, credentials.load(address))

    @property
    def url(self) -> str:
        return base_url(self.address)

    def close(self) -> None:
        self._session.close()

    def _send(self, url: str, headers: dict[str, str]) -> requests.Response:
        import requests

        try:
            return self._session.get(url, headers=headers, timeout=self.timeout)
        except requests.exceptions.Timeout as error:
            raise RegistryError(f"{self.address} did not answer within {self.timeout:.0f}s", "unreachable") from error
        except requests.exceptions.RequestException as error:
            raise RegistryError(f"cannot reach {self.address}: {_reason(error)}", "unreachable") from error

    def _authorize(self, challenge: str, scope: str) -> dict[str, str]:
        """Answer a 401: basic auth on the session, or a bearer token for ``scope``."""
        scheme, params = parse_challenge(challenge)
        if self.login is None:
            raise RegistryError(f"{self.address} asks for a login: log in first", "unauthorized", 401)
        if scheme == "basic":
            self._session.auth = (self.login.username, self.login.password)
            return {}
        if scheme != "bearer" or "realm" not in params:
            raise RegistryError(f"{self.address} asks for an unknown kind of login ({scheme})", "other", 401)
        query = {"service": params.get("service", ""), "scope": scope}
        import requests

        try:
            answer = self._session.get(
                params["realm"], params={k: v for k, v in query.items() if v},
                auth=(self.login.username, self.login.password), timeout=self.timeout,
            )
        except requests.exceptions.RequestException as error:
            raise RegistryError(f"cannot reach the token service: {_reason(error)}", "unreachable") from error
        if answer.status_code in (401, 403):
            raise RegistryError(f"{self.address} refused the stored login", "unauthorized", answer.status_code)
        if answer.status_code != 200:
            raise RegistryError(f"the token service answered {answer.status_code}", "other", answer.status_code)
        try:
            body = answer.json()
        except ValueError as error:
            raise RegistryError("the token service sent something that is not JSON", "other") from error
        token = body.get("token") or body.get("access_token")
        if not token:
            raise RegistryError("the token service gave no token", "other")
        self._tokens[scope] = token
        return {"Authorization": f"Bearer {token}"}

    def get(self, path: str, scope: str) -> requests.Response:
        """GET a v2 path, logging in once on a 401; raises RegistryError on failure."""
        url = urljoin(self.url + "/", path.lstrip("/"))
        headers = {"Authorization": f"Bearer {self._tokens[scope]}"} if scope in self._tokens else {}
        response = self._send(url, headers)
        if response.status_code == 401:
            headers = self._authorize(response.headers.get("WWW-Authenticate", ""), scope)
            response = self._send(url, headers)
        if response.status_code in (401, 403):
            raise RegistryError(f"{self.address} refused the login for {path}", "unauthorized", response.status_code)
        if response.status_code == 404:
            raise RegistryError(f"{self.address} has no {path}", "not_found", 404)
        if response.status_code != 200:
            raise RegistryError(f"{self.address} answered {response.status_code} for {path}", "other", response.status_code)
        return response

    def _paged(self, path: str, scope: str, key: str) -> list[str]:
        items: list[str] = []
        next_path: str | None = f"{path}?n={PAGE_SIZE}"
        for _ in range(MAX_PAGES):
            if next_path is None:
                break
            response = self.get(next_path, scope)
            try:
                items.extend(str(item) for item in response.json().get(key) or ())
            except ValueError as error:
                raise RegistryError(f"{self.address} sent something that is not JSON", "other") from error
            next_path = _next_link(response.headers.get("Link", ""))
        return items

    def ping(self) -> None:
        """Check that this is a v2 registry and that the login (if any) works."""
        self.get("/v2/", "")

    def repositories(self) -> list[str]:
        """``GET /v2/_catalog``, every page."""
        return sorted(self._paged("/v2/_catalog", "registry:catalog:*", "repositories"))

    def tags(self, repository: str) -> list[str]:
        """``GET /v2/<name>/tags/list``."""
        return sorted(self._paged(f"/v2/{repository}/tags/list", f"repository:{repository}:pull", "tags"))


def _next_link(header: str) -> str | None:
    """RFC 5988 ``Link: </v2/_catalog?last=x&n=200>; rel="next"``."""
    match = re.search(r'<([^>]+)>\s*;\s*rel="?next"?', header)
    return match.group(1) if match else None


def _reason(error: Exception) -> str:
    text = str(error)
    for needle, reason in (("Connection refused", "connection refused"), ("Name or service not known", "no such host"),
                           ("CERTIFICATE_VERIFY_FAILED", "its TLS certificate is not trusted"),
                           ("timed out", "timed out")):
        if needle in text:
            return reason
    return text.splitlines()[0][:200] if text else type(error).__name__
