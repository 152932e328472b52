"""Patents and payment schedules made through the transfer services, for My work's tests."""

import datetime
import itertools

from tmhub.mywork.patents import TYPE_DIGIT
from tmhub.transfer import services
from tmhub.transfer.validators import patent_check_digit

_serial = itertools.count(1000)


def patent_number(ip_type: str, year: int) -> str:
    digits = f"{year}{TYPE_DIGIT[ip_type]}{next(_serial):07d}"
    return f"{digits}.{patent_check_digit(digits)}"


def add_patent(achievement, actor, ip_type="invention", filed_on=datetime.date(2015, 10, 20),
               granted_on=datetime.date(2018, 1, 5), status="granted"):
    return services.add_ip_record(
        achievement, actor=actor, ip_type=ip_type,
        number=patent_number(ip_type, filed_on.year), filed_on=filed_on,
        granted_on=granted_on, status=status)
