"""Why a connection failed, in one line a user can act on.

The SDK nests the real cause several exceptions deep (requests wraps urllib3
wraps ssl or socket or paramiko); :func:`describe_connection_error` walks the
chain and names the first cause it recognises.
"""

from __future__ import annotations

import errno
import socket
import ssl
import sys


def _sdk_errors():
    # Loaded by first use only: plain_http.py (which needs no SDK) reports with
    # this module too, and an SDK error cannot have been raised before it loaded.
    return sys.modules.get("docker.errors")


def _paramiko():
    # paramiko (docker-py's ssh:// transport) is loaded only for ssh:// engines;
    # if it is not loaded, none of its errors can have been raised.
    return sys.modules.get("paramiko")


def ssh_errors() -> tuple[type[BaseException], ...]:
    """Errors of the ssh:// transport that are not OSErrors.

    paramiko raises a bare EOFError when the server closes the connection
    during the key exchange.
    """
    paramiko = _paramiko()
    return (paramiko.SSHException, EOFError) if paramiko else ()


def _describe_one(error: BaseException) -> str | None:
    """A reason for one exception in the chain, or None to keep looking."""
    paramiko = _paramiko()
    if paramiko is not None:
        if isinstance(error, paramiko.AuthenticationException):
            return f"SSH authentication failed ({error}); check the user and that your key is accepted"
        if isinstance(error, paramiko.BadHostKeyException):
            return f"SSH host key mismatch: {error}"
        if isinstance(error, paramiko.SSHException) and "known_hosts" in str(error):
            return f"SSH host key unknown: {error}. Connect once with `ssh` to check and accept it"
        if isinstance(error, EOFError):
            return "the SSH server closed the connection"
    if isinstance(error, ssl.SSLCertVerificationError):
        return f"TLS certificate not accepted: {error.verify_message or error}"
    if isinstance(error, ssl.SSLError):
        reason = error.reason or str(error)
        if reason == "WRONG_VERSION_NUMBER":
            return "TLS handshake failed: the engine does not speak TLS on this port (try without --tls)"
        return f"TLS handshake failed: {reason}"
    sdk_errors = _sdk_errors()
    if sdk_errors is not None and isinstance(error, sdk_errors.TLSParameterError):
        return f"TLS settings: {error}"
    if isinstance(error, socket.gaierror):
        return f"cannot resolve the host name ({error.strerror or error})"
    if isinstance(error, FileNotFoundError):
        return "no engine socket there (file not found)"
    if isinstance(error, PermissionError):
        return "permission denied on the engine socket (are you in the docker group?)"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, OSError) and error.errno == errno.EHOSTUNREACH:
        return "host unreachable"
    if isinstance(error, (TimeoutError, socket.timeout)):
        return "timed out"
    return None


def describe_connection_error(error: BaseException) -> str:
    """Turn the SDK's nested connection errors into one readable reason."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    tried = ""  # the address an ssh connect tried, said with the reason
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        reason = _describe_one(current)
        if reason is not None:
            return f"{reason} ({tried})" if tried else reason
        pending.extend([current.__cause__, current.__context__, getattr(current, "reason", None)])
        # paramiko's NoValidConnectionsError keeps the real errors in a dict.
        nested = getattr(current, "errors", None)
        if isinstance(nested, dict):
            pending.extend(value for value in nested.values() if isinstance(value, BaseException))
            address = next(iter(nested), None)
            if isinstance(address, tuple) and len(address) >= 2:
                tried = f"ssh to {address[0]} port {address[1]}"
        pending.extend(arg for arg in getattr(current, "args", ()) if isinstance(arg, BaseException))
    text = str(error).strip() or type(error).__name__
    if "Install paramiko" in text:
        return "ssh:// needs paramiko: pip install 'docker[ssh]'"
    if "closed connection without response" in text:
        text += " (over ssh://, is `docker` on the remote PATH for `docker system dial-stdio`?)"
    return text.splitlines()[0][:300]
