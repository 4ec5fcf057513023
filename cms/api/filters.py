"""Reading the catalogue's filters for the API: ``CatalogueFilters.from_query``, hardened.

Whatever a client sends must give 400 with a Chinese message, never 500:

* a NUL character reaches PostgreSQL's ``LIKE`` through ``q`` and makes it raise;
* ``year=²²²²`` passes ``str.isdigit()`` but not ``int()``, so ``from_query`` raises a bare
  ``ValueError`` instead of a ``FilterError``.

Both are answered here with ``FilterError`` before or instead of reaching the database.
"""

from django.http import QueryDict

from cms.disclosure import catalogue

NUL_MESSAGE = "参数中不能包含空字符"
YEAR_MESSAGE = "“年份”参数应为四位数字年份，例如 2025"


def read_filters(query: QueryDict) -> catalogue.CatalogueFilters:
    """The catalogue's filters from a query string; raises ``catalogue.FilterError`` only."""
    if any("\x00" in value for _, values in query.lists() for value in values):
        raise catalogue.FilterError(NUL_MESSAGE)
    try:
        return catalogue.CatalogueFilters.from_query(query)
    except catalogue.FilterError:
        raise
    except ValueError as error:  # only the year can get past isdigit() and fail int()
        raise catalogue.FilterError(YEAR_MESSAGE) from error
