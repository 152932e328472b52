"""Every read and write of the evaluation app goes through these modules (titles.py now)."""
