"""A small real SMTP server on 127.0.0.1 for tests that need a mail server refusing some
recipients: Django's SMTP backend talks to it over TCP as it would to the municipality's."""

import socketserver
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Mailbox:
    port: int
    refused: set[str]
    delivered: list[str] = field(default_factory=list)  # one recipient per accepted mail


def _handler(mailbox: Mailbox):
    class Handler(socketserver.StreamRequestHandler):
        def reply(self, line: str) -> None:
            self.wfile.write(f"{line}\r\n".encode())

        def handle(self) -> None:
            self.reply("220 localhost test SMTP")
            recipients: list[str] = []
            while line := self.rfile.readline():
                command = line.decode(errors="replace").strip()
                verb = command.split(" ", 1)[0].upper()
                if verb in {"EHLO", "HELO"}:
                    self.reply("250 localhost")
                elif verb == "MAIL":
                    recipients = []
                    self.reply("250 OK")
                elif verb == "RCPT":
                    address = command.split(":", 1)[1].strip().strip("<>")
                    if address in mailbox.refused:
                        self.reply("550 No such mailbox")
                    else:
                        recipients.append(address)
                        self.reply("250 OK")
                elif verb == "DATA":
                    self.reply("354 End data with <CR><LF>.<CR><LF>")
                    while self.rfile.readline() not in {b".\r\n", b""}:
                        pass
                    mailbox.delivered.extend(recipients)
                    self.reply("250 OK")
                elif verb == "QUIT":
                    self.reply("221 Bye")
                    return
                else:
                    self.reply("250 OK")

    return Handler


@contextmanager
def smtp_server(*, refuse: set[str] = frozenset()):
    """A mail server that refuses the addresses in `refuse`; yields its Mailbox."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), None)
    mailbox = Mailbox(port=server.server_address[1], refused=set(refuse))
    server.RequestHandlerClass = _handler(mailbox)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield mailbox
    finally:
        server.shutdown()
        server.server_close()
