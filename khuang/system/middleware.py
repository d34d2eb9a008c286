"""One id per request (from the proxy's X-Request-ID, or new), in every log line and in the response."""

import logging
import re
import time
import uuid

from django.http import HttpRequest

from .logs import request_id

log = logging.getLogger("khuang.request")
SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


class RequestIdMiddleware:
    """Sets the request id, answers with it (X-Request-ID), and logs one line per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        given = request.headers.get("X-Request-ID", "")
        rid = given if SAFE_ID.match(given) else uuid.uuid4().hex
        request.id = rid
        token = request_id.set(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = rid
            log.info("%s %s %s %.1fms", request.method, request.path, response.status_code,
                     (time.perf_counter() - started) * 1000,
                     extra={"method": request.method, "path": request.path, "status": response.status_code,
                            "ms": round((time.perf_counter() - started) * 1000, 1)})
            return response
        finally:
            request_id.reset(token)
