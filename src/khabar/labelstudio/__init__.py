"""Annotation rounds in Label Studio: config from the schema, push, pull, agreement, adjudication, merge."""
