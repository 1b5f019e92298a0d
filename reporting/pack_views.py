"""Board packs in the browser: request, watch progress (refreshes without JavaScript),
download, retry. Thin: each view calls one selector or service."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.views import View
from django.views.generic import FormView, TemplateView

from reporting.models import BoardPack
from reporting.packs import selectors, services
from reporting.packs.forms import BoardPackRequestForm

REFRESH_SECONDS = 3


class BoardPackListView(FormView):
    """Request a pack; every generation listed per quarter, newest first."""

    template_name = "reporting/packs/boardpack_list.html"
    form_class = BoardPackRequestForm

    def dispatch(self, request, *args, **kwargs):
        self.packs = selectors.board_pack_list(user=request.user)  # 403 for users without packs
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"user": self.request.user}

    def form_valid(self, form):
        try:
            pack = services.board_pack_request(
                user=self.request.user, almo=form.cleaned_data["almo"], quarter=form.cleaned_data["quarter"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        if pack.queue_unavailable:
            messages.warning(self.request, services.QUEUE_DOWN_MESSAGE)
        return redirect(pack)

    def get_context_data(self, **kwargs):
        packs = list(self.packs)
        return super().get_context_data(packs=packs, any_in_progress=any(p.in_progress for p in packs), **kwargs)


class BoardPackDetailView(TemplateView):
    template_name = "reporting/packs/boardpack_detail.html"

    def get_context_data(self, **kwargs):
        pack = selectors.board_pack_get(user=self.request.user, pk=self.kwargs["pk"])
        auto_refresh = self.request.GET.get("refresh") != "off"
        return super().get_context_data(pack=pack, refresh_seconds=REFRESH_SECONDS, auto_refresh=auto_refresh, **kwargs)


class BoardPackDownloadView(View):
    def get(self, request, pk):
        pack = selectors.board_pack_get(user=request.user, pk=pk)
        if pack.status != BoardPack.Status.READY or not pack.file:
            raise Http404("This pack is not ready.")
        response = FileResponse(pack.file.open("rb"), as_attachment=True, filename=pack.filename)
        response["Content-Type"] = "application/pdf"
        response["X-Content-Type-Options"] = "nosniff"
        return response


class BoardPackRetryView(View):
    http_method_names = ["post"]

    def post(self, request, pk):
        pack = selectors.board_pack_get(user=request.user, pk=pk)
        try:
            pack = services.board_pack_retry(user=request.user, pack=pack)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if pack.queue_unavailable:
                messages.warning(request, services.QUEUE_DOWN_MESSAGE)
            else:
                messages.success(request, "The pack has been queued again.")
        return redirect(pack)
