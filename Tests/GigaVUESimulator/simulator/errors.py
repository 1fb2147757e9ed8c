"""The one error type of the simulator's CLI: its text is the `% …` line the device prints."""

from . import dialect


class CLIError(Exception):
    """A command refused; `str(error)` is the full line, starting with "% "."""

    def __init__(self, key: str, **fields):
        self.key = key
        self.text = dialect.ERRORS[key].format(**fields)
        super().__init__(self.text)

    def __str__(self) -> str:
        return self.text
