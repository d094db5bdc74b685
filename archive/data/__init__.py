"""Data files shipped with citevault (read through ``importlib.resources``).

Kept as a package so that the files travel inside the wheel and can be found
the same way in a checkout and in an installed copy.
"""
