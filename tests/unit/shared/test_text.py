"""Text from outside loses the characters that are never content, at two strengths."""

from shared.text import clean_text, printable


def test_what_a_person_typed_loses_controls_and_bidi_overrides_and_extra_space():
    assert clean_text("  Max\x00 \u202eMuster\x1b\r\n  ") == "Max Muster"
    assert (
        clean_text("Rücksendeetikett\x00 verloren\x1b[31m\x07") == "Rücksendeetikett verloren[31m"
    )


def test_a_multiline_field_keeps_its_lines_and_tabs_with_one_kind_of_line_break():
    assert clean_text("\n erste\r\nzweite\rdritte\tZeile\x07 \n", multiline=True) == (
        "erste\nzweite\ndritte\tZeile"
    )


def test_typed_text_is_composed_and_anything_becomes_text():
    assert clean_text("Mu\u0308ller") == "Müller"  # a decomposed umlaut, as macOS types it
    assert clean_text(None) == "" and clean_text(42) == "42"


def test_printable_puts_a_space_for_each_control_so_nothing_else_moves():
    assert printable("a\x00b\r\n\tc") == "a b   c"
    assert printable("# Titel\r\n\n\tCode\x1b", multiline=True) == "# Titel \n\n\tCode "
    assert printable("Mu\u0308ller \u202e") == "Mu\u0308ller \u202e"  # content kept as written
