"""科研项目全程管理试点 (SPEC §8, issue 15): municipally funded projects selected as pilots,
their transfer KPIs, assigned managers and stage reports.
"""
