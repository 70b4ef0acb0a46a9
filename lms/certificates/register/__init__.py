"""The register (sổ cấp chứng chỉ) of an organising body: search, Excel export, one page per certificate."""
