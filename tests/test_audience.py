"""The rule that reads a plan item's «Участники» text for a teacher's page (oms/services/audience.py)."""
import pytest

from oms.services.audience import Profile

MATH_TEACHER = Profile(subjects=["Математика"], position="учитель", school_names=["СШ № 1", "МБОУ «СШ № 1»"])
RUSSIAN_TEACHER = Profile(subjects=["Русский язык", "Литература"], position="учитель")
DEPUTY = Profile(position="заместитель директора по УВР")
PSYCHOLOGIST = Profile(position="педагог-психолог")
YOUNG = Profile(subjects=["Физика"], position="учитель", young=True)
LEADER = Profile(subjects=["История"], position="учитель", leads=True)


@pytest.mark.parametrize("profile, audience, reason", [
    (MATH_TEACHER, "учителя математики и русского языка", "ваш предмет: математика"),
    (RUSSIAN_TEACHER, "учителя математики и русского языка", "ваш предмет: русский язык"),
    (RUSSIAN_TEACHER, "учителя русского языка и литературы", "ваш предмет: литература"),
    (YOUNG, "учителя физики, химии, биологии", "ваш предмет: физика"),
    (DEPUTY, "заместители директоров по УВР", "ваша должность"),
    (PSYCHOLOGIST, "педагоги-психологи школ", "ваша должность"),
    (MATH_TEACHER, "педагоги СШ № 1", "ваша организация"),
    (YOUNG, "молодые педагоги со стажем до 3 лет", "для молодых педагогов"),
    (LEADER, "руководители методических объединений", "для руководителей объединений"),
    (LEADER, "руководители ШМО, заместители директоров", "для руководителей объединений"),
    (MATH_TEACHER, "педагоги района", "для всех педагогов"),
    (DEPUTY, "педагогические и руководящие работники района", "для всех педагогов"),
    (MATH_TEACHER, "педагоги общеобразовательных организаций", "для всех педагогов"),
    (MATH_TEACHER, "обучающиеся 5-х и 10-х классов, учителя-предметники", "для учителей-предметников"),
])
def test_an_audience_that_names_the_teacher(profile, audience, reason):
    assert reason in profile.reasons(audience)


@pytest.mark.parametrize("profile, audience", [
    (MATH_TEACHER, "учителя русского языка и литературы"),
    (MATH_TEACHER, "учителя начальных классов"),  # «учитель» alone names nobody in particular
    (MATH_TEACHER, "педагоги СШ № 12"),  # another school whose name starts the same
    (MATH_TEACHER, "молодые специалисты"),
    (MATH_TEACHER, "руководители методических объединений"),
    (DEPUTY, "заместители директоров по учебно-методической работе"),
    (DEPUTY, "обучающиеся 5-х и 10-х классов, учителя-предметники"),
    (PSYCHOLOGIST, "педагоги, проходящие аттестацию"),
    (RUSSIAN_TEACHER, "воспитатели дошкольных образовательных организаций"),
    (RUSSIAN_TEACHER, ""),
])
def test_an_audience_that_does_not(profile, audience):
    assert profile.reasons(audience) == []


def test_ё_and_case_do_not_matter():
    assert Profile(school_names=["МОУ Берёзовская СОШ"]).reasons("Педагоги МОУ БЕРЕЗОВСКАЯ СОШ") == ["ваша организация"]
