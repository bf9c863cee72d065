"""Querysets of the API scoped to the requesting user, where no company owns the rows."""


class StaffOnlyQuerysetMixin:
    """Rows only staff may read (the space inventory, apartment rooms): anybody else sees none."""

    def get_queryset(self):
        queryset = self.base_queryset
        user = self.request.user
        return queryset if user.is_staff else queryset.none()
