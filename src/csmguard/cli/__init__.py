"""The command-line interface: thin Typer commands over :mod:`csmguard.services`."""
