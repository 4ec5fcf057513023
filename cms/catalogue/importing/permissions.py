"""Who may import what: site administrators every department, editors and reviewers their own."""

from cms.editors.groups import departments_of, is_site_admin


class Rights:
    """What the acting user may do, worked out once per file (or export). ``user=None`` is the
    system itself (``manage.py import_resources`` without ``--user``), which may do everything."""

    def __init__(self, user=None):
        self.user = user
        self.all_departments = user is None or is_site_admin(user)
        self.department_ids = (
            set() if self.all_departments else set(departments_of(user).values_list("pk", flat=True))
        )
        self.may_add = user is None or user.has_perm("catalogue.add_resource")
        self.may_change = user is None or user.has_perm("catalogue.change_resource")

    def may_use(self, department):
        return self.all_departments or department.pk in self.department_ids
