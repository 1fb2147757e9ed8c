"""Every text and choice the simulator makes where gigavue-cli.md marks a point "(model)".

Kept in one module so a test can be pointed at a different device dialect by editing one
table: prompts, errors, paging, the banner and the running-config layout. Points marked
(doc) come from gigavue-cli.md and should only change when that page does.
"""

# --- Prompts -----------------------------------------------------------------------------
# (doc) `HOSTNAME >` in user mode, `HOSTNAME #` in enable mode, `HOSTNAME (config) #` in
# configure mode. (model) A space follows the `>`/`#`; sub-modes show the object kind and
# alias, e.g. `HOSTNAME (config map-passall sensor_map) #` (the text differs between releases).
PROMPT_USER = "{host} > "
PROMPT_ENABLE = "{host} # "
PROMPT_CONFIG = "{host} (config) # "
PROMPT_SUB = "{host} (config {kind} {alias}) # "
# (doc) the enable password question; (doc) the forced password change of a first login.
PROMPT_ENABLE_PASSWORD = "Password: "
PROMPT_PASSWORD_CHANGE = "Admin Password: "

# --- Session -----------------------------------------------------------------------------
# (model) Lines sent before the first prompt.
BANNER = [
    "",
    "Gigamon GigaVUE-OS (simulated for Troxileia tests)",
    "",
]
# (model) `exit` in user mode (and `quit`/`logout` anywhere outside sub-modes) ends the session.
EXIT_IN_USER_MODE_CLOSES = True
# (model) Longest accepted line; longer lines get ERRORS["line_too_long"].
MAX_LINE_LENGTH = 8192

# --- Paging ------------------------------------------------------------------------------
# (model) Paging is on at login with a 24-line terminal: output of more than PAGE_LENGTH lines
# is shown PAGE_LENGTH - 1 lines at a time, each followed by MORE_MARKER (no newline).
# Space shows the next page, Return one more line, `q` stops; other keys are ignored.
PAGE_LENGTH = 24
MORE_MARKER = "--More--"
# (model) What erases the marker before output goes on: CR, blanks over it, CR.
MORE_ERASE = "\r" + " " * len(MORE_MARKER) + "\r"
# (doc) `cli session terminal length N` (N pages of N lines; 0 turns paging off, model) and
# `no cli session paging enable` (another release). (model) `cli session paging enable` turns
# paging back on with the current length.
TERMINAL_LENGTH_MAX = 999

# --- Ports -------------------------------------------------------------------------------
# (model) Port types the CLI accepts; ports not set by `port … type …` are of DEFAULT_PORT_TYPE
# and not shown in the running-config.
PORT_TYPES = ("tool", "network", "hybrid")
DEFAULT_PORT_TYPE = "network"
# (model) Types a map `from` / port group may use; a GigaStream and a map `to` need "tool".
SOURCE_PORT_TYPES = ("network", "hybrid")
# (doc) A GigaStream needs at least two ports.
GIGASTREAM_MIN_PORTS = 2
# (model) The running-config writes runs of at least this many consecutive ports as a range
# (`1/1/x1..x2`); shorter runs are written port by port, comma-separated.
RANGE_MIN_RUN = 2
# (model) The chassis when --ports is not given: letter = speed (g 1G, x 10G, q 40G, c 100G).
DEFAULT_PORTS = "1/1/x1..x48,1/1/q1..q4,1/2/x1..x24,1/1/c1..c2"
DEFAULT_SOURCE_GROUP = "net_group"
DEFAULT_SOURCE_PORTS = "1/1/x45..x48"

# --- Aliases -----------------------------------------------------------------------------
# (doc) 1–128 characters, none of these.
ALIAS_MAX_LENGTH = 128
ALIAS_FORBIDDEN = set('\\/:,?%"* ')

# --- Errors ------------------------------------------------------------------------------
# Every error is one line starting with "% " (doc). The texts are (model) unless noted.
# Wrong mode (model): a known command typed in too low a mode gets "requires_enable" /
# "requires_config"; a top-level command inside a sub-mode gets "not_in_submode". To model a
# device that answers plain "Unrecognized command" instead, point those at that text.
ERRORS = {
    "unrecognized": '% Unrecognized command "{line}"',
    "incomplete": '% Incomplete command "{line}"',
    "requires_enable": '% Command "{line}" requires enable mode: enter "enable" first',
    "requires_config": '% Command "{line}" requires configure mode: enter "configure terminal" first',
    "not_in_submode": '% Command "{line}" is not available in this sub-mode: enter "exit" first',
    "line_too_long": "% Command line too long (more than {limit} characters)",
    "unterminated_quote": "% Unterminated quote in command",
    # (doc) the exact text a device gives for a bad port.
    "invalid_port": "% Invalid port '{port}': invalid port syntax",
    "invalid_range": "% Invalid port '{port}': invalid port range",
    "no_such_port": "% Port {port} does not exist",
    "invalid_port_type": '% Invalid port type "{type}": use tool, network or hybrid',
    "invalid_alias": '% Invalid alias "{alias}": use 1-128 characters, none of \\ / : , ? % " * or space',
    "invalid_length": '% Invalid terminal length "{value}": use 0-{limit}',
    "no_such_map": "% Map {alias} does not exist",
    "no_such_gigastream": "% GigaStream {alias} does not exist",
    "no_such_port_group": "% Port group {alias} does not exist",
    "gigastream_in_use": "% GigaStream {alias} is in use by map {map}",
    "port_group_in_use": "% Port group {alias} is in use by map {map}",
    "gigastream_too_small": "% GigaStream {alias} needs at least {minimum} ports, got {count}",
    "gigastream_mixed_speeds": "% GigaStream {alias} mixes port speeds: {first} is {first_speed}, {other} is {other_speed}",
    "not_tool_port": "% Port {port} is not a tool port (type {type})",
    "not_source_port": "% Port {port} is not a network or hybrid port (type {type})",
    "port_in_gigastream": "% Port {port} is already in GigaStream {owner}",
    "port_in_port_group": "% Port {port} is in port group {owner}",
    "port_type_in_use": "% Port {port} cannot become {type}: it is used by {owner}",
    "map_incomplete": '% Map {alias} needs both "from" and "to": map not created',
    "gigastream_empty": "% GigaStream {alias} has no port-list: GigaStream not created",
    "port_group_empty": "% Port group {alias} has no port-list: port group not created",
    # (model) fault `refuse_in_place_edits`: a device that only deletes and creates.
    "in_place_refused": "% {kind} {alias} is in use: delete it before changing it",
    "enable_denied": "% Access denied",
    "password_change": "% Password change required: change the admin password on the console first",
    # Faults (see faults.py): texts a retry test sees.
    "fault_config": "% Configuration failed: database is busy, try again (injected fault)",
    "fault_write_memory": "% Failed to save configuration: storage error (injected fault)",
}

# --- Running-config ----------------------------------------------------------------------
# (model) Layout of `show running-config`; see running_config.py. Objects are written
# one-line (`gigastream alias G port-list L`); maps as a block with two-space indents.
RUNNING_CONFIG_DATABASE = "initial"
RUNNING_CONFIG_INDENT = "  "
CHASSIS_LINE = "chassis box-id {box} serial-num SIM{box:04d} type hc2"

# --- show version ------------------------------------------------------------------------
VERSION_LINES = [
    "Product name:      GigaVUE-OS",
    "Product release:   6.5.00 (simulated)",
    "Build ID:          troxileia-simulator",
    "Hostname:          {host}",
    "Uptime:            {uptime}",
]
