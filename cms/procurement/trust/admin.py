"""Admin views of the tender documents (upload, replace, versions); registered with Wagtail hooks here."""
