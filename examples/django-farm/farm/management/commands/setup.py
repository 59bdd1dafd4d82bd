"""
`manage.py setup`: what this app needs in a database after it is migrated and seeded, run once on
aquaseed's template (migrate.setup): an admin user whose password comes from the environment.
Idempotent: an existing admin gets the password again.
"""
import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = 'Creates (or updates) the admin user, with the password in FARM_ADMIN_PASSWORD.'

    def handle(self, *args, **options):
        password = os.environ.get('FARM_ADMIN_PASSWORD')
        if not password:
            raise CommandError('FARM_ADMIN_PASSWORD is not set: give the admin user a password through the environment')
        username = os.environ.get('FARM_ADMIN_USER', 'admin')
        User = get_user_model()
        # The farm may already hold users (aquaseed seeds AquaMind's), so the admin is found by name.
        user, created = User.objects.get_or_create(username=username, defaults={'email': f'{username}@example.com'})
        user.is_staff = True
        user.is_superuser = True
        user.is_active = True
        user.set_password(password)
        user.save()
        self.stdout.write(f"{'created' if created else 'updated'} admin user {username!r} (id {user.id})")
