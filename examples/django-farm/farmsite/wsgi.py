"""WSGI entry point (e.g. for gunicorn farmsite.wsgi); the example runs manage.py runserver."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'farmsite.settings')
application = get_wsgi_application()
