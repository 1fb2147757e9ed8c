"""GigaVUE-OS CLI simulator for Troxileia's tests: an SSH server that models the CLI of
gigavue-cli.md ("What the simulator must model"). See ../README.md."""
