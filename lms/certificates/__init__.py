"""Certificates: issued to those who pass, frozen at issue, verifiable by QR online and offline."""
