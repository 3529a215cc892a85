"""Errors the analyst sees: their message is written in Bahasa Indonesia and shown without a traceback."""


class InputError(Exception):
    """Bad input (file, column, parameter). The message is shown as is, without a traceback."""


class NotebookFailed(Exception):
    """A notebook stopped on an error; the message says which notebook and cell, in Indonesian."""
