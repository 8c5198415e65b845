"""The WSGI application, for a WSGI server in production (``gunicorn u4ssc.web.wsgi``).

In production mode (``U4SSC_DEBUG=0``) it refuses to start before ``u4ssc manage
collectstatic`` has run: every page names its CSS and scripts by the hashed names the
collected manifest holds, and without it each page would be a server error.
"""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "u4ssc.web.settings")
application = get_wsgi_application()


def require_collected_static() -> None:
    from django.conf import settings
    from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage

    if settings.DEBUG or not isinstance(staticfiles_storage, ManifestFilesMixin):
        return
    if not staticfiles_storage.manifest_storage.exists(staticfiles_storage.manifest_name):
        raise ImproperlyConfigured(
            f"Static files are not collected in {settings.STATIC_ROOT}: run "
            "`u4ssc manage collectstatic --noinput` before starting the server "
            "(and again after each upgrade)."
        )


require_collected_static()
