"""API representations of the shared reference data (used by Wagtail's API v2)."""

from rest_framework import serializers


class DepartmentField(serializers.Field):
    def to_representation(self, value):
        return {"name": value.name, "slug": value.slug, "org_code": value.org_code}


class TopicField(serializers.Field):
    def to_representation(self, value):
        top = value.top
        return {"code": value.code, "name": value.name, "top_code": top.code, "top_name": top.name}
