"""Letters (告知书、答复书): composed from overridable Django templates, rendered as DOCX, HTML, PDF.

The rendering modules (model, docx, html, pdf) are plain Python; only ``compose`` uses Django's
template engine. Layout follows GB/T 9704-2012《党政机关公文格式》.
"""
