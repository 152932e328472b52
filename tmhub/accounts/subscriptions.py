"""What accounts does when other apps' records change: the personal-data access log records
every audited ID reveal (the subscriber lives with the other personal-data duties in
tmhub/talent/personal_data.py; importing it here registers it at start-up)."""

from tmhub.talent import personal_data  # noqa: F401
