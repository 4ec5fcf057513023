"""The Elasticsearch client, from settings.ELASTICSEARCH_URL (search works without it)."""

from django.conf import settings
from elasticsearch import Elasticsearch


def get_client(url=None, **options):
    """A client for ``url`` (default: settings.ELASTICSEARCH_URL), or None when none is configured."""
    url = url if url is not None else getattr(settings, "ELASTICSEARCH_URL", "")
    if not url:
        return None
    options.setdefault("request_timeout", 30)
    return Elasticsearch(url, **options)


def check_reachable(client, timeout="10s"):
    """Raise if the cluster does not answer. Uses cluster health: the minimal distribution has no
    rest-root module, so ``GET /`` (``client.info()``, ``client.ping()``) answers 405 there."""
    client.cluster.health(wait_for_status="yellow", timeout=timeout)


_clients = {}


def shared_client(**options):
    """One long-lived client (and connection pool) per URL and options, for request handling."""
    url = getattr(settings, "ELASTICSEARCH_URL", "")
    if not url:
        return None
    key = (url, tuple(sorted(options.items())))
    if key not in _clients:
        _clients[key] = get_client(url, **options)
    return _clients[key]
