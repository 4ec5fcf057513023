"""Admin views of the suppliers part (the download register); registered with Wagtail hooks here."""
