ELDER_COOKIE = "elder_mode"


class ElderModeMiddleware:
    """Reads the elder-friendly (适老化) cookie so templates render that mode server-side."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.elder_mode = request.COOKIES.get(ELDER_COOKIE) == "1"
        return self.get_response(request)


class NulBytesMiddleware:
    """A NUL character in the path is never a real address, and PostgreSQL cannot compare text containing
    one (page routing, redirects and lookups would raise instead of answering 404): answer 400 first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            from cms.core.views import bad_request

            return bad_request(request)
        return self.get_response(request)
