"""The auto-factory corpus: diverse models of the six kinds, each validated after generation.

Add a model to the ``MODELS`` list of its kind's module and the corpus test picks it up.
Django models are loaded lazily (they need configured settings), see ``django_models``.
"""
