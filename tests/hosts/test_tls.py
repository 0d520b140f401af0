"""tcp:// with TLS against dockerd's own ``--tlsverify``: client certificates, CA verification, mismatches.

A second, throwaway dockerd serves TLS with certificates made here by
openssl. It runs in a network namespace of its own (two daemons must not
share ``docker0``), so its TCP listener is made in this process, on
127.0.0.1, and handed to it by socket activation (``-H fd://``): the socket
keeps the namespace it was made in, and the TLS is dockerd's.
"""

from __future__ import annotations

import socket
import subprocess

import pytest

from dockertui.backend import DockerBackend, EngineUnavailable
from dockertui.backend.connection import TLSOptions, resolve_target

pytestmark = pytest.mark.integration


def openssl(*args: str, cwd) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_ca(directory, name: str) -> None:
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={name}",
            "-keyout", f"{name}-key.pem", "-out", f"{name}.pem", cwd=directory)


def make_cert(directory, ca: str, name: str, extension: str) -> None:
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={name}", "-keyout", f"{name}-key.pem",
            "-out", f"{name}.csr", cwd=directory)
    (directory / f"{name}.ext").write_text(extension)
    openssl("x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.pem", "-CAkey", f"{ca}-key.pem", "-CAcreateserial",
            "-days", "1", "-extfile", f"{name}.ext", "-out", f"{name}.pem", cwd=directory)


@pytest.fixture(scope="module")
def tls_front(tmp_path_factory):
    """``(url, certs, unix url)`` of a dockerd that accepts only TLS with a client certificate signed by ``ca``."""
    import os
    import shutil

    from tests.support.engine import PrivateEngine

    if os.geteuid() != 0 or shutil.which("dockerd") is None or shutil.which("unshare") is None:
        pytest.skip("needs root, dockerd and unshare to run a private engine")
    certs = tmp_path_factory.mktemp("tls")
    make_ca(certs, "ca")
    make_ca(certs, "other-ca")
    make_cert(certs, "ca", "server", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
    make_cert(certs, "ca", "client", "extendedKeyUsage=clientAuth\n")
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    tls_args = ["--tlsverify", "--tlscacert", str(certs / "ca.pem"),
                "--tlscert", str(certs / "server.pem"), "--tlskey", str(certs / "server-key.pem")]
    engine = PrivateEngine(isolated_network=True, extra_args=tls_args, activated_socket=listener)
    try:
        engine.start()
        listener.close()  # dockerd has its own copy now
        # The engine's unix socket too, for setting up what a test looks at.
        yield f"tcp://127.0.0.1:{port}", certs, engine.url
    finally:
        listener.close()
        engine.stop()
        shutil.rmtree(engine.base_dir, ignore_errors=True)


def test_tlsverify_with_client_certificate(tls_front):
    url, certs, _ = tls_front
    options = TLSOptions(verify=True, ca_cert=str(certs / "ca.pem"), client_cert=str(certs / "client.pem"), client_key=str(certs / "client-key.pem"))
    backend = DockerBackend.connect(resolve_target(host=url, environ={}, tls=options))
    try:
        assert backend.engine_info().version
        assert backend.api.base_url.startswith("https://")
        assert backend.list_containers() == []  # the TLS engine is a fresh one of our own
    finally:
        backend.close()


def test_docker_cert_path_from_the_environment(tls_front):
    url, certs, _ = tls_front
    for name in ("ca", "client", "client-key"):
        (certs / "env").mkdir(exist_ok=True)
        (certs / "env" / {"ca": "ca.pem", "client": "cert.pem", "client-key": "key.pem"}[name]).write_bytes((certs / f"{name}.pem").read_bytes())
    target = resolve_target(environ={"DOCKER_HOST": url, "DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": str(certs / "env")})
    backend = DockerBackend.connect(target)
    try:
        assert backend.list_containers() is not None
    finally:
        backend.close()


async def test_the_app_over_tls_lists_and_follows(tls_front, test_run_label, unique_name):
    """The whole app on the TLS engine: header, a container made meanwhile appears live, and goes."""
    import docker

    from dockertui.app import DockerTUI
    from tests.support.engine import ensure_fixture_image
    from tests.support.pilot import connected_app, dashboard_up, wait_until

    url, certs, engine_url = tls_front
    setup = docker.DockerClient(base_url=engine_url)
    ensure_fixture_image(setup)
    options = TLSOptions(verify=True, ca_cert=str(certs / "ca.pem"), client_cert=str(certs / "client.pem"), client_key=str(certs / "client-key.pem"))
    app = DockerTUI(resolve_target(host=url, environ={}, tls=options))
    container = None
    try:
        async with dashboard_up(app, size=(120, 36)) as pilot:
            dashboard = await connected_app(pilot)
            assert url in app.sub_title
            container = setup.containers.run("dockertui-test/busybox:latest", ["sleep", "300"], name=unique_name("tls"),
                                             labels=test_run_label, network_mode="none", detach=True)
            table = dashboard.containers
            await wait_until(pilot, lambda: container.id in table.rows, what="the container, over TLS")
            container.remove(force=True)
            await wait_until(pilot, lambda: container.id not in table.rows, what="its removal, over TLS")
    finally:
        if container is not None:
            try:
                container.remove(force=True)
            except docker.errors.NotFound:
                pass
        setup.close()


def test_tls_mismatches_are_reported(tls_front):
    url, certs, _ = tls_front
    wrong_ca = TLSOptions(verify=True, ca_cert=str(certs / "other-ca.pem"), client_cert=str(certs / "client.pem"), client_key=str(certs / "client-key.pem"))
    with pytest.raises(EngineUnavailable, match="TLS certificate not accepted"):
        DockerBackend.connect(resolve_target(host=url, environ={}, tls=wrong_ca))
    with pytest.raises(EngineUnavailable, match="TLS"):
        DockerBackend.connect(resolve_target(host=url, environ={}, tls=TLSOptions(verify=True, ca_cert=str(certs / "ca.pem"))))
    with pytest.raises(EngineUnavailable, match="TLS settings"):
        DockerBackend.connect(resolve_target(host=url, environ={}, tls=TLSOptions(tls=True, client_cert="/missing.pem", client_key="/missing-key.pem")))
