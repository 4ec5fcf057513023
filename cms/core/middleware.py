ELDER_COOKIE = "elder_mode"


class ElderModeMiddleware:
    """Reads the elder-friendly (适老化) cookie so templates render that mode server-side."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.elder_mode = request.COOKIES.get(ELDER_COOKIE) == "1"
        return self.get_response(request)
