"""Russian error pages; JSON for the API; one log line for an expected refusal."""

import logging

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

from mentorship.query import BadQuery


def _page(request: HttpRequest, template: str, status: int, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    body = loader.render_to_string(template, {"message": message}, request)
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    # A query parameter the view could not read says which and why (mentorship/query.py);
    # anything else Django refuses as malformed gets the general text.
    message = exception.message if isinstance(exception, BadQuery) else _("Неверный запрос.")
    return _page(request, "400.html", 400, message)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return _page(request, "403.html", 403, _("У вас нет доступа к этой странице."))


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return _page(request, "404.html", 404, _("Страница не найдена."))


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: the failure may be in a context processor or the database.
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Внутренняя ошибка сервера.")}, status=500)
    return HttpResponse(loader.render_to_string("500.html"), status=500)


class ExpectedRefusalFilter(logging.Filter):
    """A 400, 403 or 404 is the portal working as designed: log one line, not a traceback.

    Django's request logger attaches the exception to "Forbidden (Permission denied)";
    the console then printed its traceback for every refused request. Real errors (5xx)
    keep theirs.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(
            record.exc_info[1], (BadRequest, PermissionDenied, Http404)
        ):
            record.exc_info = None
            record.exc_text = None
        return True
