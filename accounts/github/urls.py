"""/accounts/github/login/ and its callback (allauth includes them from the provider's package)."""

from allauth.socialaccount.providers.oauth2.urls import default_urlpatterns

from accounts.github.provider import GitHubProvider

urlpatterns = default_urlpatterns(GitHubProvider)
