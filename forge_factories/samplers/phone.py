"""Column forms of Faker's phone number provider: formats picked per row, digits drawn per column."""

from __future__ import annotations

from forge_factories.samplers.templates import FormBuilder, numerify_form, table_form

_BASE = "faker.providers.phone_number"

FORMS: dict[str, FormBuilder] = {
    f"{_BASE}:Provider.phone_number": numerify_form("formats"),
    f"{_BASE}:Provider.msisdn": numerify_form("msisdn_formats"),
    f"{_BASE}:Provider.country_calling_code": table_form("country_calling_codes"),
    # en_US: numerify(parse(random_element(basic_formats)))
    f"{_BASE}.en_US:Provider.basic_phone_number": numerify_form("basic_formats"),
}
