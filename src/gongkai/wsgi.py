import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
application = get_wsgi_application()

# Anonymous pages stored by static publishing are answered before Django builds a request.
from gongkai.sites.static_publish import StaticPagesApplication  # noqa: E402

application = StaticPagesApplication(application)
