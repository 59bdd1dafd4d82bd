#!/usr/bin/env python3
"""Django's command-line utility for the farm example (run it with a Python that has Django 3.2+)."""
import os
import sys


def main():
    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'farmsite.settings')
    from django.core.management import execute_from_command_line
    execute_from_command_line(sys.argv)


if __name__ == '__main__':
    main()
