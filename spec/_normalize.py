"""OpenAPI's schema dialect turned into plain JSON Schema 2020-12.

What changes, and why (each a rule that ``jsonschema`` would otherwise get wrong):
- ``nullable: true`` adds ``null`` to ``type`` and ``enum``; beside ``oneOf``,
  ``anyOf``, ``allOf`` or ``$ref`` with no ``type`` it wraps them in
  ``anyOf: [..., {type: null}]`` (3.0 documents say "may be null" that way).
- ``example`` is not a 2020-12 keyword: kept aside as ``x-example``.
- 3.0's boolean ``exclusiveMinimum``/``exclusiveMaximum`` become numbers.
- In 3.0, the siblings of ``$ref`` are ignored (the standard says so).
- ``$recursiveRef: "#"`` becomes a ``$ref`` to the component that holds it.
- A ``oneOf`` of primitive branches that share a type (2.0.0's
  ``model: oneOf [string, string-with-enum]``) can never match a listed value
  strictly, so it is read as ``anyOf``; ``spec lint`` still reports it.
``format: binary``, ``readOnly``/``writeOnly``, ``discriminator`` and ``x-*``
stay as annotations, which validators ignore.
"""

from __future__ import annotations

from typing import Any

from ._refs import escape
from ._types import Document, Schema, type_set

_SUBSCHEMA = (
    "items",
    "additionalProperties",
    "not",
    "contains",
    "propertyNames",
    "if",
    "then",
    "else",
    "unevaluatedItems",
    "unevaluatedProperties",
    "additionalItems",
)
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_PRIMITIVE_TYPES = {"string", "number", "integer", "boolean"}


class _Normalizer:
    def __init__(self, dialect: str) -> None:
        self.legacy = dialect.startswith("3.0")
        self.memo: dict[tuple[int, str], Any] = {}

    def document(self, node: Any, pointer: str = "", in_components: bool = False) -> Any:
        """Copy the non-schema part of a document, normalizing each schema found in it."""
        if isinstance(node, list):
            return [self.document(v, f"{pointer}/{i}") for i, v in enumerate(node)]
        if not isinstance(node, dict):
            return node
        out: dict[str, Any] = {}
        for key, value in node.items():
            where = f"{pointer}/{escape(str(key))}"
            if key == "schema" and isinstance(value, (dict, bool)):
                out[key] = self.schema(value, where)
            elif key == "schemas" and in_components and isinstance(value, dict):
                out[key] = {name: self.schema(s, f"{where}/{escape(name)}") for name, s in value.items()}
            elif key.startswith("x-") and key != "x-external":
                out[key] = value  # vendor extensions (x-oaiMeta) are data, not schema
            else:
                out[key] = self.document(value, where, in_components=key == "components")
        return out

    def schema(self, node: Any, root: str) -> Any:
        return self._schema(node, root)

    def _schema(self, node: Any, root: str) -> Any:
        if not isinstance(node, dict):
            return node
        key = (id(node), root)
        if key in self.memo:
            return self.memo[key]
        out: Schema = {}
        self.memo[key] = out  # filled in place, so a cycle of aliases ends here
        source = node
        if self.legacy and "$ref" in node:
            source = {k: v for k, v in node.items() if k in ("$ref", "nullable") or k.startswith("x-")}
        for keyword, value in source.items():
            if keyword in _SUBSCHEMA:
                out[keyword] = self._schema(value, root)
            elif keyword in _SUBSCHEMA_LISTS and isinstance(value, list):
                out[keyword] = [self._schema(v, root) for v in value]
            elif keyword in _SUBSCHEMA_MAPS and isinstance(value, dict):
                out[keyword] = {name: self._schema(v, root) for name, v in value.items()}
            elif keyword == "example":
                out["x-example"] = value
            elif keyword == "$recursiveRef":
                out["$ref"] = f"#{root}"
            elif keyword == "nullable":
                continue
            else:
                out[keyword] = value
        if "items" in out and isinstance(out["items"], list):
            out["prefixItems"] = out.pop("items")
        _exclusive_bounds(out)
        if "oneOf" in out and _primitive_overlap(out["oneOf"]):
            out["anyOf"] = out.pop("oneOf")
        if node.get("nullable") is True:
            _allow_null(out)
        return out


def _exclusive_bounds(schema: Schema) -> None:
    for exclusive, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        flag = schema.get(exclusive)
        if flag is True and bound in schema:
            schema[exclusive] = schema.pop(bound)
        elif isinstance(flag, bool):
            del schema[exclusive]


def _primitive_overlap(branches: list[Any]) -> bool:
    seen: set[str] = set()
    for branch in branches:
        if not isinstance(branch, dict) or "$ref" in branch or "properties" in branch:
            return False
        types = type_set(branch)
        if not types or not types <= _PRIMITIVE_TYPES:
            return False
        if seen & types:
            return True
        seen |= types
    return False


def _allow_null(schema: Schema) -> None:
    if "enum" in schema and None not in schema["enum"]:
        schema["enum"] = [*schema["enum"], None]
    if "const" in schema:
        schema["enum"] = [schema.pop("const"), None]
    if "type" in schema:
        types = schema["type"]
        types = [types] if isinstance(types, str) else list(types)
        if "null" not in types:
            schema["type"] = [*types, "null"]
    elif any(k in schema for k in ("oneOf", "anyOf", "allOf", "$ref", "not")):
        inner = {k: schema.pop(k) for k in list(schema) if not _is_annotation(k)}
        schema["anyOf"] = [inner, {"type": "null"}]


def _is_annotation(keyword: str) -> bool:
    return keyword.startswith("x-") or keyword in ("description", "title", "default", "deprecated")


def normalize(document: Document) -> Document:
    """A new document whose every schema is plain JSON Schema 2020-12."""
    dialect = str(document.get("openapi", "3.0"))
    return _Normalizer(dialect).document(document)
