"""The communication app's demo data: each part registers its own `seed_demo` step."""

from communication.announcements import demo as announcements_demo  # noqa: F401
from communication.messaging import demo as messaging_demo  # noqa: F401
