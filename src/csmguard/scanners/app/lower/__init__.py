"""Frontends that lower source files into the program model."""
