"""Stored MICS surveys: imported once, analysed many times, shown to analysts.

The numerics live in :mod:`qorgau.mics`; this app keeps the files, their
checksums, the import problems and the computed estimates in the database.
"""
