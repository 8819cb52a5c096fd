"""Personal API token authentication for DRF."""

from rest_framework.authentication import TokenAuthentication


class PersonalTokenAuthentication(TokenAuthentication):
    pass
