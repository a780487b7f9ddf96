"""Synthetic sensitive values are obviously fake: reserved ranges, published test numbers."""

from __future__ import annotations

import datetime
import ipaddress
import random
import re

from forge_factories.governance import synthetic
from forge_factories.governance.synthetic import iban_valid, luhn_valid, synthetic_value


def test_generators_stay_in_reserved_ranges() -> None:
    rng = random.Random(7)
    for _ in range(200):
        assert re.fullmatch(r"000-\d{2}-\d{4}", synthetic.ssn(rng))
        card = synthetic.card_number(rng)
        assert luhn_valid(card) and card in synthetic.TEST_CARD_NUMBERS
        iban = synthetic.iban(rng)
        assert iban.startswith("GB") and iban[4:8] == "TEST" and iban_valid(iban)
        assert re.fullmatch(r"\+1-202-555-01\d\d", synthetic.phone(rng))
        ip = ipaddress.ip_address(synthetic.ip_address(rng))
        assert any(ip in ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"))
        assert ipaddress.ip_address(synthetic.ip_address(rng, 6)) in ipaddress.ip_network("2001:db8::/32")
        assert int(synthetic.mac_address(rng).split(":")[0], 16) & 0b10  # locally administered bit
        lat, lon = synthetic.ocean_point(rng)
        assert -55 <= lat <= -45 and -140 <= lon <= -120
        assert datetime.date(1940, 1, 1) <= synthetic.birth_date(rng) <= datetime.date(2005, 12, 31)


def test_checksums_reject_typos() -> None:
    assert not luhn_valid("4111111111111112")
    assert not iban_valid("GB82WEST12345698765433")
    assert iban_valid("GB82 WEST 1234 5698 7654 32")


def test_synthetic_value_by_category_and_kind() -> None:
    rng = random.Random(1)
    assert isinstance(synthetic_value("salary", rng, "salary", "float"), float)
    assert isinstance(synthetic_value("location", rng, "latitude"), float)
    assert "," in synthetic_value("location", rng, "gps_coordinates", "str")
    assert synthetic_value("card", rng, "cvv", "str") == "000"
    assert isinstance(synthetic_value("birth_date", rng, "dob", "datetime"), datetime.datetime)
    assert synthetic_value("token", rng, "access_token", "str").startswith("forge-test-token-")
    a = synthetic_value("national_id", random.Random(5), "ssn", "str")
    assert a == synthetic_value("national_id", random.Random(5), "ssn", "str")


def test_synthetic_declarations_plug_into_a_factory() -> None:
    import factory
    from pydantic import BaseModel

    from forge_factories.common.seeding import seed
    from forge_factories.governance import synthetic_declarations

    class CustomerProfile(BaseModel):
        id: int
        name: str
        ssn: str
        salary: float
        card_number: str
        dob: datetime.date
        last_ip: str

    decls = synthetic_declarations(CustomerProfile)
    assert sorted(decls) == ["card_number", "dob", "last_ip", "salary", "ssn"]
    Factory = factory.make_factory(CustomerProfile, id=factory.Sequence(int), name="Ada", **decls)
    seed(3)
    first = [c.model_dump() for c in Factory.build_batch(5)]
    seed(3)
    assert [c.model_dump() for c in Factory.build_batch(5)] == first
    for row in first:
        assert row["ssn"].startswith("000-") and luhn_valid(row["card_number"])
        assert isinstance(row["salary"], float) and isinstance(row["dob"], datetime.date)
        assert ipaddress.ip_address(row["last_ip"]).is_private  # documentation ranges are reserved
