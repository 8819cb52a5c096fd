"""The communication app's demo data: each part registers its own `seed_demo` step."""

from communication import demo_messaging  # noqa: F401
from communication.announcements import demo as announcements_demo  # noqa: F401
