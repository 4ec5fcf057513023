"""/zfcg/supplier/: supplier accounts, tender document downloads, saved searches (namespace "procurement")."""

from django.urls import path

from . import downloads, subscriptions, views

urlpatterns = [
    path("", views.account, name="supplier_account"),
    path("register/", views.register, name="supplier_register"),
    path("login/", views.login_view, name="supplier_login"),
    path("logout/", views.logout_view, name="supplier_logout"),
    path("confirm/<str:uidb64>/<str:token>/", views.confirm_email, name="supplier_confirm_email"),
    path("confirm/resend/", views.resend_verification, name="supplier_resend_verification"),
    path("password/", views.PasswordChangeView.as_view(), name="supplier_password_change"),
    path("password/reset/", views.PasswordResetView.as_view(), name="supplier_password_reset"),
    path("password/reset/sent/", views.PasswordResetDoneView.as_view(), name="supplier_password_reset_done"),
    path(
        "password/reset/<str:uidb64>/<str:token>/",
        views.PasswordResetConfirmView.as_view(),
        name="supplier_password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        views.PasswordResetCompleteView.as_view(),
        name="supplier_password_reset_complete",
    ),
    path("download/<int:version_id>/", downloads.download, name="download"),
    path("subscriptions/", subscriptions.index, name="subscriptions"),
    path("subscriptions/new/", subscriptions.new, name="subscription_new"),
    path("subscriptions/<int:pk>/delete/", subscriptions.delete, name="subscription_delete"),
    path("unsubscribe/<str:token>/", subscriptions.unsubscribe, name="unsubscribe"),
]
