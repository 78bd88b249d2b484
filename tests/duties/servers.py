"""Real servers on loopback for the notification tests: an SMTP server (aiosmtpd) offering STARTTLS and login,
and an HTTP webhook receiver that keeps every JSON body it is sent."""

from __future__ import annotations

import json
import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from tests.scanners.endpoint.servers import CertFactory, server_context


@dataclass
class Mailbox:
    """What the SMTP server received, and whether each message came over TLS after a login."""

    messages: list[EmailMessage] = field(default_factory=list)
    tls: list[bool] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        assert isinstance(envelope.content, bytes)
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        self.tls.append(session.ssl is not None)
        return "250 OK"


class _Auth:
    def __init__(self, mailbox: Mailbox, username: str, password: str) -> None:
        self.mailbox, self.username, self.password = mailbox, username, password

    def __call__(self, server: SMTP, session: Session, envelope: Envelope, mechanism: str,
                 auth_data: Any) -> AuthResult:
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == self.username
              and auth_data.password.decode() == self.password)
        if ok:
            self.mailbox.logins.append(self.username)
        return AuthResult(success=ok)


@dataclass
class SmtpServer:
    """An aiosmtpd server on 127.0.0.1 requiring STARTTLS and a login; ``ca_file`` verifies its certificate."""

    port: int
    ca_file: Path
    mailbox: Mailbox
    controller: Controller

    def stop(self) -> None:
        """Stop the server."""
        self.controller.stop()


def start_smtp(folder: Path, username: str, password: str, *, starttls: bool = True) -> SmtpServer:
    """Start the SMTP server (STARTTLS required when ``starttls``, else plain without login)."""
    certs = CertFactory(folder)
    mailbox = Mailbox()
    kwargs: dict[str, Any] = {}
    if starttls:
        context = server_context(*certs.leaf("smtp"))
        kwargs = {"tls_context": context, "require_starttls": True, "auth_require_tls": True,
                  "authenticator": _Auth(mailbox, username, password)}
    with socket.socket() as probe:  # a free port (aiosmtpd's start-up check connects to the port it was given)
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, server_hostname="localhost", **kwargs)
    controller.start()
    return SmtpServer(port, certs.ca_file, mailbox, controller)


@dataclass
class Receiver:
    """An HTTP server on 127.0.0.1 keeping every JSON body POSTed to it, by path; ``status`` is what it answers."""

    bodies: list[tuple[str, Any]] = field(default_factory=list)
    status: int = 200
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        """The receiver's base address."""
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> Receiver:
        """Serve in a thread."""
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                receiver.bodies.append((self.path, json.loads(self.rfile.read(length))))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        assert self.server is not None
        self.server.shutdown()
        self.server.server_close()
