"""The computational core: plain Python + NumPy/SciPy/pandas, no Django.

Everything here is usable from a notebook. An import-linter contract (``make lint``)
keeps Django and the web layer out.
"""
