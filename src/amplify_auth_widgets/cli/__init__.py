"""The ``amplify-auth`` command: the entry point and the API commands (``entry``), what every
command shares (``common``), a module per command family (``fleet``, ``gen2``, ``services``:
the emulator and the app), output rendering (``output``) and exit codes (``exitcodes``)."""

from .entry import entry_point, main

__all__ = ["entry_point", "main"]
