"""
Settings of the farm example. The database comes from the environment, as aquaseed gives it to
the commands and apps it starts: DATABASE_URL when set, else libpq's PG* variables (PGHOST,
PGPORT, PGUSER, PGPASSWORD, PGDATABASE), which psycopg2 reads itself when Django passes none.
"""
import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get('DJANGO_SECRET_KEY', 'farm-example-not-a-secret')
DEBUG = os.environ.get('DJANGO_DEBUG') == '1'
ALLOWED_HOSTS = ['localhost', '127.0.0.1', '[::1]']

INSTALLED_APPS = [
    'django.contrib.auth',
    'django.contrib.contenttypes',
    'django.contrib.sessions',
    'django.contrib.messages',
    'farm',
]

MIDDLEWARE = [
    'django.middleware.security.SecurityMiddleware',
    'django.contrib.sessions.middleware.SessionMiddleware',
    'django.middleware.common.CommonMiddleware',
    'django.middleware.csrf.CsrfViewMiddleware',
    'django.contrib.auth.middleware.AuthenticationMiddleware',
    'django.contrib.messages.middleware.MessageMiddleware',
    'django.middleware.clickjacking.XFrameOptionsMiddleware',
]

ROOT_URLCONF = 'farmsite.urls'
WSGI_APPLICATION = 'farmsite.wsgi.application'

TEMPLATES = [
    {
        'BACKEND': 'django.template.backends.django.DjangoTemplates',
        'DIRS': [],
        'APP_DIRS': True,
        'OPTIONS': {
            'context_processors': [
                'django.template.context_processors.request',
                'django.contrib.auth.context_processors.auth',
                'django.contrib.messages.context_processors.messages',
            ],
        },
    },
]


def database_from_env():
    """Django's DATABASES['default'] for DATABASE_URL, or for the PG* variables when it is unset."""
    url = os.environ.get('DATABASE_URL')
    if not url:
        # Empty settings: psycopg2 (libpq) reads PGHOST, PGPORT, PGUSER, PGPASSWORD itself.
        return {'ENGINE': 'django.db.backends.postgresql', 'NAME': os.environ.get('PGDATABASE', '')}
    parts = urlsplit(url)
    if parts.scheme not in ('postgres', 'postgresql'):
        raise ValueError(f'DATABASE_URL must be a postgres:// URL, got {parts.scheme}://')
    query = parse_qs(parts.query)
    options = {'sslmode': query['sslmode'][0]} if 'sslmode' in query else {}
    return {
        'ENGINE': 'django.db.backends.postgresql',
        'NAME': unquote(parts.path.lstrip('/')),
        'USER': unquote(parts.username or ''),
        'PASSWORD': unquote(parts.password or ''),
        # A socket directory may come as ?host=/run/postgresql.
        'HOST': query['host'][0] if 'host' in query else (parts.hostname or ''),
        'PORT': str(parts.port or ''),
        'OPTIONS': options,
    }


DATABASES = {'default': database_from_env()}
DEFAULT_AUTO_FIELD = 'django.db.models.BigAutoField'

AUTH_PASSWORD_VALIDATORS = []
LOGIN_URL = '/login/'
LOGIN_REDIRECT_URL = '/batches/'
LOGOUT_REDIRECT_URL = '/login/'

LANGUAGE_CODE = 'en-us'
TIME_ZONE = 'UTC'
USE_I18N = False
USE_L10N = False
USE_TZ = True

LOGGING = {
    'version': 1,
    'disable_existing_loggers': False,
    'handlers': {'console': {'class': 'logging.StreamHandler'}},
    # Requests and errors on stderr: what aquaseed keeps as the app's logs.
    'loggers': {'django': {'handlers': ['console'], 'level': 'INFO'}},
}
