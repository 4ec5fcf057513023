from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "search"
    verbose_name = "站内搜索"

    def ready(self):
        from search import signals

        signals.connect_catalogue()
        signals.connect_procurement()
