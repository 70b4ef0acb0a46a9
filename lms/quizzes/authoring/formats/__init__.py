"""One module per question file format (GIFT, Aiken, Excel, YAML), reading and writing."""
