"""职称评价与社会化评价 (SPEC §6, issues 16 and 17): professional titles in the 技术经纪
specialty, and the social evaluation of managers and institutions.
"""
