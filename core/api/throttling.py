"""API throttles that count requests per client in fixed windows with one atomic increment.

DRF's own rate throttles keep the time of every request of the window in a list, read and written
whole on every request (1,200 timestamps for a client at the default rate), and two requests at
once can both pass on the same count. Here each window is one counter: ``add`` starts it,
``incr`` counts, so the limit holds under concurrency. A client can send up to twice the rate
across the boundary of two windows, the usual price of fixed windows. While the cache is
unreachable (``core.cache.FailSoftRedisCache``) requests are let through, as before. Anonymous
clients are counted per address as ``core.http.client_address`` reads it.
"""

from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from core.http import client_address


class FixedWindowMixin:
    def allow_request(self, request, view):
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        window = int(self.timer() // self.duration)
        self.window_ends = (window + 1) * self.duration
        counter = f"{key}:{window}"
        self.cache.add(counter, 0, self.duration)
        try:
            count = self.cache.incr(counter)
        except ValueError:  # the counter is gone (evicted, or the cache is unreachable)
            return True
        return count <= self.num_requests

    def wait(self):
        return max(self.window_ends - self.timer(), 0)

    def get_ident(self, request):
        """The client's address as the trusted proxies report it (``core.http.client_address``),
        never a forwarding header the client wrote itself."""
        return client_address(request)


class UserThrottle(FixedWindowMixin, UserRateThrottle):
    """Authenticated clients, per user (``API_USER_RATE``)."""


class AnonThrottle(FixedWindowMixin, AnonRateThrottle):
    """Anonymous clients, per address (``API_ANON_RATE``)."""
