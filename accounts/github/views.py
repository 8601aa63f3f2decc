"""GitHub's OAuth2 endpoints, read per request, and the login and callback views.

Both views answer 404 while no GitHub app is configured, so the provider is not offered at all.
"""

from collections.abc import Callable
from functools import wraps

from allauth.socialaccount import app_settings
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.github.views import GitHubOAuth2Adapter as BaseAdapter
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView

from django.http import Http404, HttpRequest, HttpResponse

PROVIDER_ID = "github"
GITHUB_WEB = "https://github.com"
GITHUB_API = "https://api.github.com"


def is_offered(request: HttpRequest | None) -> bool:
    """Whether a GitHub app is configured (in settings or as a SocialApp row)."""
    return bool(get_adapter(request).list_apps(request, provider=PROVIDER_ID))


class GitHubOAuth2Adapter(BaseAdapter):
    """allauth's GitHub adapter with its URLs taken from the settings of the moment."""

    @property
    def _settings(self) -> dict:
        return app_settings.PROVIDERS.get(PROVIDER_ID, {})

    @property
    def web_url(self) -> str:
        return self._settings.get("GITHUB_URL", GITHUB_WEB).rstrip("/")

    @property
    def api_url(self) -> str:
        if "API_URL" in self._settings:
            return self._settings["API_URL"].rstrip("/")
        # GitHub Enterprise serves its API below the web host, as allauth assumes.
        return f"{self.web_url}/api/v3" if "GITHUB_URL" in self._settings else GITHUB_API

    @property
    def access_token_url(self) -> str:
        return f"{self.web_url}/login/oauth/access_token"

    @property
    def authorize_url(self) -> str:
        return f"{self.web_url}/login/oauth/authorize"

    @property
    def profile_url(self) -> str:
        return f"{self.api_url}/user"

    @property
    def emails_url(self) -> str:
        return f"{self.api_url}/user/emails"


def _only_when_offered(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_offered(request):
            raise Http404("Sign in with GitHub is not configured.")
        return view(request, *args, **kwargs)

    return wrapped


oauth2_login = _only_when_offered(OAuth2LoginView.adapter_view(GitHubOAuth2Adapter))
oauth2_callback = _only_when_offered(OAuth2CallbackView.adapter_view(GitHubOAuth2Adapter))
