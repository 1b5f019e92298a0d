"""Quarterly board packs: what goes in them (``content``), how they become a PDF (``render``),
how separately rendered sections are put back together (``merge``), and how the file is
stored (``storage``). ``services`` holds the state changes of a ``BoardPack``.
"""
