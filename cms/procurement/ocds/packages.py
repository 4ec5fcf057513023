"""Release packages, record packages and the bulk download of every release.

A package's ``publishedDate`` is, as OCDS asks of packages generated on demand, the last change of what it
contains (the newest publication of the project or one of its notices), so a package that did not change
keeps its bytes and its ETag. The bulk download is streamed while it is read, one batch of projects at a
time: its ``publishedDate`` is the moment it was generated, since a withdrawn notice leaves no date behind.
"""

import json

from django.conf import settings
from django.utils import timezone
from wagtail.models import Site

from .builder import build_releases, iso
from .loading import load
from .merge import compile_releases

OCDS_VERSION = "1.1"


def dumps(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def publisher(request):
    site = Site.find_for_request(request) if request is not None else None
    name = site.site_name if site and site.site_name else settings.WAGTAIL_SITE_NAME
    return {"name": name, "uri": request.build_absolute_uri("/") if request is not None else None}


def _meta(uri, request, published):
    meta = {
        "uri": uri,
        "version": OCDS_VERSION,
        "publisher": {k: v for k, v in publisher(request).items() if v},
        "publishedDate": iso(published),
    }
    # Optional: the open-data licence and publication policy (URLs), once the city has chosen them.
    for key, setting in (("license", "OCDS_LICENSE"), ("publicationPolicy", "OCDS_PUBLICATION_POLICY")):
        if getattr(settings, setting, ""):
            meta[key] = getattr(settings, setting)
    return meta


def last_change(data):
    moments = [data.project.last_published_at, data.project.first_published_at]
    moments += [n.last_published_at or n.first_published_at for n in data.notices]
    moments = [m for m in moments if m is not None]
    return max(moments) if moments else timezone.now()


def release_package(data, links, uri):
    releases = build_releases(data, links)
    return {**_meta(uri, links.request, last_change(data)), "releases": releases}


def record_package(data, links, uri, releases_uri):
    releases = build_releases(data, links)
    record = {
        "ocid": releases[0]["ocid"],
        "releases": releases,
        "compiledRelease": compile_releases(releases),
    }
    return {**_meta(uri, links.request, last_change(data)), "packages": [releases_uri], "records": [record]}


def stream_release_package(projects, links, uri):
    """The bytes of one release package with the releases of all ``projects``, produced as they are read."""
    meta = dumps(_meta(uri, links.request, timezone.now()))
    yield (meta[:-1] + ',"releases":[').encode()
    separator = ""
    for data in load(projects):
        releases = build_releases(data, links)
        if releases:
            yield (separator + ",".join(dumps(release) for release in releases)).encode()
            separator = ","
    yield b"]}"


def stream_release_lines(projects, links):
    """JSON Lines: one release per line."""
    for data in load(projects):
        releases = build_releases(data, links)
        if releases:
            yield "".join(dumps(release) + "\n" for release in releases).encode()
