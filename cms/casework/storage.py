"""Applicants' files and decision documents live outside MEDIA_ROOT: no URL reaches them except a view
that checks who is asking."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import LazyObject


class _PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


private_storage = _PrivateStorage()


def get_private_storage():
    """Callable for ``FileField(storage=...)`` so migrations don't freeze a path."""
    return private_storage
