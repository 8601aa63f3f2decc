"""Wagtail's user admin with our handle and display name (see accounts.apps.UsersAppConfig).

Moderators manage users, but only a superuser may grant superuser status or edit a superuser:
otherwise a moderator could take over (or become) a superuser.
"""

from django.core.exceptions import PermissionDenied

from wagtail.users.views import users as wagtail_users

from accounts.forms import WagtailUserCreationForm, WagtailUserEditForm


class _SuperuserFieldGuard:
    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        if not self.request.user.is_superuser:
            form.fields.pop("is_superuser", None)
        return form


class CreateView(_SuperuserFieldGuard, wagtail_users.CreateView):
    pass


class EditView(_SuperuserFieldGuard, wagtail_users.EditView):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if self.object.is_superuser and not request.user.is_superuser:
            raise PermissionDenied


class DeleteView(wagtail_users.DeleteView):
    def dispatch(self, request, *args, **kwargs):
        if self.get_object().is_superuser and not request.user.is_superuser:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class UserViewSet(wagtail_users.UserViewSet):
    add_view_class = CreateView
    edit_view_class = EditView
    delete_view_class = DeleteView
    create_template_name = "accounts/wagtail_users/create.html"
    edit_template_name = "accounts/wagtail_users/edit.html"

    def get_form_class(self, for_update=False):
        return WagtailUserEditForm if for_update else WagtailUserCreationForm
