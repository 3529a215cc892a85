"""Errors on bad input: their message is written in Bahasa Indonesia for the analyst."""


class InputError(Exception):
    """Bad input (file, column, parameter). The message is shown as is, without a traceback."""
