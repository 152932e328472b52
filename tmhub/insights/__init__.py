"""保障措施 (SPEC §10, issue 19): plans and their tasks for the joint conference, progress reports,
the city dashboard and the annual report.
"""
