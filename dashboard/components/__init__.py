"""Building blocks pages share: KPI cards, status badges, empty states, tables and downloads."""
