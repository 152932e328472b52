"""资源网络 (SPEC §7, issue 14): partner providers and their service catalogue, service needs and
introductions, collaborations with two-sided ratings, financing linked to projects.
"""
