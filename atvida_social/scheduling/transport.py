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

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
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
            raise ChannelError(f"Cannot add a message to {folder!r}: {error}") from error


class Transport(filesystem.Transport):
    Channel = Channel
