"""Communication: messaging, announcements, notifications."""
