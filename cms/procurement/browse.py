from cms.procurement.public.browse import serve_listing

__all__ = ["serve_listing"]
