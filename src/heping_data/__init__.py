"""heping-data: Chinese local-government work reports as validated, traceable open data."""

__version__ = "0.1.0"
