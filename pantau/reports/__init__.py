"""Reports built from the same figures the pages show: the monthly report to directors."""
