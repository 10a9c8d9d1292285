"""The processes `make run` (manage.py runall) starts beside the web server and the worker,
each registered by the app that owns it (the demo platform of moderation, say).

An app calls `register_process` from its `AppConfig.ready()`; this module keeps the registry
and imports no app. A registered `command()` returns the command line to start, or None when
the process is not wanted in this configuration."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Process:
    name: str  # Swedish, for runall's messages
    command: Callable[[], list[str] | None]


_processes: dict[str, Process] = {}


def register_process(key: str, name: str, command: Callable[[], list[str] | None]) -> None:
    existing = _processes.get(key)
    if existing is not None and existing.command is not command:
        raise ImproperlyConfigured(f"The runall process {key!r} is registered twice.")
    _processes[key] = Process(name, command)


def registered_processes() -> list[Process]:
    return list(_processes.values())
