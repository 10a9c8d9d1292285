"""The embedded default's broker: kombu's file-system transport, one file per message under
var/celery/queue/, so that the web server and the worker `make run` starts share a queue
without any server.

kombu creates a message's file and then writes into it, so a worker polling the folder at that
moment can take a file that is still empty or half written and lose the message. Here every
message is written whole under a temporary name, flushed to disk, and only then renamed to the
name a worker looks for (a rename within one folder is atomic on POSIX).

What this broker cannot do, and Redis does: a worker that is killed outright (kill -9, power
loss) loses the messages it had taken and not finished; one stopped with Ctrl+C or SIGTERM
puts them back. Use Redis (CELERY_BROKER_URL) wherever that matters.
"""

import os
import uuid
from time import monotonic

from kombu.exceptions import OperationalError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    def _size(self, queue):
        """Messages waiting in `queue` (asked by every publish that declares its queue)."""
        try:
            return super()._size(queue)
        except OSError as error:
            raise _unreachable(self.data_folder_in, error) from error

    def _put(self, queue, payload, **kwargs):
        """Put `payload` on `queue`: written whole before its name makes it visible."""
        folder = self.data_folder_out
        # kombu's own naming, so that messages are taken oldest first; the temporary name
        # starts with a dot and does not end in ".<queue>.msg", so no worker takes it.
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        temporary = os.path.join(folder, f".{uuid.uuid4()}.tmp")
        try:
            with open(temporary, "wb") as handle:
                handle.write(str_to_bytes(dumps(payload)))
                handle.flush()
                os.fsync(handle.fileno())
            os.rename(temporary, os.path.join(folder, name))
        except OSError as error:
            if os.path.exists(temporary):
                os.remove(temporary)
            raise _unreachable(folder, error) from error


def _unreachable(folder: str, error: OSError) -> OperationalError:
    """A folder that cannot be read or written is a broker that cannot be reached: the
    outbox keeps the task and its relay tries again (and says so)."""
    return OperationalError(f"The queue folder {folder!r} cannot be used: {error}")


class Transport(filesystem.Transport):
    Channel = Channel
