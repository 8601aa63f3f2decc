"""Sign in with GitHub: allauth's GitHub provider, offered only when its app is configured.

allauth's own adapter fixes GitHub's URLs when its module is imported; ours reads them per
request from ``SOCIALACCOUNT_PROVIDERS["github"]`` (``GITHUB_URL``, and ``API_URL`` for an API
on another host), so GitHub Enterprise and the tests' local server work through settings.
The provider replaces allauth's through that entry's ``provider_class``.
"""
