"""The city's progress dashboard: numbers (data.py), who sees which (population.py),
and ECharts options (charts.py)."""
