"""The catalogue of spec changes, and for whom each one breaks.

A client "breaks" when a request it built for the old document may now be
rejected, or a response may now hold what it was not told to expect. A server
"breaks" when a response it built for the old document is now invalid, or a
request valid under the new one is one it was told to reject. So a schema
change has one effect, read twice: narrowing what is valid breaks clients on
the request side and servers on the response side; widening, the reverse.
"""

from __future__ import annotations

# effect -> ((client, server) on the request side, (client, server) on the response side)
_EFFECTS: dict[str, tuple[tuple[bool, bool], tuple[bool, bool]]] = {
    "narrows": ((True, False), (False, True)),
    "widens": ((False, True), (True, False)),
    "both": ((True, True), (True, True)),
    "neither": ((False, False), (False, False)),
    # a removed property: clients sending or reading it lose it; a server keeps working
    "client": ((True, False), (True, False)),
}

SCHEMA_CHANGES: dict[str, str] = {
    "type_changed": "both",
    "type_widened": "widens",
    "type_narrowed": "narrows",
    "nullable_added": "widens",
    "nullable_removed": "narrows",
    "enum_added": "narrows",
    "enum_removed": "widens",
    "enum_values_added": "widens",
    "enum_values_removed": "narrows",
    "bound_tightened": "narrows",
    "bound_relaxed": "widens",
    "format_added": "narrows",
    "format_removed": "widens",
    "format_changed": "both",
    "pattern_added": "narrows",
    "pattern_removed": "widens",
    "pattern_changed": "both",
    "property_added_required": "narrows",
    "property_added_optional": "neither",
    "property_removed": "client",
    "property_made_required": "narrows",
    "property_made_optional": "widens",
    "branch_added": "widens",
    "branch_removed": "narrows",
    "composition_changed": "both",
    # `string` -> `anyOf [string, string-with-enum]`: new spelling, same values
    "type_alternatives_added": "neither",
    "type_alternatives_removed": "neither",
}

# kind -> (breaking for a client, breaking for a server)
KINDS: dict[str, tuple[bool, bool]] = {
    "operation_added": (False, False),  # a server without it answers "not implemented"
    "operation_removed": (True, False),
    "operation_deprecated": (False, False),
    "operation_undeprecated": (False, False),
    "operation_id_changed": (False, False),
    "parameter_added_required": (True, False),
    "parameter_added_optional": (False, False),
    "parameter_removed": (True, False),
    "parameter_made_required": (True, False),
    "parameter_made_optional": (False, True),
    "request_body_added": (False, True),
    "request_body_removed": (True, False),
    "request_body_made_required": (True, False),
    "request_body_made_optional": (False, True),
    "request_content_type_added": (False, True),
    "request_content_type_removed": (True, False),
    "response_status_added": (False, False),
    "response_status_removed": (False, True),
    "response_content_type_added": (True, False),
    "response_content_type_removed": (False, True),
}
for _what, _effect in SCHEMA_CHANGES.items():
    _request, _response = _EFFECTS[_effect]
    KINDS[f"parameter_{_what}"] = _request
    KINDS[f"request_{_what}"] = _request
    KINDS[f"response_{_what}"] = _response
