"""Pages for people: the API's documentation (from its OpenAPI schema) and your API token."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import TemplateView
from drf_spectacular.generators import SchemaGenerator

from api.models import ApiToken
from api.tokens import token_create, token_revoke
from services.roles import role_of

NEW_KEY_SESSION = "api_new_token"


def _operations(schema: dict) -> list[dict]:
    operations = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            if method != "get":
                continue
            operations.append(
                {
                    "path": path,
                    "summary": (op.get("description") or "").strip(),
                    "parameters": [
                        {
                            "name": p["name"],
                            "where": p["in"],
                            "description": p.get("description", ""),
                            "type": p.get("schema", {}).get("type", ""),
                        }
                        for p in op.get("parameters", [])
                    ],
                }
            )
    return operations


def _rate_in_words(rate: str) -> str:
    number, _, period = rate.partition("/")
    return f"{int(number):,} requests per {period or 'hour'}"


class ApiDocsView(TemplateView):
    template_name = "api/docs.html"

    def get_context_data(self, **kwargs):
        schema = SchemaGenerator().get_schema(request=None, public=True)
        return super().get_context_data(
            operations=_operations(schema), throttle_rate=_rate_in_words(settings.API_THROTTLE_RATE), **kwargs
        )


class ApiTokenView(View):
    template_name = "api/token.html"

    def _check(self, request):
        if role_of(request.user) is None:
            raise PermissionDenied

    def get(self, request):
        self._check(request)
        token = ApiToken.objects.filter(user=request.user).first()
        # A new key is shown once, on the page after it was made, and never stored unhashed.
        new_key = request.session.pop(NEW_KEY_SESSION, None) if token else None
        return render(request, self.template_name, {"token": token, "new_key": new_key})

    def post(self, request):
        self._check(request)
        if request.POST.get("action") == "revoke":
            if token_revoke(user=request.user):
                messages.success(request, "Your API token is revoked: it no longer works.")
            return redirect("api:token")
        request.session[NEW_KEY_SESSION] = token_create(user=request.user)
        return redirect("api:token")
