"""How passwords are stored: Argon2id with the parameters OWASP recommends as a minimum.

At 8:00 on a Monday tens of thousands of families sign in within the hour; with Django's
default (PBKDF2-SHA256, a million rounds: about 0.23 s of CPU per sign-in on one core of our
2-core machine) the sign-ins alone would need more cores than every page together. Argon2id at
19 MiB and two passes costs about 0.03 s and, being memory-hard, resists the graphics cards an
attacker would use on a stolen table better than PBKDF2 does. Older hashes still verify and are
rewritten as Argon2id at the person's next sign-in (PASSWORD_HASHERS lists them after it).
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    # OWASP Password Storage Cheat Sheet, Argon2id: m=19 MiB, t=2, p=1.
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
