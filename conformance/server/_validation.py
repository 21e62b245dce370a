"""Request checking against the spec: JSON bodies, multipart forms, query parameters.

Every request body is validated with the spec's own normalized schema
(``spec.validator(pointer)``), so the server rejects exactly what the document
forbids; the first error becomes one OpenAI-style 400 naming the parameter.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from ._errors import InvalidRequest

if TYPE_CHECKING:
    from openai_conformance.spec import MediaType, Spec


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart body, read into memory."""

    filename: str
    content_type: str
    data: bytes

    def __str__(self) -> str:
        # Validation sees a file part as its file name: the schema types it a string.
        return self.filename


def parse_json(raw: bytes) -> Any:
    """The JSON of a request body, or a 400 that says it could not be parsed."""
    if not raw.strip():
        raise InvalidRequest("You must provide a JSON body with this request.")
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise InvalidRequest(
            "We could not parse the JSON body of your request. (HINT: This likely means you "
            "aren't using your HTTP library correctly.)"
        ) from None


# Request fields the seed spec does not know but the official SDK sends on its own
# (``openai`` always sends ``encoding_format`` with embeddings). Each is checked
# against its own schema here, taken out before the spec's validation, and honoured.
SDK_EXTENSIONS: dict[str, dict[str, dict[str, Any]]] = {
    "createEmbedding": {"encoding_format": {"enum": ["float", "base64"]}}
}


def split_extensions(operation_id: str, body: Any) -> tuple[Any, dict[str, Any]]:
    """``body`` without the SDK extension fields of the operation, and those fields."""
    known = SDK_EXTENSIONS.get(operation_id)
    if not known or not isinstance(body, dict) or not known.keys() & body.keys():
        return body, {}
    rest = {k: v for k, v in body.items() if k not in known}
    found = {k: body[k] for k in known if k in body}
    for name, value in found.items():
        error = best_match(Draft202012Validator(known[name]).iter_errors(value))
        if error is not None:
            raise InvalidRequest(f"{_short(error.message)} - '{name}'", param=name)
    return rest, found


def validate(spec: Spec, pointer: str, instance: Any) -> None:
    """Raise ``InvalidRequest`` naming the first rule of the schema at ``pointer`` broken."""
    if spec.is_valid(pointer, instance):  # the fast path; jsonschema only explains errors
        return
    error = best_match(spec.validator(pointer).iter_errors(instance))
    if error is None:
        return
    path = ".".join(str(part) for part in error.absolute_path)
    # OpenAI names the top-level parameter; the message keeps the full path.
    param = str(error.absolute_path[0]) if error.absolute_path else None
    if param is None and error.validator == "required":
        # "'model' is a required property": name the missing property.
        param = error.message.split("'")[1] if "'" in error.message else None
    where = f" - '{path or param}'" if param else ""
    raise InvalidRequest(f"{_short(error.message)}{where}", param=param)


def _short(message: str, limit: int = 300) -> str:
    return message if len(message) <= limit else message[: limit - 3] + "..."


# How a form field's text becomes the JSON type its schema wants.
_COERCIONS: tuple[tuple[str, Any], ...] = (
    ("integer", int),
    ("number", float),
    ("boolean", lambda text: {"true": True, "false": False}[text.lower()]),
)


def coerce_field(schema: dict[str, Any], text: str) -> Any:
    """A multipart text field read as its schema's type, when it parses as one."""
    types = _types(schema)
    if "string" in types:
        return text
    for name, convert in _COERCIONS:
        if name in types:
            try:
                return convert(text)
            except (ValueError, KeyError, TypeError, RecursionError):
                continue
    if "null" in types and text in ("", "null"):
        return None
    return text  # left as text: validation names the type it should have had


def _types(schema: dict[str, Any], resolve: Any = None) -> list[str]:
    """The types a schema allows, its ``anyOf``/``oneOf`` branches' too (2.x: ``boolean`` or ``null``);
    branches that are ``$ref``s count when ``resolve`` is given."""
    types = schema.get("type", [])
    out = [types] if isinstance(types, str) else list(types)
    for branch in [*(schema.get("anyOf") or ()), *(schema.get("oneOf") or ())]:
        branch = resolve(branch) if resolve is not None and isinstance(branch, dict) else branch
        out += _types(branch, resolve) if isinstance(branch, dict) else []
    return out


