"""Pages of the evaluation app (titles.py now; social evaluation beside it later)."""
