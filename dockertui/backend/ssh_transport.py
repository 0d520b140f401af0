"""docker-py's ``ssh://`` transport, with limits on how long connecting may take.

docker-py connects with paramiko's ``SSHClient.connect(**ssh_params)`` and
passes no timeout, so a host that drops packets holds the caller until the
kernel gives up on the TCP connect (about two minutes on Linux), and opening
a channel may wait an hour. The adapter here adds limits to ``ssh_params``,
which docker-py also uses when it reconnects a dropped session.

It also reads ``~/.ssh/config`` as ``ssh`` does. docker-py adds ``:22`` to
a URL without a port before it looks there, so an alias's ``Port`` was never
used, and it ignores ``UserKnownHostsFile``. :func:`with_config_port` puts the
alias's port into the URL first (a port in the URL still wins, as ``-p``
does), and the adapter loads the alias's known-hosts files.

``APIClient`` makes its ssh adapter from the name ``SSHHTTPAdapter`` in
``docker.api.client``; :func:`use_timed_ssh` points that name at ours.
docker is pinned below 8 for this.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import docker.api.client

try:  # docker-py's ssh:// support needs paramiko (`docker[ssh]`)
    import paramiko
    from docker.transport.sshconn import SSHHTTPAdapter
except ImportError:
    paramiko = None
    SSHHTTPAdapter = None

SSH_CONFIG = "~/.ssh/config"

# Seconds for the TCP connect plus the key exchange, for the banner, and for authentication;
# under paramiko's own 15 s handshake limit, which ends with a bare EOFError.
SSH_CONNECT_TIMEOUT = 10
# Seconds to wait for the server to open a channel (one per HTTP connection).
SSH_CHANNEL_TIMEOUT = 30
# HTTP connections open at once over one ssh connection. Each is an ssh
# session, and sshd allows 10 per connection by default (MaxSessions); this
# leaves room below a server that lowered it. Two are the event and log streams.
SSH_MAX_CONNECTIONS = 6
# All requests share one pool: docker-py keys pools by the whole request URL,
# and each pooled connection keeps its session open, so a dozen containers
# inspected used up MaxSessions and the next log stream could not open.
SHARED_POOL = "ssh://dockertui-shared-pool"


if SSHHTTPAdapter is not None:

    class TimedSSHHTTPAdapter(SSHHTTPAdapter):
        """SSHHTTPAdapter whose paramiko connect gives up after SSH_CONNECT_TIMEOUT,
        and which never holds more than SSH_MAX_CONNECTIONS sessions open."""

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self.max_pool_size = SSH_MAX_CONNECTIONS

        def get_connection(self, url, proxies=None):
            pool = super().get_connection(SHARED_POOL, proxies)
            # A request beyond the limit waits for a connection to come back
            # rather than opening a session sshd would refuse.
            pool.block = True
            return pool

        def _create_paramiko_client(self, base_url: str) -> None:
            super()._create_paramiko_client(base_url)
            for known_hosts in ssh_config_for(urlsplit(base_url).hostname or "").get("userknownhostsfile", "").split():
                path = os.path.expanduser(known_hosts)
                if os.path.isfile(path):
                    self.ssh_client.load_system_host_keys(path)
            self.ssh_params.update(
                timeout=SSH_CONNECT_TIMEOUT,
                banner_timeout=SSH_CONNECT_TIMEOUT,
                auth_timeout=SSH_CONNECT_TIMEOUT,
                channel_timeout=SSH_CHANNEL_TIMEOUT,
            )


def use_timed_ssh() -> None:
    """Make every ``docker.APIClient`` created from now on use TimedSSHHTTPAdapter for ssh://."""
    if SSHHTTPAdapter is not None:
        docker.api.client.SSHHTTPAdapter = TimedSSHHTTPAdapter


def ssh_config_for(alias: str) -> dict[str, str]:
    """What ``~/.ssh/config`` says for ``alias`` (lower-case keys, as paramiko gives them); {} without one."""
    path = os.path.expanduser(SSH_CONFIG)
    if paramiko is None or not alias or not os.path.isfile(path):
        return {}
    config = paramiko.SSHConfig.from_path(path)
    found = config.lookup(alias)
    return {key: " ".join(value) if isinstance(value, list) else str(value) for key, value in found.items()}


def with_config_port(url: str) -> str:
    """``ssh://alias`` with the alias's ``Port`` from ``~/.ssh/config`` written in; other URLs as they are."""
    parts = urlsplit(url)
    if parts.scheme != "ssh" or parts.port is not None:
        return url
    port = ssh_config_for(parts.hostname or "").get("port")
    return f"{url.rstrip('/')}:{port}" if port and port.isdigit() else url


def with_host_name(url: str) -> str:
    """``ssh://user@alias:port`` with the alias's ``HostName`` in its place: the machine it reaches."""
    parts = urlsplit(url)
    alias = parts.hostname or ""
    host = ssh_config_for(alias).get("hostname", alias)
    if host == alias:
        return url
    user = f"{parts.username}@" if parts.username else ""
    port = f":{parts.port}" if parts.port else ""
    return parts._replace(netloc=f"{user}{f'[{host}]' if ':' in host else host}{port}").geturl()
