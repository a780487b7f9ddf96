"""``forge migrate``: a libcst codemod moving a factory_boy suite onto forge_factories.

Modules, one job each: :mod:`.compat` (which factory_boy names forge_factories provides),
:mod:`.imports` (rewriting imports), :mod:`.models` (a model field's ``max_length``),
:mod:`.semantic` (``SemanticAttribute`` proposals), :mod:`.driver` (files, diff, apply, check).
Importing this package imports nothing else; libcst is imported by the modules that use it.
"""

from __future__ import annotations
