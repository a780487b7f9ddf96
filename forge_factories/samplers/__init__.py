"""Column samplers: Faker providers re-implemented column-wise over Faker's own data tables.

Each sampler returns ``n`` values at once from a seeded ``random.Random``. The values come
from the same tables (names, cities, jobs, words...) with the same weights and the same
algorithms as Faker, but they are not the values Faker itself would draw for the same seed:
the column-wise path draws from the same distributions, not the same values. Dates are
relative to :data:`REFERENCE_TIME`, never to today, so a seed gives the same dates on any day.

Modules: :mod:`.tables` (seeded draws, data tables), :mod:`.placeholders` (``numerify``,
``lexify``, ``bothify``), :mod:`.templates` (``{{token}}`` formats, nested tokens), one module
per provider family (:mod:`.person`, :mod:`.address`, :mod:`.company`, :mod:`.phone`,
:mod:`.text`, :mod:`.numeric`, :mod:`.dates`) and :mod:`.registry` (the dispatch).
"""

from forge_factories.samplers.registry import SamplerSet, samplers
from forge_factories.samplers.tables import REFERENCE_TIME, FakerTables, Sampler, Table

__all__ = ["REFERENCE_TIME", "FakerTables", "Sampler", "SamplerSet", "Table", "samplers"]
