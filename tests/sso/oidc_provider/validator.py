import json
import os

from oauth2_provider.oauth2_validators import OAuth2Validator

USERS = {u["username"]: u for u in json.loads(os.environ["PROVIDER_USERS"])}


class ClaimsValidator(OAuth2Validator):
    """Puts e-mail, name, groups and amr (as a directory would) in the ID token."""

    oidc_claim_scope = None  # every claim, whatever the scope

    def get_additional_claims(self, request):
        info = USERS[request.user.username]
        return {
            "email": info["email"],
            "email_verified": info.get("email_verified", True),
            "given_name": info.get("given_name", ""),
            "family_name": info.get("family_name", ""),
            "groups": info.get("groups", []),
            "amr": info.get("amr", ["pwd"]),
        }
