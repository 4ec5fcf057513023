"""/zfcg/verify/: the verify page, the platform's public keys, and each published version's signature and
signed statement (URL names in the "procurement" namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.verify, name="verify"),
    path("public-key.pem", views.public_key, name="public_key"),
    path("keys/<slug:key_id>.pem", views.public_key_by_id, name="public_key_by_id"),
    path("signature/<int:version_id>.sig", views.signature, name="signature"),
    path("statement/<int:version_id>.txt", views.statement, name="statement"),
]
