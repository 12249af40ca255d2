from app.domain import uscc
from app.domain.vocabulary import OrgKind, SocialSubtype

VALID = "91350100M000100Y43"  # GB 32100 worked example


def test_valid_code_passes() -> None:
    assert uscc.check(VALID) is None


def test_wrong_check_character_names_the_expected_one() -> None:
    problem = uscc.check("91350100M000100Y44")
    assert problem is not None
    assert problem.code == "check_char"
    assert "“4”" in problem.message and "“3”" in problem.message


def test_lowercase_and_spaces_are_normalised() -> None:
    assert uscc.normalize(" 9135 0100m000100y43 ") == VALID
    assert uscc.normalize("９１３５０１００Ｍ０００１００Ｙ４３") == VALID
    assert uscc.check(uscc.normalize("91350100m000100y43")) is None


def test_wrong_length_and_letters() -> None:
    assert uscc.check("9135010") is not None
    assert uscc.check("9135010").code == "length"  # type: ignore[union-attr]
    assert uscc.check("91350100M000100I43").code == "format"  # type: ignore[union-attr]


def test_kind_from_code() -> None:
    assert uscc.kind_from_code("91350100M000100Y43") is OrgKind.ENTERPRISE
    assert uscc.kind_from_code("92350100M000100Y43") is OrgKind.ENTERPRISE
    assert uscc.kind_from_code("51350100M000100Y43") is OrgKind.SOCIAL
    assert uscc.kind_from_code("11350100M000100Y43") is None
    assert (
        uscc.social_subtype_from_code("52450200123456789X") is SocialSubtype.PRIVATE_NON_ENTERPRISE
    )


def test_make_valid_completes_the_check_character() -> None:
    assert uscc.make_valid("91350100M000100Y4") == VALID


def test_agrees_with_stdnum_validate_on_many_codes() -> None:
    import random

    from stdnum.cn import uscc as stdnum_uscc

    rng = random.Random(7)
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for _ in range(3000):
        body = "".join(rng.choice("0123456789") for _ in range(8)) + "".join(
            rng.choice(alphabet + "IOZSV") for _ in range(10)
        )
        assert (uscc.check(body) is None) == stdnum_uscc.is_valid(body), body


def test_check_character_is_stdnums_calculation() -> None:
    import random

    from stdnum.cn import uscc as stdnum_uscc

    rng = random.Random(11)
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for _ in range(5000):
        first17 = "".join(rng.choice(alphabet) for _ in range(17))
        assert uscc.check_character(first17) == stdnum_uscc.calc_check_digit(first17), first17
