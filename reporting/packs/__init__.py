"""Quarterly board packs: what goes in them (``content``, built from ``records``,
``performance``, ``exceptions``, ``costs``, ``notice`` and ``value_for_money``), how they
become a tagged PDF/UA-1 document in one pass (``render``, finished by ``tagging``), and how
the file is stored (``storage``). ``services`` holds the state changes of a ``BoardPack``.
"""
