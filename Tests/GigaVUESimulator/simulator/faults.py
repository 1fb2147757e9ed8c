"""Faults a test switches on through the control API (`POST /faults`), one field each.

gigavue-cli.md asks for: wrong password, slow prompts, a connection dropped in the middle of
the plan, a forced password change, a changed host key. Paging and retry tests add the rest.
Every field's default means "no fault"; `DELETE /faults` and `POST /reset` restore them all.
"""

from dataclasses import asdict, dataclass, fields

PAGING_COMMANDS = ("terminal_length", "no_paging", "both")


@dataclass
class Faults:
    """The active faults. Fields are the JSON names of `POST /faults`."""

    # Password and keyboard-interactive logins fail even with the right password.
    reject_password: bool = False
    # Public-key logins fail even with an authorized key.
    reject_public_key: bool = False
    # The password method is not offered (only keyboard-interactive and public key), as on devices
    # that authenticate through RADIUS or TACACS+.
    no_password_method: bool = False
    # Milliseconds to wait before writing every prompt: CLI prompts and password questions
    # (not `--More--`).
    prompt_delay_ms: int = 0
    # The next session (or every session, with drop_every_session) is cut (TCP abort, no answer,
    # no prompt) right after its Nth command line has been executed. Password answers and empty
    # lines are not counted. null = off.
    drop_after_commands: int | None = None
    drop_every_session: bool = False
    # Right after login the session asks `Admin Password:` and refuses every answer.
    force_password_change: bool = False
    # New SSH connections are served with the alternate host key (same port); existing
    # sessions are unaffected. Clearing it brings the primary key back.
    alternate_host_key: bool = False
    # Paging stays on (PAGE_LENGTH) whatever paging command is sent; the commands still succeed.
    force_paging: bool = False
    # "terminal_length" refuses `cli session terminal length N`, "no_paging" refuses
    # `no cli session paging enable`, "both" both; with `% Unrecognized command …`. null = off.
    refuse_paging_command: str | None = None
    # The next N configuration commands (configure mode and sub-modes, not exit/end/show/
    # write memory) fail with ERRORS["fault_config"] and change nothing. Counts down.
    fail_config_commands: int = 0
    # `write memory` fails with ERRORS["fault_write_memory"] until cleared.
    fail_write_memory: bool = False
    # A device that refuses in-place edits (issue 15): re-entering a live GigaStream's port-list and
    # changing a live map's `to` fail with ERRORS["in_place_refused"]; delete-and-create still works.
    refuse_in_place_edits: bool = False
    # A device that takes in-place edits of a live GigaStream's port-list without an error but does not
    # apply them (the read-back shows the old members): what the driver's read-back must catch.
    ignore_in_place_edits: bool = False

    def to_json(self) -> dict:
        """All fields, for `GET /faults`."""
        return asdict(self)

    def update(self, body: object) -> None:
        """Sets the fields present in `body` (a JSON object); raises ValueError naming the field
        when a name is unknown or a value has the wrong type, changing nothing then."""
        if not isinstance(body, dict):
            raise ValueError("the body must be a JSON object of fault fields")
        known = {f.name: f for f in fields(self)}
        checked = {}
        for name, value in body.items():
            if name not in known:
                raise ValueError(f"unknown fault {name!r}; known: {', '.join(sorted(known))}")
            checked[name] = _check(name, value)
        for name, value in checked.items():
            setattr(self, name, value)

    def claim_drop(self) -> int | None:
        """For a session that starts: the command count after which it is cut, or None. A
        one-shot drop is used up by the session that claims it."""
        count = self.drop_after_commands
        if count is not None and not self.drop_every_session:
            self.drop_after_commands = None
        return count

    def take_config_failure(self) -> bool:
        """Whether this configuration command must fail; counts the failure down."""
        if self.fail_config_commands > 0:
            self.fail_config_commands -= 1
            return True
        return False

    def refuses(self, command: str) -> bool:
        """Whether the paging command `command` ("terminal_length" / "no_paging") is refused."""
        return self.refuse_paging_command in (command, "both")


def _check(name: str, value: object) -> object:
    bool_fields = {"reject_password", "reject_public_key", "no_password_method", "drop_every_session", "force_password_change",
                   "alternate_host_key", "force_paging", "fail_write_memory", "refuse_in_place_edits",
                   "ignore_in_place_edits"}
    if name in bool_fields:
        if not isinstance(value, bool):
            raise ValueError(f"{name} must be true or false")
        return value
    if name == "refuse_paging_command":
        if value is not None and value not in PAGING_COMMANDS:
            raise ValueError(f"{name} must be null or one of {', '.join(PAGING_COMMANDS)}")
        return value
    if name == "drop_after_commands" and value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0 or value > 1_000_000:
        raise ValueError(f"{name} must be an integer 0-1000000")
    if name == "drop_after_commands" and value == 0:
        raise ValueError("drop_after_commands must be at least 1 (or null for off)")
    return value
