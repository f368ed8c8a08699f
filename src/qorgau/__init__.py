"""Qorgau: case management and monitoring for child protection in Kazakhstan."""
