"""The directory's API: its views (directory), the personal-token authentication (auth) and the permission
classes every app's API shares (permissions)."""
