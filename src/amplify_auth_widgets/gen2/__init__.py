"""The Gen 2 export: ``gen2.export(config)`` turns a configuration into Amplify Gen 2 code
(``exporter``), member by member (``mapping``), written as Prettier writes TypeScript
(``typescript``), with a way to keep the users (``ways``: ``keep`` references the deployed
pool, ``recreate`` adds a user-migration trigger). The modules are named apart from
``export``, so that importing one never hides the function."""

from .exporter import COLUMNS, Gen2Export, WriteRefused, Written, configured, export
from .mapping import BACKEND_TS, NOT_MAPPED, RESOURCE_TS
from .ways import WAYS, WayRefused, old_client_commands

__all__ = [
    "BACKEND_TS",
    "COLUMNS",
    "NOT_MAPPED",
    "RESOURCE_TS",
    "WAYS",
    "Gen2Export",
    "WayRefused",
    "WriteRefused",
    "Written",
    "configured",
    "export",
    "old_client_commands",
]
