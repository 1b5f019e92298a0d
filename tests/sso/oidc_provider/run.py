"""Start the test OpenID Connect provider: migrate, add users and the client, serve on PROVIDER_PORT."""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

sys.path.insert(1, str(Path(__file__).resolve().parents[3]))  # the project, for tests.suite_clock

from tests.suite_clock import start_in_this_process  # noqa: E402

start_in_this_process()  # tell the same time as the test suite that started us

os.environ["DJANGO_SETTINGS_MODULE"] = "settings"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.servers.basehttp import run  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from oauth2_provider.models import Application  # noqa: E402

call_command("migrate", verbosity=0)
for user in json.loads(os.environ["PROVIDER_USERS"]):
    User.objects.create_user(user["username"], email=user["email"], password=user["password"])
Application.objects.create(
    name="almo-sla",
    client_id=os.environ["PROVIDER_CLIENT_ID"],
    client_secret=os.environ["PROVIDER_CLIENT_SECRET"],
    client_type=Application.CLIENT_CONFIDENTIAL,
    authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
    redirect_uris=os.environ["PROVIDER_REDIRECT_URIS"],
    algorithm=Application.RS256_ALGORITHM,
    skip_authorization=True,
)
print("READY", flush=True)
run("127.0.0.1", settings.PORT, get_wsgi_application(), threading=True)
