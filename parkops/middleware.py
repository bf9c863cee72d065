"""A Content Security Policy on every response (Django 5.2 has none built in)."""

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    """Adds ``settings.PARKOPS_CSP``; paths in ``PARKOPS_CSP_RELAXED`` (the Swagger UI, which runs an
    inline bootstrap script) get ``PARKOPS_CSP_RELAXED_POLICY`` instead."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        relaxed = any(request.path.startswith(prefix) for prefix in settings.PARKOPS_CSP_RELAXED)
        policy = settings.PARKOPS_CSP_RELAXED_POLICY if relaxed else settings.PARKOPS_CSP
        response.headers.setdefault("Content-Security-Policy", policy)
        return response
