"""One window per database: a package double-clicked in Explorer while ParkDesk is
open on that database goes to the open window (which merges or opens it), instead of
a second ParkDesk that could only say the database is in use.

The open window listens on a local socket named for its user and database (a named
pipe on Windows); a second start that finds the database locked hands the file over
and ends."""

from __future__ import annotations

import getpass
import hashlib
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtNetwork import QLocalServer, QLocalSocket

WAIT_MS = 2000


def server_name(db_path: Path) -> str:
    """The same for every ParkDesk of this user on this database, and for no other."""
    key = f"{getpass.getuser()}\n{str(db_path.resolve()).casefold()}"
    return "ParkDesk-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


class Listener(QObject):
    """The open window's side: each connection brings one file path (UTF-8, a line)."""

    def __init__(self, db_path: Path, received: Callable[[Path], None], parent: QObject) -> None:
        super().__init__(parent)
        self.received = received
        self.server = QLocalServer(self)
        name = server_name(db_path)
        QLocalServer.removeServer(name)  # a socket file left by a ParkDesk that crashed
        self.listening = self.server.listen(name)
        self.server.newConnection.connect(self._connected)

    def _connected(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        text = bytes(socket.readLine().data()).decode("utf-8").strip()
        if text:
            self.received(Path(text))


def hand_over(db_path: Path, file: Path) -> bool:
    """The second start's side: give ``file`` to the window open on ``db_path``.
    False when no window listens (the database is locked by something else)."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(db_path))
    if not socket.waitForConnected(WAIT_MS):
        return False
    socket.write(str(file.resolve()).encode("utf-8") + b"\n")
    sent = socket.waitForBytesWritten(WAIT_MS)
    socket.disconnectFromServer()
    return sent
