"""Reports: one class's results, the programme report for the provincial People's Committee, test quality."""
