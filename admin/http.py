"""Admin HTTP endpoints under ``/admin``, all behind one router-level authorisation dependency.

Any route added to the router returned by :func:`admin_router` is checked on every call
(``Authorization: Bearer <MODROUTE_ADMIN_TOKEN>``, rate-limited per client) and audited (refused, ok,
failed; ``admin.audit``); ``tests/test_admin*.py`` enumerates the app's ``/admin`` routes and proves
each refuses a caller without, or with a wrong, token.
"""

from collections.abc import Iterator

from fastapi import APIRouter, Depends, HTTPException, Request

from admin.auth import AdminAuth, Principal
from admin.beta import TaskListError, beta_report, load_tasks
from admin.ratelimit import client_address
from admin.status import status_report

PREFIX = "/admin"


def admin_router(services, sink, auth: AdminAuth, tasks_path: str) -> APIRouter:
    store = getattr(sink, "store", None)
    if auth.audit_hook is None:
        from admin.audit import AuditTrail

        auth.audit_hook = AuditTrail(store)

    def require_admin(request: Request) -> Iterator[Principal]:
        # Refusals (and rate limiting) are audited by check_http; here, the outcome of an admitted call.
        principal = auth.check_http(request)
        action, client = f"{request.method} {request.url.path}", client_address(request)
        try:
            yield principal
        except Exception as e:
            message = getattr(e, "detail", None) or str(e) or type(e).__name__
            auth.record(principal.name, action, "failed", client=client, detail={"error": str(message)[:300]})
            raise
        auth.record(principal.name, action, "ok", client=client)

    router = APIRouter(prefix=PREFIX, dependencies=[Depends(require_admin)], tags=["admin"])
    router.require_admin = require_admin  # lets tests check every admin route carries it

    @router.get("/status")
    def admin_status() -> dict:
        return status_report(services, sink)

    @router.get("/beta/report")
    def admin_beta_report() -> dict:
        store = getattr(sink, "store", None)
        if store is None:
            raise HTTPException(409, detail={"error": {"message": "telemetry is off on this server",
                                                       "type": "invalid_request_error", "param": None,
                                                       "code": "telemetry_off"}})
        try:
            tasks = load_tasks(tasks_path)
        except TaskListError:
            tasks = None
        return beta_report(store, tasks)

    return router
