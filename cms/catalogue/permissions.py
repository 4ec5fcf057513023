"""Who may edit which information resource: each department its own (least privilege).

The department groups hold the plain model permissions on ``catalogue.Resource`` (see
``cms.editors.groups``); ``ResourcePermissionPolicy`` narrows them to the departments the user works
for. The admin views ask the policy for their listing and for the object they open, and the form
offers only those departments, so an editor can neither see, open nor save another department's
resource. Site administrators and superusers reach every department.
"""

from django import forms
from django.db.models import Q
from django.http import Http404
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.permission_policies import ModelPermissionPolicy

from cms.catalogue.codes import normalize_code, parent_code
from cms.catalogue.models import ResourceClass
from cms.core.models import Department
from cms.editors.groups import departments_of, editors_group_name, is_site_admin, reviewers_group_name

ANY_ACTION = ("add", "change", "delete", "view")


def department_ids(user):
    """The pks of ``departments_of(user)``, cached on the user object like Django's permission cache
    (a request has its own user object, so a change of groups shows on the next request)."""
    if not hasattr(user, "_catalogue_department_ids"):
        user._catalogue_department_ids = frozenset(departments_of(user).values_list("pk", flat=True))
    return user._catalogue_department_ids


class ResourcePermissionPolicy(ModelPermissionPolicy):
    """Model permissions from the groups, valid only for resources of the user's own departments."""

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        return is_site_admin(user) or instance.department_id in department_ids(user)

    def instances_user_has_any_permission_for(self, user, actions):
        queryset = super().instances_user_has_any_permission_for(user, actions)
        if is_site_admin(user):
            return queryset
        return queryset.filter(department__in=department_ids(user))

    def users_with_any_permission_for_instance(self, actions, instance):
        department = instance.department
        groups = [editors_group_name(department), reviewers_group_name(department)]
        site_admins = ModelPermissionPolicy(Department).users_with_permission("change")
        return (
            self.users_with_any_permission(actions)
            .filter(Q(is_superuser=True) | Q(groups__name__in=groups) | Q(pk__in=site_admins.values("pk")))
            .distinct()
        )


class OwnDepartmentObjectMixin:
    """For every admin view that opens one resource: another department's resource is "not found".

    404 rather than "permission denied": whether another department has such a resource is none of
    the user's business (the public site shows what may be known).
    """

    def get_object(self, *args, **kwargs):
        instance = super().get_object(*args, **kwargs)
        policy = self.permission_policy
        if not policy.user_has_any_permission_for_instance(self.request.user, ANY_ACTION, instance):
            raise Http404("没有找到该信息资源")
        return instance


class CodeListField(forms.CharField):
    """``related_codes`` (a JSON list) edited as one resource code per line (or separated by
    spaces, commas or 、), which is how editors copy codes from a spreadsheet."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(code) for code in value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        for separator in (",", "，", "、", ";", "；"):
            text = text.replace(separator, " ")
        return [normalize_code(code) for code in text.split()]


def class_label(resource_class):
    # Indented by level, so the select reads as the tree: 项, then its 目 and 细目.
    return f"{'　' * (resource_class.level - 2)}{resource_class.code} {resource_class.name}"


class ResourceForm(WagtailAdminModelForm):
    """The resource form: only the user's departments, only classes a resource code can name."""

    related_codes = CodeListField(
        label="关联资源代码",
        required=False,
        help_text="每行一个资源代码，例如 302001/000015",
    )

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        department = self.fields["department"]
        # A plain select instead of the Department snippet chooser, whose modal lists every department.
        department.widget = forms.Select()
        department.queryset = departments_of(for_user) if for_user else Department.objects.none()
        if not self.instance.pk and department.queryset.count() == 1:
            department.initial = department.queryset.get().pk
        classification = self.fields["classification"]
        # A resource code's front part has 3, 6 or 9 digits: a 类 (level 1) cannot hold resources.
        classification.queryset = ResourceClass.objects.filter(level__gte=2)
        classification.label_from_instance = class_label


class ResourceClassForm(WagtailAdminModelForm):
    """A class's code is its place in the tree: fixed once created, and its parent must exist."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = "分类代码创建后不能修改：它决定分类在目录中的位置和资源代码。"

    def clean_code(self):
        code = normalize_code(self.cleaned_data["code"])
        if self.instance.pk:
            return code
        parent = parent_code(code) if len(code) in (3, 6, 9) else None
        if parent and not ResourceClass.objects.filter(code=parent).exists():
            raise forms.ValidationError(f"上级分类“{parent}”不存在，请先添加上级分类。")
        return code
