"""Suppliers' side effects of publishing a notice (emails to downloaders, saved-search alerts)."""


def connect():
    pass
