"""One shape for a GET/POST form page.

``FormPage`` loads the page's object once (``get_object``: a selector narrowed to the user, 404
when it is not theirs), asks the rule through ``almo_sla.access.can`` (403 otherwise), builds the
form with the object, and on POST calls one write:

- invalid input: the form again, with the GOV.UK error summary, status 200, nothing lost;
- a ``ValidationError`` from the write: on the form, per field where it names one;
- success: a success message and a redirect.

A subclass says what it needs and nothing else::

    class CirculatePage(FormPage):
        template_name = "agreements/agreement_circulate.html"
        form_class = CirculateForm
        perm = "agreements.circulate_agreement"
        context_object_name = "agreement"

        def get_object(self):
            return selectors.agreement_get(user=self.request.user, pk=self.kwargs["pk"])

        def write(self, form):
            return services.agreement_circulate(agreement=self.object, user=self.request.user, **form.cleaned_data)
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views import View

from almo_sla.access import can
from almo_sla.forms import add_validation_errors


class FormPage(View):
    """A GET/POST form page: load the object once, check the rule, show the form, call one write."""

    template_name: str
    form_class: type
    # The rule asked with ``can(user, perm, get_permission_object())``. Every page names one; ``None``
    # only where ``get_object`` asks the rules itself (say which in the subclass).
    perm: str | None
    context_object_name: str | None = None  # the object's name in the template, besides ``object``
    success_message: str = ""
    # Where a write's ``ValidationError`` naming no field goes: ``None`` for the top of the error
    # summary, or a field's name (an upload whose file the service refused, say).
    write_error_field: str | None = None

    # --- Loading and the rule ----------------------------------------------------------------

    def dispatch(self, request, *args, **kwargs):
        if request.method in ("GET", "HEAD", "POST") and request.method.lower() in self.http_method_names:
            self.object = self.get_object()
            if not self.has_permission():
                return self.refuse()
        return super().dispatch(request, *args, **kwargs)

    def get_object(self):
        """The page's object from a selector narrowed to the user (404 when not theirs); ``None`` for none."""
        return None

    def get_permission_object(self):
        return self.object

    def has_permission(self) -> bool:
        return self.perm is None or can(self.request.user, self.perm, self.get_permission_object())

    def refuse(self):
        """The answer when the rule says no: 403."""
        raise PermissionDenied

    # --- The form ------------------------------------------------------------------------------

    def get_initial(self) -> dict:
        return {}

    def get_form_kwargs(self) -> dict:
        return {"initial": self.get_initial()}

    def get_form(self, data=None, files=None):
        return self.form_class(data=data, files=files, **self.get_form_kwargs())

    def get_context_data(self, **kwargs) -> dict:
        context = {"view": self, "object": self.object}
        if self.context_object_name:
            context[self.context_object_name] = self.object
        return context | kwargs

    def render_form(self, form):
        return render(self.request, self.template_name, self.get_context_data(form=form))

    # --- GET and POST ---------------------------------------------------------------------------

    def get(self, request, *args, **kwargs):
        return self.render_form(self.get_form())

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = self.write(form)
            except ValidationError as error:
                if self.write_error_field and not hasattr(error, "error_dict"):
                    error = ValidationError({self.write_error_field: error.error_list})
                add_validation_errors(form, error)
            else:
                message = self.get_success_message(result)
                if message:
                    messages.success(request, message)
                return redirect(self.get_success_url(result))
        return self.render_form(form)

    def write(self, form):
        """Call the one service function with ``form.cleaned_data``; return what to redirect to."""
        raise NotImplementedError

    def get_success_message(self, result) -> str:
        return self.success_message

    def get_success_url(self, result):
        """Where to go after the write: by default what ``write`` returned (an object or a URL)."""
        return result
