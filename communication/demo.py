"""The communication app's demo data: each part registers its own `seed_demo` step."""

from communication import demo_announcements, demo_messaging  # noqa: F401
