"""The Zoom webhook: signed events per organising body, kept raw, turned into attendance."""
