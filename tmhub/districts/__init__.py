"""各区用好技术经理人 (SPEC §9, issue 15): district liaison, commissioners, events and the
landings of results in each district.
"""
