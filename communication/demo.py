from communication import demo_announcements  # noqa: F401