def coerce_form(spec: Spec, media: MediaType, form: dict[str, Any]) -> dict[str, Any]:
    """A form's fields typed by the media's schema (file parts stay uploads); a part the
    encoding declares ``application/json`` (realtime calls' ``session``) is its JSON."""
    schema = spec.resolve(spec.at(media.pointer))
    properties = schema.get("properties", {}) if isinstance(schema, dict) else {}
    out: dict[str, Any] = {}
    for name, value in _fold_brackets(form).items():
        prop = spec.resolve(properties.get(name, {}))
        declared = (media.encoding.get(name) or {}).get("contentType", "")
        if isinstance(value, str) and declared == "application/json":
            try:
                out[name] = json.loads(value)
                continue
            except ValueError:
                pass  # left as text: validation says what it should have been
        out[name] = _coerce_part(spec, prop, value)
    return out


def _coerce_part(spec: Spec, prop: dict[str, Any], value: Any) -> Any:
    """One field's parts typed: an array's items each as its item schema types them, a lone part too."""
    if "array" in _types(prop) and not (isinstance(value, Upload) and "string" in _types(prop)):
        item = spec.resolve(prop.get("items") or {})
        items = value if isinstance(value, list) else [value]
        return [v if isinstance(v, Upload) else coerce_field(item if isinstance(item, dict) else {}, v) for v in items]
    if isinstance(value, list):  # repeated parts of a field that is no array: validation says so
        return [_coerce_part(spec, prop, v) for v in value]
    if isinstance(value, dict):  # members named name[member]
        members = prop.get("properties") or {}
        return {k: _coerce_part(spec, spec.resolve(members.get(k) or {}), v) for k, v in value.items()}
    if isinstance(value, Upload):
        return value
    if {"object", "array"} & set(_types(prop, spec.resolve)) and value.lstrip()[:1] in ("{", "["):
        try:  # an object sent as its JSON text, as clients send one in a form
            parsed = json.loads(value)
            if spec.validator_for(prop).is_valid(parsed):
                return parsed
        except (ValueError, RecursionError):
            pass
    return coerce_field(prop, value)


def _fold_brackets(form: dict[str, Any]) -> dict[str, Any]:
    """Names as curl examples write them: ``include[]`` is the array ``include``,
    ``expires_after[anchor]`` the member ``anchor`` of the object ``expires_after``."""
    out: dict[str, Any] = {}
    for name, value in form.items():
        head, bracket, rest = name.partition("[")
        member = rest[:-1]
        if not bracket or not rest.endswith("]") or "[" in member or head in form:
            out[name] = value
        elif not member:
            out[head] = value if isinstance(value, list) else [value]
        elif isinstance(out.setdefault(head, {}), dict):
            out[head][member] = value
    return out


def for_validation(form: dict[str, Any]) -> dict[str, Any]:
    """The form as its schema sees it: each upload replaced by its file name."""
    return {
        k: [str(x) for x in v] if isinstance(v, list) else str(v) if isinstance(v, Upload) else v
        for k, v in form.items()
    }


def query_values(spec: Spec, parameters: tuple[Any, ...], query: Mapping[str, list[str]]) -> dict[str, Any]:
    """Typed query parameters of an operation, validated; unknown ones are ignored.

    ``query`` holds every value of each name: an array parameter is sent repeated, as
    ``include=a&include=b`` or ``include[]=a&include[]=b`` (the document's curls).
    """
    values: dict[str, Any] = {}
    for param in parameters:
        texts = query.get(param.name) or query.get(param.name + "[]")
        schema = spec.resolve(param.schema) if isinstance(param.schema, dict) else {}
        deep = {k[len(param.name) + 1 : -1]: v[-1] for k, v in query.items() if _member_of(param.name, k)}
        if deep and "object" in _types(schema):  # deepObject: metadata[key]=value
            props = schema.get("properties") or {}
            members = {k: coerce_field(spec.resolve(props.get(k) or {}), v) for k, v in deep.items()}
            _check_query(spec, param, members)
            values[param.name] = members
            continue
        if not texts:
            if param.required:
                raise InvalidRequest(f"Missing required parameter: '{param.name}'.", param=param.name)
            continue
        if schema.get("type") == "array":
            item = spec.resolve(schema.get("items") or {})
            value: Any = [coerce_field(item if isinstance(item, dict) else {}, t) for t in texts]
        else:
            value = coerce_field(param.schema, texts[-1])
        _check_query(spec, param, value)
        values[param.name] = value
    return values


def _member_of(name: str, key: str) -> bool:
    """Whether a query key is one member of the object parameter ``name``: ``name[member]``."""
    return key.startswith(name + "[") and key.endswith("]") and len(key) > len(name) + 2


def _check_query(spec: Spec, param: Any, value: Any) -> None:
    error = best_match(spec.validator(param.pointer).iter_errors(value))
    if error is not None:
        raise InvalidRequest(f"{_short(error.message)} - '{param.name}'", param=param.name)
