"""The user's own notifications: outside any organisation, like the user's password page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mentorship.notifications import selectors, services
from mentorship.query import page_of

PAGE_SIZE = 50


@require_GET
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = page_of(Paginator(selectors.notifications_of(request.user), PAGE_SIZE), request.GET)
    return render(request, "notifications/list.html", {"page": page})


@require_POST
@login_required
def notifications_mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(actor=request.user)
    if count:
        messages.success(request, _("Все уведомления отмечены как прочитанные."))
    return redirect("notification_list")
