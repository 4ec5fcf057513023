"""Applicants' files and decision documents live outside MEDIA_ROOT: no URL reaches them except a view
that checks who is asking."""

from pathlib import Path

from django.conf import settings
from django.core import checks
from django.core.files.storage import FileSystemStorage
from django.utils.functional import LazyObject


class _PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


private_storage = _PrivateStorage()


def get_private_storage():
    """Callable for ``FileField(storage=...)`` so migrations don't freeze a path."""
    return private_storage


@checks.register(checks.Tags.security)
def private_root_is_private(app_configs=None, **kwargs):
    """A private root inside a publicly served directory would publish every applicant's files."""
    private = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    errors = []
    for name in ("MEDIA_ROOT", "STATIC_ROOT"):
        public = getattr(settings, name, None)
        if public and private.is_relative_to(Path(public).resolve()):
            errors.append(
                checks.Error(
                    f"PRIVATE_MEDIA_ROOT ({private}) lies inside {name} ({public}): applicants' files "
                    "would be served to anyone.",
                    hint="Set PORTAL_PRIVATE_MEDIA_ROOT to a directory outside the public ones.",
                    id="casework.E001",
                )
            )
    return errors
