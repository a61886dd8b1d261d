"""The API's OpenAPI schema, generated in-process, and the serializers behind its request bodies."""

from __future__ import annotations

from functools import cache

from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers

HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


@cache
def generated_schema():
    """(schema dict, {component name: serializer}) as `manage.py spectacular` would build them."""
    generator = SchemaGenerator()
    schema = generator.get_schema(request=None, public=True)
    # The registry is drf-spectacular's own record of which serializer became which component.
    components = {name: component.object for (name, kind), component in generator.registry._components.items()
                  if kind == "schemas"}
    return schema, components


def operations():
    """(METHOD, path, operation) for every operation in the schema."""
    schema, _ = generated_schema()
    return [(method.upper(), path, operation) for path, item in schema["paths"].items()
            for method, operation in item.items() if method in HTTP_METHODS]


def request_body_serializers():
    """(label, serializer class or None) for every request body; None when the body is not a named serializer."""
    _, components = generated_schema()
    found = []
    for method, path, operation in operations():
        for media_type, content in operation.get("requestBody", {}).get("content", {}).items():
            ref = content["schema"].get("$ref", "")
            serializer = components.get(ref.rsplit("/", 1)[-1]) if ref else None
            if isinstance(serializer, serializers.ListSerializer):
                serializer = serializer.child
            cls = serializer if isinstance(serializer, type) or serializer is None else type(serializer)
            found.append((f"{method} {path} ({media_type})", cls))
    return found
