"""tcp:// with TLS: client certificates, CA verification and a mismatch.

The test engine listens on a unix socket only, and a second dockerd with
``--tlsverify`` could not be reached from here (a private engine runs in its
own network namespace), so a TLS front end in this process terminates TLS,
demanding a client certificate signed by the test CA, and forwards the bytes
to the engine's socket. The client side under test is ours and the SDK's.
"""

from __future__ import annotations

import socket
import ssl
import subprocess
import threading

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


def pump(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass  # either side went away: the other is shut below
    finally:
        for sock in (source, sink):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


@pytest.fixture(scope="module")
def tls_front(tmp_path_factory, docker_client):
    from tests.support.engine import reachable_engine_url

    url = reachable_engine_url()
    if not url.startswith("unix://"):
        pytest.skip("the TLS front end forwards to a unix socket")
    certs = tmp_path_factory.mktemp("tls")
    make_ca(certs, "ca")
    make_ca(certs, "other-ca")
    make_cert(certs, "ca", "server", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
    make_cert(certs, "ca", "client", "extendedKeyUsage=clientAuth\n")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH, cafile=str(certs / "ca.pem"))
    context.load_cert_chain(str(certs / "server.pem"), str(certs / "server-key.pem"))
    context.verify_mode = ssl.CERT_REQUIRED
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    stopping = threading.Event()

    def serve() -> None:
        while not stopping.is_set():
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                secure = context.wrap_socket(client, server_side=True)
            except (ssl.SSLError, OSError):
                client.close()
                continue
            engine = socket.socket(socket.AF_UNIX)
            engine.connect(url.removeprefix("unix://"))
            threading.Thread(target=pump, args=(secure, engine), daemon=True).start()
            threading.Thread(target=pump, args=(engine, secure), daemon=True).start()

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    yield f"tcp://127.0.0.1:{port}", certs
    stopping.set()
    listener.close()
    server.join(5)


def test_tlsverify_with_client_certificate(tls_front):
    url, certs = tls_front
    options = TLSOptions(verify=True, ca_cert=str(certs / "ca.pem"), client_cert=str(certs / "client.pem"), client_key=str(certs / "client-key.pem"))
    backend = DockerBackend.connect(resolve_target(host=url, environ={}, tls=options))
    try:
        assert backend.engine_info().version
        assert backend.api.base_url.startswith("https://")
    finally:
        backend.close()


def test_docker_cert_path_from_the_environment(tls_front):
    url, certs = tls_front
    for name in ("ca", "client", "client-key"):
        (certs / "env").mkdir(exist_ok=True)
        (certs / "env" / {"ca": "ca.pem", "client": "cert.pem", "client-key": "key.pem"}[name]).write_bytes((certs / f"{name}.pem").read_bytes())
    target = resolve_target(environ={"DOCKER_HOST": url, "DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": str(certs / "env")})
    backend = DockerBackend.connect(target)
    try:
        assert backend.list_containers() is not None
    finally:
        backend.close()


def test_tls_mismatches_are_reported(tls_front):
    url, certs = tls_front
    wrong_ca = TLSOptions(verify=True, ca_cert=str(certs / "other-ca.pem"), client_cert=str(certs / "client.pem"), client_key=str(certs / "client-key.pem"))
    with pytest.raises(EngineUnavailable, match="TLS certificate not accepted"):
        DockerBackend.connect(resolve_target(host=url, environ={}, tls=wrong_ca))
    with pytest.raises(EngineUnavailable, match="TLS"):
        DockerBackend.connect(resolve_target(host=url, environ={}, tls=TLSOptions(verify=True, ca_cert=str(certs / "ca.pem"))))
    with pytest.raises(EngineUnavailable, match="TLS settings"):
        DockerBackend.connect(resolve_target(host=url, environ={}, tls=TLSOptions(tls=True, client_cert="/missing.pem", client_key="/missing-key.pem")))
