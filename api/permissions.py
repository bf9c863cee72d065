"""Who may call what: staff by model permissions, tenant users within their company's scope."""

from rest_framework import permissions

from tenants.selectors import tenant_membership

STANDARD_ACTIONS = {"list", "retrieve", "create", "update", "partial_update", "destroy", "metadata", None}
STAFF_PERMISSION_BY_METHOD = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


class StaffOrTenant(permissions.BasePermission):
    """Staff act by their Django model permissions (``view`` to read, ``add`` to create…); a viewset
    may name another permission per action in ``action_permissions`` (custom actions: ``change``). Tenant users read
    what their scoped queryset shows them and write only through the actions a viewset lists in
    ``tenant_actions``; anything outside their scope is a 404."""

    def has_permission(self, request, view):
        user = request.user
        if not user or not user.is_authenticated:
            return False
        if user.is_staff:
            default = (
                STAFF_PERMISSION_BY_METHOD.get(request.method, "change")
                if view.action in STANDARD_ACTIONS
                else "change"
            )
            kind = getattr(view, "action_permissions", {}).get(view.action, default)
            meta = view.model._meta
            return user.has_perm(kind if "." in kind else f"{meta.app_label}.{kind}_{meta.model_name}")
        if tenant_membership(user) is None:
            return False
        return request.method in permissions.SAFE_METHODS or view.action in getattr(view, "tenant_actions", ())
